// Shared by the integration suites: the extension's API, the local cluster, and the tutorial's files.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AistoreApi } from '../../../src/extension';

export const EXTENSION_ID = 'aistore-etl.aistore-etl';
export const MD5_OF_SHARD = '393c6706efb128fbc442d3f7d084a426';
export const SHARD_TEXT = 'some text :)\n'; // `echo "some text :)" | ais put - transform/shard.in`

export async function api(): Promise<AistoreApi> {
  const ext = vscode.extensions.getExtension<AistoreApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  return ext.isActive ? ext.exports : ext.activate();
}

/** Starts (or reuses) the local cluster through the command, like a user would. */
export async function localCluster(): Promise<{ api: AistoreApi; endpoint: string }> {
  const a = await api();
  const r = await run<{ endpoint: string }>('aistore.startLocalCluster');
  return { api: a, endpoint: r.endpoint };
}

/** Runs a command with plain arguments; a failure surfaces the error message the user would have seen. */
export async function run<T>(command: string, ...args: unknown[]): Promise<T> {
  const { result, error } = await attempt<T>(command, ...args);
  if (result === undefined) throw new Error(`${command} returned nothing: ${error ?? 'no error reported'}`);
  return result;
}

/** Runs a command and returns its result, or the error message the user saw (through the extension's error events). */
export async function attempt<T>(command: string, ...args: unknown[]): Promise<{ result?: T; error?: string }> {
  const a = await api();
  let error: string | undefined;
  const sub = a.onDidReportError((e) => {
    if (e.command === command) error = e.message;
  });
  try {
    const result = await vscode.commands.executeCommand<T | undefined>(command, ...args);
    return { result, error };
  } finally {
    sub.dispose();
  }
}

export async function textOf(uri: vscode.Uri): Promise<string> {
  return (await vscode.workspace.openTextDocument(uri)).getText();
}

/** The repository's copy of the tutorial's files, verbatim (the bundled suites run from out/integration/suite). */
const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/tutorial');

/** The tutorial's three ETLs, copied from the fixtures into a temp folder as a user would have them in a workspace. */
export function tutorialFiles(): { dir: string; code: string; io: string; spec: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aisetl-tutorial-'));
  const copy = (from: string, to: string) => {
    const p = path.join(dir, to);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.copyFileSync(path.join(FIXTURES, from), p);
    return p;
  };
  const code = copy('code.py', 'code.py');
  const io = copy('io/code.py', 'io/code.py');
  copy('server.py', 'server/server.py');
  fs.chmodSync(path.join(dir, 'server/server.py'), 0o755);
  copy('Dockerfile', 'server/Dockerfile');
  const spec = copy('spec.yaml', 'server/spec.yaml');
  return { dir, code, io, spec, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Suite start shared by the tutorial-style suites: the tutorial's files in a temp folder, the local cluster, and the
 *  named buckets removed so the suite starts from nothing. */
export async function freshTutorialStart(buckets: string[]): Promise<{
  api: AistoreApi;
  files: ReturnType<typeof tutorialFiles>;
  client: Awaited<ReturnType<AistoreApi['services']['clientFor']>>['client'];
}> {
  const files = tutorialFiles();
  const api = (await localCluster()).api;
  const { client } = await api.services.clientFor('local');
  const existing = new Set((await client.listBuckets()).map((b) => b.name));
  for (const b of buckets) if (existing.has(b)) await client.destroyBucket(b);
  return { api, files, client };
}

/**
 * Restarts the extension's local cluster as another AIS release in its own data folder (settings as a user would set
 * them), for a suite; the returned function stops it and restores the defaults for the suites after it.
 */
export async function useLocalRelease(aisVersion: '3.29' | '5.0'): Promise<() => Promise<void>> {
  const cfg = () => vscode.workspace.getConfiguration('aistore');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `aisetl-local-${aisVersion}-`));
  await attempt('aistore.stopLocalCluster');
  await cfg().update('local.aisVersion', aisVersion, vscode.ConfigurationTarget.Global);
  await cfg().update('local.dataDir', dataDir, vscode.ConfigurationTarget.Global);
  await localCluster();
  return async () => {
    await attempt('aistore.stopLocalCluster');
    await cfg().update('local.aisVersion', undefined, vscode.ConfigurationTarget.Global);
    await cfg().update('local.dataDir', undefined, vscode.ConfigurationTarget.Global);
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
