// Test on object / Test on file: run the ETL in the current file on chosen bytes without deploying it. The file runs
// under a temporary ETL name that is always removed afterwards (on success, on error and on cancel), so nothing is
// left on the cluster. The result, or the error with its traceback pointing at the user's file, opens in the result
// editor next to the input.
//
// Plain arguments: `aistore.testOnObject({ uri, cluster?, bucket, object, commType? })` and
// `aistore.testOnFile({ uri, input: '/path/to/file', commType? })`; both return `{ etl, input, output, error? }`
// where `etl` is the temporary name (already removed) and `error` the failure shown in `output`.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { aisUri } from '../editors/aisFileSystem';
import { CancelledError, formatError, isCancellation, UiError } from '../services/errors';
import { mapTracebackToUserFiles } from '../services/tracebacks';
import type { ObjectRef } from './args';
import type { CommandContext } from './context';
import { nameFromPath } from './etlNames';
import { deployEtl, resolveFileUri } from './deploy';
import { startLocalCluster } from './localCluster';
import { declareCommand } from './table';
import { resolveObject, transformObject, type ObjectLocation } from './transformObject';

export const SCRATCH_BUCKET = 'aisetl-scratch';
const RECENT_INPUTS = 'aistore.recentTestInputs';

/** The ETL file (a CodeLens or menu passes its Uri), and how to deploy it. */
export interface TestFileArgs { uri?: vscode.Uri | string; commType?: string }
export interface TestResult { etl: string; input: vscode.Uri; output: vscode.Uri; error?: string }

/** `tmp-<name>-<4 hex>`: unique per run, recognisable in the tree while it exists. */
export function temporaryEtlName(file: string): string {
  const suffix = `-${randomBytes(2).toString('hex')}`;
  return `tmp-${nameFromPath(file)}`.slice(0, 32 - suffix.length).replace(/-+$/, '') + suffix;
}

/**
 * Deploys the file under a temporary name and transforms the object with it; the ETL is removed whatever happened.
 * A failure (the deploy or the transform) becomes a result document holding the error, traceback mapped to the file.
 */
async function runTest(s: CommandContext, uri: vscode.Uri, where: ObjectLocation, commType: string | undefined)
  : Promise<{ etl: string; output: vscode.Uri; error?: string }> {
  const etl = temporaryEtlName(uri.fsPath);
  const label = basename(uri.fsPath);
  const { client } = await s.clientFor(where.cluster);
  try {
    await deployEtl.run(s, { uri, cluster: where.cluster, name: etl, commType, temporary: true });
    const r = await transformObject.run(s, { ...where, etl, open: false, label });
    return { etl, output: r.uri };
  } catch (err) {
    if (isCancellation(err)) throw err;
    const error = mapTracebackToUserFiles(formatError(err), (e) => s.deployed.fileOf(e));
    s.log.error(`${label} on ais://${where.bucket}/${where.object}: ${error}`);
    const header = `# ${label} failed on ais://${where.bucket}/${where.object}\n\n`;
    const { uri: output } = await s.results.saveText(`${header}${error}\n`, { ...where, etl, label: `${label} (error)` });
    return { etl, output, error };
  } finally {
    await client.deleteEtl(etl).catch((err: unknown) => {
      if (!/not found|404|does not exist/i.test(formatError(err))) s.log.warn(`removing temporary ETL ${etl}: ${formatError(err)}`);
    });
    s.deployed.forget(where.cluster, etl);
    s.tree.refreshEtls(where.cluster);
  }
}

async function showOutcome(input: vscode.Uri, r: { output: vscode.Uri; error?: string }, title: string): Promise<void> {
  if (r.error) await vscode.window.showTextDocument(r.output, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  else await vscode.commands.executeCommand('vscode.diff', input, r.output, title, { preview: true });
}

export const testOnObject = declareCommand<vscode.Uri | (TestFileArgs & ObjectRef), TestResult>(
  'aistore.testOnObject', 'Test on object', async (s, arg) => {
    const a = arg instanceof vscode.Uri ? { uri: arg } : arg ?? {};
    const uri = resolveFileUri(a.uri);
    const where = await resolveObject(s, a, 'Test on object');
    const { etl, ...r } = await runTest(s, uri, where, a.commType);
    const input = aisUri(where);
    await showOutcome(input, r, `${where.object} → ${basename(uri.fsPath)}`);
    return { etl, input, ...r };
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
    const where = { cluster: local.id, bucket: SCRATCH_BUCKET, object: `${randomBytes(3).toString('hex')}-${basename(inputPath)}` };
    try {
      await client.putObject(SCRATCH_BUCKET, where.object, { file: inputPath });
      const { etl, ...r } = await runTest(s, uri, where, a.commType);
      const input = vscode.Uri.file(inputPath);
      await showOutcome(input, r, `${basename(inputPath)} → ${basename(uri.fsPath)}`);
      return { etl, input, ...r };
    } finally {
      await client.deleteObject(SCRATCH_BUCKET, where.object).catch(() => undefined);
    }
  });
