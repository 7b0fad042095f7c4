// Transform bucket…: source → destination through a running ETL, with progress, cancel (aborts the job), a summary
// and the failed objects with their errors. The path: the request (node, arguments or prompts) →
// AisClient.startBucketTransform / startMultiObjectTransform → waitJob into the progress notification → summary.
//
// Plain arguments: `aistore.transformBucket({ cluster?, src, dst, etl, prefix?, template?, dryRun?, continueOnError?,
// confirmSameBucket? })` — nothing is prompted. Returns `{ job, failed, report? }`.
import * as vscode from 'vscode';
import { isEtlRunning } from '../engine/ais/etl-stage';
import type { EtlObjError, JobKind, JobProgress } from '../engine/ais';
import type { ClusterClient } from '../services/engine';
import { CancelledError, UiError } from '../services/errors';
import { formatBytes, pluralize } from '../services/format';
import type { BucketNode, EtlNode } from '../views/treeNodes';
import type { CommandContext } from './context';
import { declareCommand } from './table';
import { checkBucketName } from './bucketNames';
import { askInput, pickOne } from './prompts';
import { askText, confirm, pickCluster, withCancellableProgress } from './ui';

export interface TransformBucketArgs {
  cluster?: string;
  src?: string;
  dst?: string;
  etl?: string;
  prefix?: string;
  template?: string;
  dryRun?: boolean;
  continueOnError?: boolean;
  confirmSameBucket?: boolean;
}
export interface TransformBucketResult {
  job: JobProgress;
  failed: EtlObjError[];
  report?: vscode.Uri;
}

/** Everything a bucket job needs, once known. */
export interface BucketJobPlan {
  cluster: string;
  src: string;
  dst: string;
  etl: string;
  prefix?: string;
  template?: string;
  dryRun: boolean;
  continueOnError: boolean;
}

interface JobOptions {
  prefix?: string;
  template?: string;
  dryRun: boolean;
  continueOnError: boolean;
}

export const transformBucket = declareCommand<BucketNode | EtlNode | TransformBucketArgs, TransformBucketResult>(
  'aistore.transformBucket',
  'Transform bucket',
  async (s, arg) => {
    const plan = await planJob(s, arg);
    const { client } = await s.clientFor(plan.cluster);
    const { id, kind } = await startJob(s, client, plan);
    const job = await followJob(s, client, id, kind, plan);
    const failed = (await client.etlDetails(plan.etl, id).catch(() => undefined))?.objErrors ?? [];
    s.tree.refreshBuckets(plan.cluster);
    return { job, failed, report: reportOutcome(s, plan, id, job, failed) };
  },
);

/** A bucket node gives the source, a running ETL node the ETL, plain arguments everything; the rest is asked. */
async function planJob(
  s: CommandContext,
  arg: BucketNode | EtlNode | TransformBucketArgs | undefined,
): Promise<BucketJobPlan> {
  const given: TransformBucketArgs = !arg
    ? {}
    : !('kind' in arg)
      ? arg
      : arg.kind === 'bucket'
        ? { cluster: arg.clusterId, src: arg.bucket }
        : { cluster: arg.clusterId, etl: arg.etlName };
  const cluster = await pickCluster(s, given.cluster, 'Transform bucket');
  const { client } = await s.clientFor(cluster);
  const interactive = !(given.src && given.dst && given.etl);
  const src = given.src ?? (await pickSource(client));
  const etl = given.etl ?? (await pickEtl(client, src));
  const dst = given.dst ?? (await askDestination(client, src, etl));
  if (dst === src) {
    const question = `Write the transformed objects back into ${src}? This overwrites the source objects.`;
    const ok = given.confirmSameBucket ?? (interactive && (await confirm(question, 'Overwrite')));
    if (!ok)
      throw new UiError(`Destination is the source bucket ${src}`, {
        hint: 'pick another destination, or confirm overwriting',
      });
  }
  const opts: JobOptions = interactive
    ? await askOptions()
    : {
        prefix: given.prefix,
        template: given.template,
        dryRun: !!given.dryRun,
        continueOnError: given.continueOnError ?? true,
      };
  return { cluster, src, dst, etl, ...opts };
}

async function startJob(
  s: CommandContext,
  client: ClusterClient,
  p: BucketJobPlan,
): Promise<{ id: string; kind: JobKind }> {
  const request = {
    src: p.src,
    dst: p.dst,
    etl: { name: p.etl },
    dryRun: p.dryRun,
    continueOnError: p.continueOnError,
  };
  const kind: JobKind = p.template ? 'etl-listrange' : 'etl-bck';
  const id = p.template
    ? await client.startMultiObjectTransform({ ...request, template: p.template })
    : await client.startBucketTransform({ ...request, prefix: p.prefix || undefined });
  s.log.info(`transform bucket ${p.src} → ${p.dst} with ${p.etl}: job ${id} (${kind})${p.dryRun ? ', dry run' : ''}`);
  return { id, kind };
}

/** Progress until the job ends; Cancel aborts the job on the cluster too. */
async function followJob(
  s: CommandContext,
  client: ClusterClient,
  id: string,
  kind: JobKind,
  p: BucketJobPlan,
): Promise<JobProgress> {
  const last = await withCancellableProgress(`Transforming ${p.src} → ${p.dst}`, (signal, report) =>
    client
      .waitJob(id, kind, {
        signal,
        onProgress: (j) => report(`${pluralize(j.objs, 'object')}, ${formatBytes(j.bytes)}`),
      })
      .catch(async (err: unknown) => {
        if (signal.aborted) {
          await client.abortJob(id, kind).catch((e: unknown) => s.log.warn(`abort job ${id}: ${String(e)}`));
          s.log.info(`job ${id} aborted by the user`);
        }
        throw err;
      }),
  );
  // The last poll can read the counters a moment before the end it reports: read them once more once it's over.
  const again = last.aborted ? undefined : await client.jobProgress(id, kind).catch(() => undefined);
  return again && !again.running && again.objs >= last.objs ? { ...again, err: again.err ?? last.err } : last;
}

function reportOutcome(
  s: CommandContext,
  p: BucketJobPlan,
  id: string,
  job: JobProgress,
  failed: EtlObjError[],
): vscode.Uri | undefined {
  const outcome = job.aborted ? 'Aborted' : job.err ? 'Failed' : 'Done';
  const summary =
    `${outcome}: ${p.src} → ${p.dst} with ${p.etl}, ${pluralize(job.objs, 'object')} (${formatBytes(job.bytes)})` +
    `${p.dryRun ? ', dry run' : ''}${failed.length ? `, ${failed.length} failed` : ''}${job.err ? ` — ${job.err}` : ''}`;
  s.log.info(summary);
  if (failed.length) {
    const text = [`# ${summary}`, `# job ${id}`, '', ...failed.map((f) => `${f.objName}\t${f.message}`)].join('\n');
    const report = s.reports.add(`failed objects ${id}`, text);
    void vscode.window.showWarningMessage(summary, 'Show failed objects').then((a) => {
      if (a) void vscode.window.showTextDocument(report);
    });
    return report;
  }
  if (job.err || job.aborted)
    void vscode.window.showErrorMessage(summary, 'Show log').then((a) => {
      if (a) s.log.show(true);
    });
  else void vscode.window.showInformationMessage(summary);
  return undefined;
}

const NEW_BUCKET = '$(add) New bucket…';
const STEPS = { title: 'Transform bucket', totalSteps: 4 };

async function pickSource(client: ClusterClient): Promise<string> {
  const items = (await client.listBuckets()).map((b) => ({ label: b.name, description: b.provider }));
  return (await pickOne({ ...STEPS, step: 1, items, placeholder: 'Source bucket' })).label;
}

/** The one running ETL is taken without asking. */
async function pickEtl(client: ClusterClient, src: string): Promise<string> {
  const running = (await client.listEtls()).filter((e) => isEtlRunning(e.stage));
  if (running.length === 0) {
    throw new UiError('No ETL is running on this cluster', {
      hint: 'deploy one first: open an ETL file and run "AIStore: Deploy ETL"',
    });
  }
  if (running.length === 1) return running[0].name;
  const items = running.map((e) => ({ label: e.name, description: e.stage }));
  return (await pickOne({ ...STEPS, step: 2, items, placeholder: `ETL to transform ${src} with` })).label;
}

export async function askDestination(client: ClusterClient, src: string, etl: string): Promise<string> {
  const bcks = await client.listBuckets();
  const pick = await pickOne({
    ...STEPS,
    step: 3,
    placeholder: 'Destination bucket',
    items: [
      { label: NEW_BUCKET },
      ...bcks.map((b) => ({
        label: b.name,
        description: b.name === src ? 'the source: objects are overwritten' : undefined,
      })),
    ],
  });
  if (pick.label !== NEW_BUCKET) return pick.label;
  const existing = bcks.map((b) => b.name);
  const name = await askInput({
    ...STEPS,
    step: 3,
    prompt: 'New destination bucket',
    value: `${src}-${etl}`.slice(0, 64),
    check: (v) => {
      const c = checkBucketName(v, [], 'this cluster');
      if (c || !existing.includes(v.trim())) return c;
      return { warning: `Bucket ${v.trim()} exists: the results are written into it` };
    },
  });
  if (!name.trim()) throw new CancelledError();
  return name.trim();
}

async function askOptions(): Promise<JobOptions> {
  const items = [
    { label: 'Continue on error', picked: true, key: 'coe' },
    { label: 'Dry run', description: 'count what would be written, write nothing', key: 'dry' },
    { label: 'Only objects with a prefix…', key: 'prefix' },
    { label: 'Only objects matching a template…', description: 'e.g. shard-{0000..0999}.tar', key: 'template' },
  ];
  const picks = await vscode.window.showQuickPick(items, {
    title: 'Transform bucket (4/4): options',
    canPickMany: true,
  });
  if (!picks) throw new CancelledError();
  const has = (k: string) => picks.some((p) => p.key === k);
  const template = has('template')
    ? await askText({ title: 'Transform bucket: template', placeHolder: 'shard-{0000..0999}.tar' })
    : undefined;
  const prefix =
    !has('template') && has('prefix')
      ? await askText({ title: 'Transform bucket: prefix', placeHolder: 'images/' })
      : undefined;
  return { prefix, template: template || undefined, dryRun: has('dry'), continueOnError: has('coe') };
}
