// Transform with ETL… / Compare input and output / Open object.
//
// Plain arguments (tests): `aistore.transformObject({ cluster?, bucket, object, etl, args?, pipeline?, open? })` returns
// `{ uri, size, binary, file }` where `uri` is the read-only `aistore-result:` document; `aistore.compareTransform`
// takes the same and returns `{ input, output }`; `aistore.openObject({ cluster?, bucket, object })` returns the ais: Uri.
import * as vscode from 'vscode';
import { aisUri } from '../editors/aisFileSystem';
import { RESULT_SCHEME } from '../editors/resultDocuments';
import type { Services } from '../services';
import { UserError } from '../services/errors';
import { formatBytes } from '../services/format';
import { objectTarget, parsePipeline } from './args';
import { cancelled, pickBucket, pickCluster, pickObject, pickRunningEtl, withCancellableProgress } from './ui';

export interface TransformObjectArgs { cluster?: string; bucket?: string; object?: string; etl?: string; args?: string; pipeline?: string[]; open?: boolean }
export interface TransformObjectResult { uri: vscode.Uri; size: number; binary: boolean; file: string; cluster: string; bucket: string; object: string; etl: string }

export async function transformObject(s: Services, arg?: unknown): Promise<TransformObjectResult> {
  const a = (arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? arg : {}) as TransformObjectArgs & Record<string, unknown>;
  const target = objectTarget(arg);
  const cluster = await pickCluster(s, target?.cluster ?? a.cluster, 'Transform with ETL');
  const { client } = await s.clientFor(cluster);
  const bucket = target?.bucket ?? a.bucket ?? await pickBucket(client, 'Transform with ETL: bucket');
  const object = target?.object ?? a.object ?? await pickObject(client, bucket, 'Transform with ETL: object');
  const interactive = !a.etl;
  const etl = a.etl ?? await pickRunningEtl(client, `Transform ${object}`);
  let { args, pipeline } = a;
  if (interactive) ({ args, pipeline } = await askArgs(etl));

  const result = await withCancellableProgress(`Transforming ${object} with ${etl}`, async (signal, report) => {
    const obj = await client.getObject(bucket, object, { etl: { name: etl, args, pipeline: pipeline?.length ? pipeline : undefined }, signal });
    let last = 0;
    return s.results.save(obj.body, {
      cluster, bucket, object, etl, signal,
      onBytes: (n) => { if (n - last > 1 << 20) { last = n; report(`${formatBytes(n)} received`); } },
    });
  });
  const { uri, entry } = result;
  s.log.info(`transformed ais://${bucket}/${object} with ${etl}: ${entry.size} bytes${entry.binary ? ' (binary)' : ''}`);
  if (a.open !== false) {
    if (s.results.isBig(entry)) {
      void vscode.window.showWarningMessage(`The result is ${formatBytes(entry.size)}: the editor shows its beginning; the whole result is in ${entry.file}`, 'Reveal file').then((x) => {
        if (x) void vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(entry.file));
      });
    }
    await vscode.window.showTextDocument(uri, { preview: true, viewColumn: resultColumn() });
  }
  return { uri, size: entry.size, binary: entry.binary, file: entry.file, cluster, bucket, object, etl };
}

/** Results reuse the column of an open result, so repeated transforms don't keep splitting the editor. */
function resultColumn(): vscode.ViewColumn {
  const open = vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === RESULT_SCHEME);
  return open?.viewColumn ?? vscode.ViewColumn.Beside;
}

async function askArgs(etl: string): Promise<{ args?: string; pipeline?: string[] }> {
  const v = await vscode.window.showInputBox({
    title: `Transform with ${etl}`, prompt: 'Optional: arguments for the ETL, or "| etl2 etl3" to pipe the result through more ETLs',
    placeHolder: 'leave empty for none',
  });
  if (v === undefined) throw cancelled();
  const t = v.trim();
  if (t.startsWith('|')) return { pipeline: parsePipeline(t.slice(1)) };
  return { args: t || undefined };
}

export async function compareTransform(s: Services, arg?: unknown): Promise<{ input: vscode.Uri; output: vscode.Uri }> {
  const base = arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? arg as Record<string, unknown> : {};
  const r = await transformObject(s, { ...(objectTarget(arg) ?? {}), ...base, open: false });
  const input = aisUri({ cluster: r.cluster, bucket: r.bucket, object: r.object });
  await vscode.commands.executeCommand('vscode.diff', input, r.uri, `${r.object} ↔ ${r.etl}`, { preview: true });
  return { input, output: r.uri };
}

export async function openObject(s: Services, arg?: unknown): Promise<vscode.Uri> {
  const t = objectTarget(arg);
  if (!t) throw new UserError('Open object needs an object', 'pick one in the Clusters view');
  const cluster = s.registry.resolve(t.cluster).id;
  const uri = aisUri({ cluster, bucket: t.bucket, object: t.object });
  await vscode.commands.executeCommand('vscode.open', uri, { preview: true });
  return uri;
}
