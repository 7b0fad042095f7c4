// Transform bucket…: source → destination through a running ETL, with progress, cancel (aborts the job), a summary
// and the failed objects with their errors.
//
// Plain arguments (tests): `aistore.transformBucket({ cluster?, src, dst, etl, prefix?, template?, dryRun?,
// continueOnError?, confirmSameBucket? })` — nothing is prompted. Returns `{ job, failed, report? }`.
import * as vscode from 'vscode';
import type { Services } from '../services';
import type { ClusterClient, JobKindLike, JobProgressLike } from '../services/engineTypes';
import { UserError } from '../services/errors';
import { formatBytes, pluralize } from '../services/format';
import { bucketTarget } from './args';
import { cancelled, confirm, pickBucket, pickCluster, pickRunningEtl, withCancellableProgress } from './ui';

export interface TransformBucketArgs {
  cluster?: string; src?: string; dst?: string; etl?: string; prefix?: string; template?: string;
  dryRun?: boolean; continueOnError?: boolean; confirmSameBucket?: boolean;
}
export interface TransformBucketResult { job: JobProgressLike; failed: { objName: string; message: string }[]; report?: vscode.Uri }

export async function transformBucket(s: Services, arg?: unknown): Promise<TransformBucketResult> {
  const o = (arg && typeof arg === 'object' ? arg : {}) as TransformBucketArgs & { kind?: string; etlName?: string; clusterId?: string };
  const fromNode = o.kind === 'bucket' ? bucketTarget(arg)?.bucket : undefined;
  const cluster = await pickCluster(s, o.cluster ?? o.clusterId, 'Transform bucket');
  const { client } = await s.clientFor(cluster);
  const interactive = !(o.src && o.dst && o.etl);
  const src = o.src ?? fromNode ?? await pickBucket(client, 'Transform bucket: source');
  const etl = o.etl ?? o.etlName ?? await pickRunningEtl(client, `Transform ${src}`);
  const dst = o.dst ?? await askDestination(client, src, etl);
  if (dst === src) {
    const ok = o.confirmSameBucket ?? (interactive && await confirm(`Write the transformed objects back into ${src}? This overwrites the source objects.`, 'Overwrite'));
    if (!ok) throw new UserError(`Destination is the source bucket ${src}`, 'pick another destination, or confirm overwriting');
  }
  const opts = interactive ? await askOptions() : { prefix: o.prefix, template: o.template, dryRun: !!o.dryRun, continueOnError: o.continueOnError ?? true };

  const request = { src, dst, etl: { name: etl }, dryRun: opts.dryRun, continueOnError: opts.continueOnError };
  const kind: JobKindLike = opts.template ? 'etl-listrange' : 'etl-bck';
  const id = opts.template
    ? await client.startMultiObjectTransform({ ...request, template: opts.template })
    : await client.startBucketTransform({ ...request, prefix: opts.prefix || undefined });
  s.log.info(`transform bucket ${src} → ${dst} with ${etl}: job ${id} (${kind})${opts.dryRun ? ', dry run' : ''}`);

  const last = await withCancellableProgress(`Transforming ${src} → ${dst}`, (signal, report) =>
    client.waitJob(id, kind, { signal, onProgress: (p) => report(`${pluralize(p.objs, 'object')}, ${formatBytes(p.bytes)}`) })
      .catch(async (err) => {
        if (signal.aborted) {
          await client.abortJob(id, kind).catch((e) => s.log.warn(`abort job ${id}: ${(e as Error).message}`));
          s.log.info(`job ${id} aborted by the user`);
        }
        throw err;
      }));

  // The last poll can read the counters a moment before the end it reports: read them once more once it's over.
  const again = last.aborted ? undefined : await client.jobProgress(id, kind).catch(() => undefined);
  const job = again && !again.running && again.objs >= last.objs ? { ...again, err: again.err ?? last.err } : last;
  const failed = (await client.etlDetails(etl, id).catch(() => undefined))?.objErrors ?? [];
  const summary = `${job.aborted ? 'Aborted' : job.err ? 'Failed' : 'Done'}: ${src} → ${dst} with ${etl}, ${pluralize(job.objs, 'object')} (${formatBytes(job.bytes)})${opts.dryRun ? ', dry run' : ''}${failed.length ? `, ${failed.length} failed` : ''}${job.err ? ` — ${job.err}` : ''}`;
  s.log.info(summary);
  s.tree.refreshBuckets(cluster);
  let report: vscode.Uri | undefined;
  if (failed.length) {
    const text = [`# ${summary}`, `# job ${id}`, '', ...failed.map((f) => `${f.objName}\t${f.message}`)].join('\n');
    report = s.reports.add(`failed objects ${id}`, text);
    void vscode.window.showWarningMessage(summary, 'Show failed objects').then((a) => { if (a) void vscode.window.showTextDocument(report!); });
  } else if (job.err || job.aborted) void vscode.window.showErrorMessage(summary, 'Show log').then((a) => { if (a) s.log.show(true); });
  else void vscode.window.showInformationMessage(summary);
  return { job, failed, report };
}

async function askDestination(client: ClusterClient, src: string, etl: string): Promise<string> {
  const bcks = await client.listBuckets();
  const NEW = '$(add) New bucket…';
  const pick = await vscode.window.showQuickPick([
    { label: NEW },
    ...bcks.map((b) => ({ label: b.name, description: b.name === src ? 'the source: objects are overwritten' : undefined })),
  ], { title: 'Transform bucket: destination' });
  if (!pick) throw cancelled();
  if (pick.label !== NEW) return pick.label;
  const name = await vscode.window.showInputBox({ title: 'Transform bucket: new destination bucket', value: `${src}-${etl}`.slice(0, 64),
    validateInput: (v) => (/^[A-Za-z0-9_.-]+$/.test(v.trim()) ? undefined : 'Letters, digits, "-", "_" and "." only') });
  if (!name) throw cancelled();
  return name.trim();
}

async function askOptions(): Promise<{ prefix?: string; template?: string; dryRun: boolean; continueOnError: boolean }> {
  const items = [
    { label: 'Continue on error', picked: true, key: 'coe' },
    { label: 'Dry run', description: 'count what would be written, write nothing', key: 'dry' },
    { label: 'Only objects with a prefix…', key: 'prefix' },
    { label: 'Only objects matching a template…', description: 'e.g. shard-{0000..0999}.tar', key: 'template' },
  ];
  const picks = await vscode.window.showQuickPick(items, { title: 'Transform bucket: options', canPickMany: true });
  if (!picks) throw cancelled();
  const has = (k: string) => picks.some((p) => p.key === k);
  let prefix: string | undefined;
  let template: string | undefined;
  if (has('template')) {
    template = await vscode.window.showInputBox({ title: 'Transform bucket: template', placeHolder: 'shard-{0000..0999}.tar' });
    if (template === undefined) throw cancelled();
  } else if (has('prefix')) {
    prefix = await vscode.window.showInputBox({ title: 'Transform bucket: prefix', placeHolder: 'images/' });
    if (prefix === undefined) throw cancelled();
  }
  return { prefix, template: template || undefined, dryRun: has('dry'), continueOnError: has('coe') };
}
