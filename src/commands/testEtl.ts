// Test on object / Test on file: run the ETL in the current file without a separate deploy step. The file is deployed
// under a temporary name (again only when its text changed), then an object — or a local file put into a scratch
// bucket on the local cluster — is transformed and shown next to its input.
//
// Plain arguments: `aistore.testOnObject({ uri, cluster?, bucket, object, commType? })` and
// `aistore.testOnFile({ uri, input: '/path/to/file', commType? })`; both return `{ etl, input, output }`.
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { isEtlRunning } from '../engine/ais/etl-stage';
import { aisUri } from '../editors/aisFileSystem';
import { CancelledError, UiError } from '../services/errors';
import { etlNameFromFile, type ObjectRef } from './args';
import type { CommandContext } from './context';
import { deployEtl, documentText, resolveFileUri } from './deploy';
import { startLocalCluster } from './localCluster';
import { declareCommand } from './table';
import { TestDeployments } from './testDeployments';
import { resolveObject, transformObject } from './transformObject';

export const SCRATCH_BUCKET = 'aisetl-scratch';
const RECENT_INPUTS = 'aistore.recentTestInputs';

/** The ETL file (a CodeLens or menu passes its Uri), and how to deploy it. */
export interface TestFileArgs { uri?: vscode.Uri | string; commType?: string }
export interface TestResult { etl: string; input: vscode.Uri; output: vscode.Uri }

/** Deploys the file as `test-<file>` unless the same text is already running there. */
async function ensureTestDeployment(s: CommandContext, uri: vscode.Uri, cluster: string, commType: string | undefined): Promise<string> {
  const name = `test-${etlNameFromFile(uri.fsPath)}`.slice(0, 32).replace(/-+$/, '');
  const hash = TestDeployments.hash(await documentText(uri));
  const { client } = await s.clientFor(cluster);
  const existing = (await client.listEtls()).find((e) => e.name === name);
  if (existing && isEtlRunning(existing.stage) && s.testDeployments.isCurrent(cluster, name, hash)) return name;
  if (existing) await client.deleteEtl(name);
  await deployEtl.run(s, { uri, cluster, name, commType });
  s.testDeployments.remember(cluster, name, hash);
  return name;
}

export const testOnObject = declareCommand<vscode.Uri | (TestFileArgs & ObjectRef), TestResult>(
  'aistore.testOnObject', 'Test on object', async (s, arg) => {
    const a = arg instanceof vscode.Uri ? { uri: arg } : arg ?? {};
    const uri = resolveFileUri(a.uri);
    const where = await resolveObject(s, a, 'Test on object');
    const etl = await ensureTestDeployment(s, uri, where.cluster, a.commType);
    const r = await transformObject.run(s, { ...where, etl, open: false });
    const input = aisUri(where);
    await vscode.commands.executeCommand('vscode.diff', input, r.uri, `${where.object} ↔ ${basename(uri.fsPath)}`, { preview: true });
    return { etl, input, output: r.uri };
  });

/** Recent test inputs first (users re-run the same sample files), then a file dialog. */
async function pickInputFile(s: CommandContext): Promise<string> {
  const recent = (s.context.globalState.get<string[]>(RECENT_INPUTS) ?? []).filter((p) => existsSync(p));
  let path: string | undefined;
  if (recent.length) {
    const CHOOSE = '$(folder-opened) Choose file…';
    const items: vscode.QuickPickItem[] = [{ label: CHOOSE }, ...recent.map((p) => ({ label: basename(p), description: p }))];
    const pick = await vscode.window.showQuickPick(items, { title: 'Test on file: input' });
    if (!pick) throw new CancelledError();
    path = pick.label === CHOOSE ? undefined : pick.description;
  }
  if (!path) {
    const picked = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Transform this file', title: 'Test on file' });
    if (!picked?.[0]) throw new CancelledError();
    path = picked[0].fsPath;
  }
  await s.context.globalState.update(RECENT_INPUTS, [path, ...recent.filter((p) => p !== path)].slice(0, 5));
  return path;
}

export const testOnFile = declareCommand<vscode.Uri | (TestFileArgs & { input?: string }), TestResult>(
  'aistore.testOnFile', 'Test on file', async (s, arg) => {
    const a = arg instanceof vscode.Uri ? { uri: arg } : arg ?? {};
    const uri = resolveFileUri(a.uri);
    const inputPath = ('input' in a ? a.input : undefined) ?? await pickInputFile(s);
    if (!s.registry.local()) await startLocalCluster.run(s);
    const local = s.registry.local();
    if (!local) throw new UiError('The local cluster is not running', { hint: 'run "AIStore: Start local cluster"' });
    const { client } = await s.clientFor(local.id);
    if (!(await client.listBuckets()).some((b) => b.name === SCRATCH_BUCKET)) await client.createBucket(SCRATCH_BUCKET);
    const object = basename(inputPath);
    await client.putObject(SCRATCH_BUCKET, object, { file: inputPath });
    s.tree.refreshBuckets(local.id);
    const etl = await ensureTestDeployment(s, uri, local.id, a.commType);
    const r = await transformObject.run(s, { cluster: local.id, bucket: SCRATCH_BUCKET, object, etl, open: false });
    const input = vscode.Uri.file(inputPath);
    await vscode.commands.executeCommand('vscode.diff', input, r.uri, `${object} ↔ ${basename(uri.fsPath)}`, { preview: true });
    return { etl, input, output: r.uri };
  });
