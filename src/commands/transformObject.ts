// Transform with ETL… / Compare input and output / Open object. The path of one object: which object and ETL (node,
// Uri or prompts) → AisClient.getObject(bucket, object, { etl }) as a stream → a result file → a read-only document.
//
// Plain arguments: `aistore.transformObject({ cluster?, bucket, object, etl, args?, pipeline?, open? })` returns
// `{ uri, size, binary, file, … }` where `uri` is the read-only `aistore-result:` document; `aistore.compareTransform`
// takes the same and returns `{ input, output }`; `aistore.openObject({ cluster?, bucket, object })` returns the
// ais: Uri.
import * as vscode from 'vscode';
import type { EtlRef as EngineEtlRef } from '../engine/ais';
import { aisUri } from '../editors/aisFileSystem';
import { RESULT_SCHEME, type ResultEntry } from '../editors/resultDocuments';
import { CancelledError, UiError } from '../services/errors';
import { formatBytes } from '../services/format';
import type { ObjectNode } from '../views/treeNodes';
import { objectRef, parsePipeline, type AisUriLike, type ObjectRef } from './args';
import type { CommandContext } from './context';
import { declareCommand } from './table';
import { pickBucket, pickCluster, pickObject, pickRunningEtl, withCancellableProgress } from './ui';

export interface TransformObjectArgs extends ObjectRef {
  etl?: string;
  args?: string;
  pipeline?: string[];
  open?: boolean;
  /** Names the transform in the result's tab when the ETL name says little (a temporary test ETL). */
  label?: string;
}
export type TransformObjectArg = ObjectNode | TransformObjectArgs | AisUriLike;
/** One object of one cluster, all parts known. */
export interface ObjectLocation {
  cluster: string;
  bucket: string;
  object: string;
}
export interface TransformObjectResult extends ObjectLocation {
  uri: vscode.Uri;
  size: number;
  binary: boolean;
  file: string;
  etl: string;
}

export const transformObject = declareCommand<TransformObjectArg, TransformObjectResult>(
  'aistore.transformObject',
  'Transform with ETL',
  async (s, arg) => {
    const opts: TransformObjectArgs = arg && !('kind' in arg) && !('scheme' in arg) ? arg : {};
    const where = await resolveObject(s, objectRef(arg), 'Transform with ETL');
    const { client } = await s.clientFor(where.cluster);
    const etl: EngineEtlRef = opts.etl
      ? { name: opts.etl, args: opts.args, pipeline: opts.pipeline?.length ? opts.pipeline : undefined }
      : await askEtl(await pickRunningEtl(client, `Transform ${where.object}`));
    const { uri, entry } = await withCancellableProgress(
      `Transforming ${where.object} with ${etl.name}`,
      async (signal, report) => {
        const obj = await client.getObject(where.bucket, where.object, { etl, signal });
        let last = 0;
        const onBytes = (n: number) => {
          if (n - last > 1 << 20) {
            last = n;
            report(`${formatBytes(n)} received`);
          }
        };
        return s.results.save(obj.body, { ...where, etl: etl.name, label: opts.label, signal, onBytes });
      },
    );
    s.log.info(
      `transformed ais://${where.bucket}/${where.object} with ${etl.name}: ${entry.size} bytes${entry.binary ? ' (binary)' : ''}`,
    );
    if (opts.open !== false) await showResult(s, uri, entry);
    return { ...where, uri, size: entry.size, binary: entry.binary, file: entry.file, etl: etl.name };
  },
);

/** The object a command is about: the parts given, the rest picked. */
export async function resolveObject(s: CommandContext, given: ObjectRef, title: string): Promise<ObjectLocation> {
  const cluster = await pickCluster(s, given.cluster, title);
  const { client } = await s.clientFor(cluster);
  const bucket = given.bucket ?? (await pickBucket(client, `${title}: bucket`));
  const object = given.object ?? (await pickObject(client, bucket, `${title}: object`));
  return { cluster, bucket, object };
}

async function showResult(s: CommandContext, uri: vscode.Uri, entry: ResultEntry): Promise<void> {
  if (s.results.isBig(entry)) {
    const text = `The result is ${formatBytes(entry.size)}: the editor shows its beginning; the whole result is in ${entry.file}`;
    void vscode.window.showWarningMessage(text, 'Reveal file').then((x) => {
      if (x) void vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(entry.file));
    });
  }
  await vscode.window.showTextDocument(uri, { preview: true, viewColumn: resultColumn() });
}

/** Results reuse the column of an open result (a preview tab there), so repeated transforms don't keep splitting the
 *  editor; the first one opens beside the current editor. */
export function resultColumn(): vscode.ViewColumn {
  const open = vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === RESULT_SCHEME);
  return open?.viewColumn ?? vscode.ViewColumn.Beside;
}

/** Arguments for the picked ETL, or "| etl2 etl3" to pipe the result through more ETLs. */
async function askEtl(name: string): Promise<EngineEtlRef> {
  const v = await vscode.window.showInputBox({
    title: `Transform with ${name}`,
    placeHolder: 'leave empty for none',
    prompt: 'Optional: arguments for the ETL, or "| etl2 etl3" to pipe the result through more ETLs',
  });
  if (v === undefined) throw new CancelledError();
  const t = v.trim();
  if (t.startsWith('|')) return { name, pipeline: parsePipeline(t.slice(1)) };
  return { name, args: t || undefined };
}

export const compareTransform = declareCommand<TransformObjectArg, { input: vscode.Uri; output: vscode.Uri }>(
  'aistore.compareTransform',
  'Compare input and output',
  async (s, arg) => {
    const opts: TransformObjectArgs = arg && !('kind' in arg) && !('scheme' in arg) ? arg : {};
    const r = await transformObject.run(s, { ...opts, ...objectRef(arg), open: false });
    const input = aisUri(r);
    await vscode.commands.executeCommand('vscode.diff', input, r.uri, `${r.object} → ${r.etl}`, {
      preview: true,
      viewColumn: resultColumn(),
    });
    return { input, output: r.uri };
  },
);

export const openObject = declareCommand<ObjectNode | ObjectRef, vscode.Uri>(
  'aistore.openObject',
  'Open object',
  async (s, arg) => {
    const t = objectRef(arg);
    if (!t.bucket || !t.object)
      throw new UiError('Open object needs an object', { hint: 'pick one in the Clusters view' });
    const uri = aisUri({ cluster: s.registry.resolve(t.cluster).id, bucket: t.bucket, object: t.object });
    await vscode.commands.executeCommand('vscode.open', uri, { preview: true });
    return uri;
  },
);
