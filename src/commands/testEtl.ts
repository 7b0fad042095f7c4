// Test on object / Test on file: run the ETL in the current file without a separate deploy step. The file is deployed
// under a temporary name (again only when its text changed), then an object — or a local file put into a scratch
// bucket on the local cluster — is transformed and shown next to its input.
//
// Plain arguments (tests): `aistore.testOnObject({ uri, cluster?, bucket, object, commType? })` and
// `aistore.testOnFile({ uri, input: '/path/to/file', commType? })`; both return `{ etl, input, output }`.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { Services } from '../services';
import { UserError } from '../services/errors';
import { etlNameFromFile } from './args';
import { deployEtl, documentText, resolveFileUri } from './deploy';
import { startLocalCluster } from './localCluster';
import { transformObject } from './transformObject';
import { cancelled, pickBucket, pickCluster, pickObject } from './ui';

export const SCRATCH_BUCKET = 'aisetl-scratch';
const deployedText = new Map<string, string>(); // `${cluster}/${etl}` → sha1 of the text deployed

type Loose = Record<string, unknown>;
function argsOf(arg: unknown): Loose { return arg instanceof vscode.Uri ? { uri: arg } : ((arg && typeof arg === 'object' ? arg : {}) as Loose); }

/** Deploys the file as `test-<file>` unless the same text is already running there. */
async function ensureTestDeployment(s: Services, uri: vscode.Uri, cluster: string, commType: string | undefined): Promise<string> {
  const name = `test-${etlNameFromFile(uri.fsPath)}`.slice(0, 32).replace(/-+$/, '');
  const hash = createHash('sha1').update(await documentText(uri)).digest('hex');
  const key = `${cluster}/${name}`;
  const { client } = await s.clientFor(cluster);
  const existing = (await client.listEtls()).find((e) => e.name === name);
  if (existing && existing.stage.toLowerCase() === 'running' && deployedText.get(key) === hash) return name;
  if (existing) await client.deleteEtl(name);
  await deployEtl(s, { uri, cluster, name, commType });
  deployedText.set(key, hash);
  return name;
}

export async function testOnObject(s: Services, arg?: unknown): Promise<{ etl: string; input: vscode.Uri; output: vscode.Uri }> {
  const a = argsOf(arg);
  const uri = resolveFileUri(a.uri as vscode.Uri | string | undefined);
  const cluster = await pickCluster(s, a.cluster as string | undefined, 'Test on object');
  const { client } = await s.clientFor(cluster);
  const bucket = (a.bucket as string | undefined) ?? await pickBucket(client, 'Test on object: bucket');
  const object = (a.object as string | undefined) ?? await pickObject(client, bucket, 'Test on object: object');
  const etl = await ensureTestDeployment(s, uri, cluster, a.commType as string | undefined);
  const r = await transformObject(s, { cluster, bucket, object, etl, open: false });
  const input = vscode.Uri.from({ scheme: 'ais', authority: cluster, path: `/${bucket}/${object}` });
  await vscode.commands.executeCommand('vscode.diff', input, r.uri, `${object} ↔ ${basename(uri.fsPath)}`, { preview: true });
  return { etl, input, output: r.uri };
}

const RECENT_INPUTS = 'aistore.recentTestInputs';

/** Recent test inputs first (users re-run the same sample files), then a file dialog. */
async function pickInputFile(s: Services): Promise<string> {
  const recent = (s.context.globalState.get<string[]>(RECENT_INPUTS) ?? []).filter((p) => existsSync(p));
  let path: string | undefined;
  if (recent.length) {
    const CHOOSE = '$(folder-opened) Choose file…';
    const items: vscode.QuickPickItem[] = [{ label: CHOOSE }, ...recent.map((p) => ({ label: basename(p), description: p }))];
    const pick = await vscode.window.showQuickPick(items, { title: 'Test on file: input' });
    if (!pick) throw cancelled();
    path = pick.label === CHOOSE ? undefined : pick.description;
  }
  if (!path) {
    const picked = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Transform this file', title: 'Test on file' });
    if (!picked?.[0]) throw cancelled();
    path = picked[0].fsPath;
  }
  await s.context.globalState.update(RECENT_INPUTS, [path, ...recent.filter((p) => p !== path)].slice(0, 5));
  return path;
}

export async function testOnFile(s: Services, arg?: unknown): Promise<{ etl: string; input: vscode.Uri; output: vscode.Uri }> {
  const a = argsOf(arg);
  const uri = resolveFileUri(a.uri as vscode.Uri | string | undefined);
  const inputPath = (a.input as string | undefined) ?? await pickInputFile(s);
  if (!s.registry.local()) await startLocalCluster(s);
  const local = s.registry.local();
  if (!local) throw new UserError('The local cluster is not running', 'run "AIStore: Start local cluster"');
  const { client } = await s.clientFor(local.id);
  if (!(await client.listBuckets()).some((b) => b.name === SCRATCH_BUCKET)) await client.createBucket(SCRATCH_BUCKET);
  const object = basename(inputPath);
  await client.putObject(SCRATCH_BUCKET, object, { file: inputPath });
  s.tree.refreshBuckets(local.id);
  const etl = await ensureTestDeployment(s, uri, local.id, a.commType as string | undefined);
  const r = await transformObject(s, { cluster: local.id, bucket: SCRATCH_BUCKET, object, etl, open: false });
  const input = vscode.Uri.file(inputPath);
  await vscode.commands.executeCommand('vscode.diff', input, r.uri, `${object} ↔ ${basename(uri.fsPath)}`, { preview: true });
  return { etl, input, output: r.uri };
}
