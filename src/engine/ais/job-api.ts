// Offline ETL jobs: start (etl-bck, etl-listrange), progress, wait, abort (etl-api.md §2.9–2.12).
import { AisError, abortedError } from './errors';
import { etlQuery } from './object-api';
import { bucketPath, parseBucket, uname } from './paths';
import type { Transport } from './transport';
import type {
  BucketTransformRequest,
  CallOptions,
  JobKind,
  JobProgress,
  MultiObjTransformRequest,
  WaitJobOptions,
} from './types';

/** TCBMsg fields shared by both job kinds. */
function transformValue(r: BucketTransformRequest | MultiObjTransformRequest): Record<string, unknown> {
  const q = etlQuery(r.etl);
  const v: Record<string, unknown> = { id: q.etl_name };
  if (q.etl_pipeline) v.pipeline = q.etl_pipeline.split(',');
  if (r.prepend) v.prepend = r.prepend;
  if (r.ext) v.ext = r.ext;
  v.dry_run = r.dryRun ?? false;
  v.coer = r.continueOnError ?? false;
  if (r.numWorkers !== undefined) v['num-workers'] = r.numWorkers;
  return v;
}

export async function startBucketTransform(t: Transport, r: BucketTransformRequest, o?: CallOptions): Promise<string> {
  const src = parseBucket(r.src);
  const value = transformValue(r);
  if (r.prefix) value.prefix = r.prefix;
  const xid = await t.text({
    method: 'POST',
    path: bucketPath(src),
    query: { provider: src.provider, bck_to: uname(parseBucket(r.dst)) },
    json: { action: 'etl-bck', name: '', value },
    ctx: { call: `transform bucket ${r.src} into ${r.dst}`, etl: r.etl.name, bucket: r.src },
    opts: o,
  });
  return xid.trim();
}

export async function startMultiObjectTransform(
  t: Transport,
  r: MultiObjTransformRequest,
  o?: CallOptions,
): Promise<string> {
  const src = parseBucket(r.src);
  const dst = parseBucket(r.dst);
  const value = {
    ...transformValue(r),
    tobck: { name: dst.name, provider: dst.provider, namespace: dst.namespace ?? { uuid: '', name: '' } },
    objnames: r.objnames ?? [],
    template: r.template ?? '',
  };
  const xid = await t.text({
    method: 'POST',
    path: bucketPath(src),
    query: { provider: src.provider },
    json: { action: 'etl-listrange', name: '', value },
    ctx: { call: `transform objects of ${r.src} into ${r.dst}`, etl: r.etl.name, bucket: r.src },
    opts: o,
  });
  return xid.trim();
}

/** core/xaction_wire.go Snap; counters are JSON strings */
interface WireSnap {
  id?: string;
  kind?: string;
  'start-time'?: string;
  'end-time'?: string;
  aborted?: boolean;
  'abort-err'?: string;
  err?: string;
  is_idle?: boolean;
  stats?: Record<string, string | number | undefined>;
  /** the local cluster's per-object accounting (AIS sends its own ext or null) */
  ext?: { written?: number; failed?: number; failed_objs?: { name: string; err: string }[] } | null;
}

function addAccounting(p: JobProgress, ext: WireSnap['ext']): void {
  if (!ext || typeof ext.written !== 'number' || typeof ext.failed !== 'number') return;
  p.written = (p.written ?? 0) + ext.written;
  p.failed = (p.failed ?? 0) + ext.failed;
  const list = (p.failedObjs ??= []);
  for (const f of ext.failed_objs ?? []) list.push({ objName: f.name, message: f.err });
}
/** nl/listener.go Status */
interface WireStatus {
  end_time?: number;
  aborted?: boolean;
  err?: string;
}

/** polls without any report before waitJob gives up on an id */
const UNKNOWN_JOB_POLLS = 5;
const ZERO_TIME = /^0001-01-01/;
const isSet = (t: string | undefined): t is string => !!t && !ZERO_TIME.test(t);
const num = (v: string | number | undefined): number => (v === undefined || v === '' ? 0 : Number(v) || 0);

/** Sum the per-target snaps of one job (pure; exported for tests and for the local cluster's own use). */
export function summarizeSnaps(
  id: string,
  kind: JobKind,
  multi: Record<string, WireSnap[] | null> | null,
): JobProgress {
  const p: JobProgress = {
    id,
    kind,
    running: false,
    aborted: false,
    objs: 0,
    bytes: 0,
    outObjs: 0,
    inObjs: 0,
    perTarget: {},
  };
  const starts: string[] = [];
  const ends: string[] = [];
  let allEnded = true;
  for (const [tid, snaps] of Object.entries(multi ?? {})) {
    for (const s of snaps ?? []) {
      if (s.id && s.id !== id) continue;
      const st = s.stats ?? {};
      const objs = num(st['loc-objs']) + num(st['out-objs']);
      const bytes = num(st['loc-bytes']) + num(st['out-bytes']);
      const pt = (p.perTarget[tid] ??= { objs: 0, bytes: 0 });
      pt.objs += objs;
      pt.bytes += bytes;
      p.objs += objs;
      p.bytes += bytes;
      p.outObjs += num(st['out-objs']);
      p.inObjs += num(st['in-objs']);
      if (s.aborted) p.aborted = true;
      addAccounting(p, s.ext);
      const err = s['abort-err'] || s.err;
      if (err && !p.err) p.err = err;
      if (isSet(s['start-time'])) starts.push(s['start-time']);
      if (isSet(s['end-time'])) ends.push(s['end-time']);
      else allEnded = false;
      if (!isSet(s['end-time']) && !s.aborted && !s.is_idle) p.running = true;
    }
  }
  if (starts.length) p.startTime = starts.sort()[0];
  if (ends.length && allEnded) p.endTime = ends.sort()[ends.length - 1];
  return p;
}

/** qryxstats (progress) + for etl-bck the IC status (authoritative end/abort/err). */
export async function jobProgress(t: Transport, id: string, kind: JobKind, o?: CallOptions): Promise<JobProgress> {
  return (await progressOnce(t, id, kind, o)).progress;
}

/** `known` = some target or the IC reported the job (right after start, or for a bogus id, nobody does). */
async function progressOnce(
  t: Transport,
  id: string,
  kind: JobKind,
  o?: CallOptions,
): Promise<{ progress: JobProgress; known: boolean }> {
  const ctx = { call: `read progress of job ${id}` };
  // Status first, counters second: read the other way round (or in parallel), a job that ends between the two reads
  // is reported as ended with the counters of a moment before, e.g. 0 objects done.
  const status = kind === 'etl-bck' ? await jobStatus(t, id, kind, o) : undefined;
  const multi = await t.json<Record<string, WireSnap[] | null> | null>({
    method: 'GET',
    path: '/v1/cluster',
    query: { what: 'qryxstats' },
    json: { id, kind, show_active: false },
    ctx,
    opts: o,
  });
  const progress = summarizeSnaps(id, kind, multi);
  if (status) applyStatus(progress, status);
  const known =
    status !== undefined || Object.values(multi ?? {}).some((snaps) => (snaps ?? []).some((s) => !s.id || s.id === id));
  return { progress, known };
}

function applyStatus(p: JobProgress, s: WireStatus): void {
  const ended = (s.end_time ?? 0) > 0;
  p.running = !ended && !s.aborted;
  if (s.aborted) p.aborted = true;
  if (s.err && !p.err) p.err = s.err;
  if (ended && !p.endTime) p.endTime = new Date(Math.floor((s.end_time ?? 0) / 1e6)).toISOString();
}

/** undefined when the IC does not know the job (404), e.g. right after start or long after the end. */
async function jobStatus(t: Transport, id: string, kind: JobKind, o?: CallOptions): Promise<WireStatus | undefined> {
  const r = {
    method: 'GET' as const,
    path: '/v1/cluster',
    query: { what: 'status' },
    json: { id, kind },
    ctx: { call: `read status of job ${id}` },
    opts: o,
  };
  const res = await t.send(r);
  try {
    if (res.status === 404) {
      await res.body.dump();
      return undefined;
    }
    await t.throwIfError(res, r);
    const text = await res.body.text();
    return text.trim() ? (JSON.parse(text) as WireStatus) : undefined;
  } catch (e) {
    throw t.mapError(e, res.scope, r, res.url);
  } finally {
    res.scope.dispose();
  }
}

/**
 * Poll until the job ends. etl-listrange idles instead of ending: like the Go API, two consecutive
 * not-running polls mean done. A job nobody reports yet (just started) is given a few polls to appear.
 * Cancelling the wait does not abort the job (see abortJob).
 */
export async function waitJob(t: Transport, id: string, kind: JobKind, o: WaitJobOptions = {}): Promise<JobProgress> {
  const interval = o.intervalMs ?? 1000;
  const needIdle = kind === 'etl-listrange' ? 2 : 1;
  let idle = 0;
  let everKnown = false;
  let unknownPolls = 0;
  for (;;) {
    const { progress: p, known } = await progressOnce(t, id, kind, o);
    everKnown ||= known;
    if (!everKnown && ++unknownPolls >= UNKNOWN_JOB_POLLS) {
      throw new AisError({
        method: 'GET',
        url: t.url('/v1/cluster'),
        call: `wait for job ${id}`,
        code: 'ENOJOB',
        aisMessage: `no target reports a ${kind} job with id ${id}`,
        hint: 'check the job id; the job may have ended long ago',
      });
    }
    o.onProgress?.(p);
    idle = p.running || !everKnown ? 0 : idle + 1;
    if (p.aborted || idle >= needIdle) return { ...p, running: false };
    await sleep(interval, o.signal, () =>
      abortedError({ method: 'GET', url: t.url('/v1/cluster'), call: `wait for job ${id}` }),
    );
  }
}

export async function abortJob(t: Transport, id: string, kind: JobKind, o?: CallOptions): Promise<void> {
  await t.empty({
    method: 'PUT',
    path: '/v1/cluster',
    json: { action: 'stop', name: '', value: { ID: id, Kind: kind } },
    ctx: { call: `abort job ${id}` },
    opts: o,
  });
}

function sleep(ms: number, signal: AbortSignal | undefined, onAbort: () => Error): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(onAbort());
    const done = (): void => {
      signal?.removeEventListener('abort', abort);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const abort = (): void => {
      clearTimeout(timer);
      reject(onAbort());
    };
    signal?.addEventListener('abort', abort, { once: true });
  });
}
