// Test on object / Test on file: run the ETL in the current file on chosen bytes without deploying it. By default the
// file runs on this machine exactly as the ETL runtime would call it (engine/run), fed by the object streamed from the
// cluster; with `onCluster: true` it runs on the cluster under a temporary ETL name that is always removed afterwards
// (on success, error and cancel). Either way nothing is left on the cluster, and the result, or the error with its
// traceback pointing at the user's file, opens in the result editor next to the input.
//
// Plain arguments: `aistore.testOnObject({ uri, cluster?, bucket, object, commType?, onCluster? })` and
// `aistore.testOnFile({ uri, input: '/path/to/file', commType?, onCluster? })`; both return
// `{ ranOn, etl?, input, output, error? }` (`etl`: the temporary name, already removed; `error`: what `output` shows).
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { LocalRunResult } from '../engine/run';
import { aisUri } from '../editors/aisFileSystem';
import { CancelledError, formatError, isCancellation, UiError } from '../services/errors';
import { mapTracebackToUserFiles } from '../services/tracebacks';
import type { ObjectRef } from './args';
import type { CommandContext } from './context';
import { nameFromPath } from './etlNames';
import { deployEtl, resolveFileUri } from './deploy';
import { startLocalCluster } from './localCluster';
import { declareCommand } from './table';
import { resolveObject, resultColumn, transformObject, type ObjectLocation } from './transformObject';
import { withCancellableProgress } from './ui';

export const SCRATCH_BUCKET = 'aisetl-scratch';
const RECENT_INPUTS = 'aistore.recentTestInputs';

/** The ETL file (a CodeLens or menu passes its Uri), and how to deploy it. */
export interface TestFileArgs {
  uri?: vscode.Uri | string;
  commType?: string;
  onCluster?: boolean;
}
export interface TestResult {
  ranOn: 'local' | 'cluster';
  etl?: string;
  input: vscode.Uri;
  output: vscode.Uri;
  error?: string;
}
type Outcome = Omit<TestResult, 'input'>;

/** `tmp-<name>-<4 hex>`: unique per run, recognisable in the tree while it exists. */
export function temporaryEtlName(file: string): string {
  const suffix = `-${randomBytes(2).toString('hex')}`;
  return `tmp-${nameFromPath(file)}`.slice(0, 32 - suffix.length).replace(/-+$/, '') + suffix;
}

/**
 * Deploys the file under a temporary name and transforms the object with it; the ETL is removed whatever happened.
 * A failure (the deploy or the transform) becomes a result document holding the error, traceback mapped to the file.
 */
async function runOnCluster(
  s: CommandContext,
  uri: vscode.Uri,
  where: ObjectLocation,
  commType: string | undefined,
): Promise<Outcome> {
  const etl = temporaryEtlName(uri.fsPath);
  const label = basename(uri.fsPath);
  const { client } = await s.clientFor(where.cluster);
  try {
    await deployEtl.run(s, { uri, cluster: where.cluster, name: etl, commType, temporary: true });
    const r = await transformObject.run(s, { ...where, etl, open: false, label });
    return { ranOn: 'cluster', etl, output: r.uri };
  } catch (err) {
    if (isCancellation(err)) throw err;
    const error = mapTracebackToUserFiles(formatError(err), (e) => s.deployed.fileOf(e), etl);
    return { ranOn: 'cluster', etl, ...(await errorDocument(s, where, label, error)) };
  } finally {
    await client.deleteEtl(etl).catch((err: unknown) => {
      if (!/not found|404|does not exist/i.test(formatError(err)))
        s.log.warn(`removing temporary ETL ${etl}: ${formatError(err)}`);
    });
    s.deployed.forget(where.cluster, etl);
    s.tree.refreshEtls(where.cluster);
  }
}

/** The error as a result document (the user reads tracebacks in an editor, not in a toast), and in Output. */
async function errorDocument(
  s: CommandContext,
  where: ObjectLocation,
  label: string,
  error: string,
): Promise<{ output: vscode.Uri; error: string }> {
  s.log.error(`${label} on ais://${where.bucket}/${where.object}: ${error}`);
  const header = `# ${label} failed on ais://${where.bucket}/${where.object}\n\n`;
  const { uri } = await s.results.saveText(`${header}${error}\n`, {
    ...where,
    etl: 'error',
    label: `${label} (error)`,
  });
  return { output: uri, error };
}

/** AIS 4.0+ sends servers etl_fqn and an empty body, older ones the bytes: run as the cluster would. */
function runtimeVersion(v: { major: number }): '5.0' | '3.29' {
  return v.major >= 4 ? '5.0' : '3.29';
}

/** The bytes a local run transforms: an object streamed from a cluster, or a file on this machine. */
interface RunInput {
  where: ObjectLocation;
  aisVersion: '5.0' | '3.29';
  open(signal: AbortSignal): Promise<Readable>;
}

async function objectInput(s: CommandContext, where: ObjectLocation): Promise<RunInput> {
  const { client } = await s.clientFor(where.cluster);
  const aisVersion = runtimeVersion((await client.cluster()).version);
  return {
    where,
    aisVersion,
    open: async (signal) => (await client.getObject(where.bucket, where.object, { signal })).body,
  };
}

/** Runs the file on this machine on the input's bytes (streamed, never buffered whole). */
async function runLocally(s: CommandContext, uri: vscode.Uri, input: RunInput): Promise<Outcome> {
  const label = basename(uri.fsPath);
  const { where } = input;
  await vscode.workspace.textDocuments.find((d) => d.uri.fsPath === uri.fsPath && d.isDirty)?.save();
  return withCancellableProgress(`Testing ${label} on ${where.object}`, async (signal) => {
    const body = await input.open(signal);
    let run: LocalRunResult;
    try {
      run = await s.runner.run({
        file: uri.fsPath,
        input: body,
        objectName: `${where.bucket}/${where.object}`,
        aisVersion: input.aisVersion,
        signal,
        log: (l) => s.log.info(`[test ${label}] ${l}`),
      });
    } catch (err) {
      body.destroy();
      if (isCancellation(err) || signal.aborted) throw err;
      return { ranOn: 'local', ...(await errorDocument(s, where, label, runFailure(err))) };
    }
    const saved = s.results.save(run.output, { ...where, etl: 'local run', label, signal });
    const [exit, result] = await Promise.all([run.exitInfo, saved.catch(() => undefined)]);
    if (signal.aborted) throw new CancelledError();
    if (!exit.ok) return { ranOn: 'local', ...(await errorDocument(s, where, label, runFailure(exit.error))) };
    if (!result) throw new UiError(`The result of ${label} could not be saved`, { hint: 'see the "AIStore ETL" log' });
    return { ranOn: 'local', output: result.uri };
  });
}

/** Message, traceback (already pointing at the user's file) and what to do. */
function runFailure(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const traceback = 'traceback' in err && typeof err.traceback === 'string' ? err.traceback : '';
  const hint = 'hint' in err && typeof err.hint === 'string' ? err.hint : '';
  return [err.message, traceback, hint && `What to do: ${hint}`].filter(Boolean).join('\n\n');
}

async function showOutcome(input: vscode.Uri, r: { output: vscode.Uri; error?: string }, title: string): Promise<void> {
  const viewColumn = resultColumn();
  if (r.error) await vscode.window.showTextDocument(r.output, { preview: true, viewColumn });
  else await vscode.commands.executeCommand('vscode.diff', input, r.output, title, { preview: true, viewColumn });
}

export const testOnObject = declareCommand<vscode.Uri | (TestFileArgs & ObjectRef), TestResult>(
  'aistore.testOnObject',
  'Test on object',
  async (s, arg) => {
    const a = arg instanceof vscode.Uri ? { uri: arg } : (arg ?? {});
    const uri = resolveFileUri(a.uri);
    const where = await resolveObject(s, a, 'Test on object');
    const r = a.onCluster
      ? await runOnCluster(s, uri, where, a.commType)
      : await runLocally(s, uri, await objectInput(s, where));
    const input = aisUri(where);
    await showOutcome(input, r, `${where.object} → ${basename(uri.fsPath)}`);
    return { input, ...r };
  },
);

/** Recent test inputs first (users re-run the same sample files), then a file dialog. */
async function pickInputFile(s: CommandContext): Promise<string> {
  const recent = (s.context.globalState.get<string[]>(RECENT_INPUTS) ?? []).filter((p) => existsSync(p));
  let path: string | undefined;
  if (recent.length) {
    const CHOOSE = '$(folder-opened) Choose file…';
    const items: vscode.QuickPickItem[] = [
      { label: CHOOSE },
      ...recent.map((p) => ({ label: basename(p), description: p })),
    ];
    const pick = await vscode.window.showQuickPick(items, { title: 'Test on file: input' });
    if (!pick) throw new CancelledError();
    path = pick.label === CHOOSE ? undefined : pick.description;
  }
  if (!path) {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      openLabel: 'Transform this file',
      title: 'Test on file',
    });
    if (!picked?.[0]) throw new CancelledError();
    path = picked[0].fsPath;
  }
  await s.context.globalState.update(RECENT_INPUTS, [path, ...recent.filter((p) => p !== path)].slice(0, 5));
  return path;
}

export const testOnFile = declareCommand<vscode.Uri | (TestFileArgs & { input?: string }), TestResult>(
  'aistore.testOnFile',
  'Test on file',
  async (s, arg) => {
    const a = arg instanceof vscode.Uri ? { uri: arg } : (arg ?? {});
    const uri = resolveFileUri(a.uri);
    const inputPath = ('input' in a ? a.input : undefined) ?? (await pickInputFile(s));
    const input = vscode.Uri.file(inputPath);
    const title = `${basename(inputPath)} → ${basename(uri.fsPath)}`;
    if (!a.onCluster) {
      // No cluster involved: the file's bytes go straight into the local run.
      const where = { cluster: 'this machine', bucket: 'file', object: basename(inputPath) };
      const r = await runLocally(s, uri, { where, aisVersion: '5.0', open: async () => createReadStream(inputPath) });
      await showOutcome(input, r, title);
      return { input, ...r };
    }
    return testFileOnCluster(s, uri, inputPath, a.commType, title);
  },
);

/** Test on file on the local cluster: the file goes into a scratch bucket for the run and is removed afterwards. */
async function testFileOnCluster(
  s: CommandContext,
  uri: vscode.Uri,
  inputPath: string,
  commType: string | undefined,
  title: string,
): Promise<TestResult> {
  if (!s.registry.local()) await startLocalCluster.run(s);
  const local = s.registry.local();
  if (!local) throw new UiError('The local cluster is not running', { hint: 'run "AIStore: Start local cluster"' });
  const { client } = await s.clientFor(local.id);
  if (!(await client.listBuckets()).some((b) => b.name === SCRATCH_BUCKET)) await client.createBucket(SCRATCH_BUCKET);
  const where = {
    cluster: local.id,
    bucket: SCRATCH_BUCKET,
    object: `${randomBytes(3).toString('hex')}-${basename(inputPath)}`,
  };
  try {
    await client.putObject(SCRATCH_BUCKET, where.object, { file: inputPath });
    const r = await runOnCluster(s, uri, where, commType);
    const input = vscode.Uri.file(inputPath);
    await showOutcome(input, r, title);
    return { input, ...r };
  } finally {
    await client.deleteObject(SCRATCH_BUCKET, where.object).catch(() => undefined);
  }
}
