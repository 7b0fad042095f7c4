// Shared by the integration suites: the extension's API, the local cluster, the tutorial's files, the tree, and
// editors (waiting for our diagnostics, asking for quick fixes).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AistoreApi } from '../../../src/extension';
import type { TreeNode } from '../../../src/views/treeNodes';

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

/** Walks the tree by labels from the root. */
export async function findNode(a: AistoreApi, labels: string[]): Promise<TreeNode> {
  let node: TreeNode | undefined;
  for (const l of labels) {
    const kids = await a.clustersTree.getChildren(node);
    node = kids.find((k) => k.label === l);
    if (!node) throw new Error(`tree: no "${l}" among ${kids.map((k) => k.label).join(', ')}`);
  }
  return node!;
}

/** How long the editor helpers wait for the extension to react to a document. */
export const WAIT_MS = 15_000;

/** Polls until `get` returns something truthy; the failure names what never happened. */
export async function waitFor<T>(what: string, get: () => T | undefined | false): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const v = get();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`Timed out after ${WAIT_MS} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The extension's own diagnostics on a document (not those of other extensions). */
export const ours = (uri: vscode.Uri): vscode.Diagnostic[] =>
  vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'AIStore ETL');

export async function openEditor(file: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** The quick fixes offered for a range that carry an edit. */
export async function quickFixes(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider',
    uri,
    range,
    vscode.CodeActionKind.QuickFix.value,
  );
  return (actions ?? []).filter((a): a is vscode.CodeAction => 'edit' in a && a.edit !== undefined);
}
