// Runs one target's share of an offline ETL job: the target transforms only the objects it owns, through its own
// worker(s), and writes each result to the target that owns the destination name (an in-process direct put). On 4.0+,
// as aisnode does, a single ETL whose destination object belongs to another target is told that target's URL
// (`Ais-Node-Url`): a server that direct-puts answers 204 and the receiving target counts the object.
// Small objects go through the worker's framed batch path when it has one; everything else through bounded
// concurrent `transform` calls. Nothing is buffered beyond one batch of small objects.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { ownerOf, type ClusterContext, type TargetNode } from '../cluster/context';
import { runChain, readErrorBody } from '../etl/chain';
import { walkObjects } from '../storage/listing';
import { objNameError } from '../storage/names';
import type { EtlWorker, TransformInput } from '../worker-contract';
import { directPutUrl } from '../workers/paths';
import type { Job, TargetStats } from './job';
import { expandTemplate } from './template';

const BATCH_MAX_OBJS = 128;
const BATCH_MAX_BYTES = 8 << 20;
const BATCH_OBJ_LIMIT = 1 << 20; // bigger objects are streamed one by one
const BATCH_CONCURRENCY = 2; // one batch transforming while the previous one's results are written
const AUTO_WORKERS = 8;

const storeErrorCode = (e: Error) => (e as { status?: number }).status ?? 500;
/** Storage errors (with a status) say what they are; anything else broke the worker's response stream. */
const storeErrorMessage = (e: Error) =>
  (e as { status?: number }).status
    ? e.message
    : `ETL error: the worker's response broke off before its end (${e.message})`;

export function destName(job: Job, name: string): string {
  let out = name;
  for (const [from, to] of Object.entries(job.spec.ext)) {
    const f = from.replace(/^\./, ''),
      tt = to.replace(/^\./, '');
    if (out.endsWith('.' + f)) {
      out = out.slice(0, -f.length) + tt;
      break;
    }
  }
  return job.spec.prepend + out;
}

async function* sourceObjects(
  ctx: ClusterContext,
  job: Job,
  t: TargetNode,
): AsyncGenerator<{ name: string; size: number } | { name: string; missing: true }> {
  const { src } = job.spec;
  if (job.spec.kind === 'etl-bck' || (!job.spec.objnames?.length && !job.spec.template)) {
    // statSync on purpose: the folder was just listed, so this is a few µs of cached-inode lookup, where an async
    // stat costs a threadpool round trip (and, with two busy cores, contention on libuv's queue lock) per object.
    let n = 0;
    for await (const e of walkObjects(t.store.bucketDir(src), job.spec.prefix)) {
      const st = statSync(e.fullPath, { throwIfNoEntry: false }); // undefined: deleted meanwhile
      if (st?.isFile()) yield { name: e.name, size: st.size };
      if (++n % 256 === 0) await new Promise((r) => setImmediate(r)); // let other requests in
    }
    return;
  }
  const names: Iterable<string> = job.spec.objnames?.length ? job.spec.objnames : expandTemplate(job.spec.template!);
  for (const name of names) {
    if (objNameError(name) || ownerOf(ctx, src, name).id !== t.id) continue;
    const st = await t.store.stat(src, name);
    yield st ? { name, size: st.size } : { name, missing: true };
  }
}

/** A result's destination object and the target that owns it (placed once per object). */
type Destination = { dstName: string; owner: TargetNode };

export class TargetJobRunner {
  private readonly stats: TargetStats;
  private readonly single: EtlWorker[];

  constructor(
    private readonly ctx: ClusterContext,
    private readonly job: Job,
    private readonly t: TargetNode,
    private readonly workers: EtlWorker[],
    private readonly objTimeoutMs: number,
  ) {
    this.stats = job.perTarget.get(t.id)!;
    this.single = workers;
  }

  private fail(objName: string, msg: string, ecode: number): void {
    this.job.addFailure(this.t.id, `ais://${this.job.spec.src}/${objName}`, msg, ecode);
    if (!this.job.spec.coer) this.job.abort(`ais://${this.job.spec.src}/${objName}: ${msg}`);
  }

  private destination(objName: string): Destination {
    const dstName = destName(this.job, objName);
    return { dstName, owner: ownerOf(this.ctx, this.job.spec.dst, dstName) };
  }

  private async store(body: Buffer | NodeJS.ReadableStream, { dstName, owner }: Destination): Promise<void> {
    const { dst, dryRun } = this.job.spec;
    let size: number;
    if (dryRun) {
      if (Buffer.isBuffer(body)) size = body.length;
      else {
        size = 0;
        for await (const c of body) size += (c as Buffer).length;
      }
    } else {
      size = (await owner.store.put(dst, dstName, body as Buffer, this.job.ac.signal, false)).size;
    }
    if (dryRun || owner.id === this.t.id) {
      this.stats.locObjs++;
      this.stats.locBytes += size;
      return;
    }
    this.stats.outObjs++;
    this.stats.outBytes += size;
    const inStats = this.job.perTarget.get(owner.id);
    if (inStats) {
      inStats.inObjs++;
      inStats.inBytes += size;
    }
  }

  private input(name: string, size: number): TransformInput {
    return {
      bucket: this.job.spec.src,
      objName: name,
      fqn: this.t.store.objPath(this.job.spec.src, name),
      size,
      args: this.job.spec.args,
    };
  }

  /** Where the ETL may direct-put a result: the destination's owner when it is another target (4.0+). */
  private nodeUrl({ dstName, owner }: Destination): string | undefined {
    const { dst, dryRun } = this.job.spec;
    if (!this.ctx.ais.fqnToContainers || this.single.length !== 1 || dryRun || owner.id === this.t.id) return undefined;
    return directPutUrl(owner.url, dst, dstName, { uuid: this.job.id, owt: '3' });
  }

  private async one(name: string, size: number): Promise<void> {
    const timeout = AbortSignal.timeout(this.objTimeoutMs);
    const signal = AbortSignal.any([this.job.ac.signal, timeout]);
    const to = this.destination(name);
    const input = { ...this.input(name, size), nodeUrl: this.nodeUrl(to) };
    let chain;
    try {
      chain = await runChain(this.single, input, join(this.ctx.dataDir, this.t.id, '.spool'), signal);
    } catch (e) {
      if (this.job.ac.signal.aborted) return;
      if (timeout.aborted)
        this.fail(name, `ETL error: no answer within obj_timeout (${this.objTimeoutMs / 1000}s)`, 504);
      else this.fail(name, `ETL error: ${(e as Error).message}`, 500);
      return;
    }
    try {
      if (chain.out.status >= 400) {
        this.fail(name, `ETL error: ${await readErrorBody(chain.out)}`, chain.out.status);
        return;
      }
      if (chain.out.status === 204) {
        chain.out.body.resume();
        this.stats.outObjs++;
        this.stats.outBytes += Number(chain.out.headers['ais-direct-put-length']) || 0;
        return;
      }
      await this.store(chain.out.body, to);
    } catch (e) {
      if (!this.job.ac.signal.aborted) this.fail(name, storeErrorMessage(e as Error), storeErrorCode(e as Error));
    } finally {
      await chain.cleanup();
    }
  }

  private async batch(items: { name: string; size: number }[]): Promise<void> {
    const w = this.workers[0];
    const writes: Promise<void>[] = [];
    const answered = new Set<number>();
    try {
      await w.transformBatch!(
        items.map((x) => this.input(x.name, x.size)),
        (i, out) => {
          const it = items[i];
          if (!it || answered.has(i)) return;
          answered.add(i);
          if (out instanceof Error) {
            this.fail(it.name, `ETL error: ${out.message}`, (out as { status?: number }).status ?? 500);
            return;
          }
          writes.push(
            this.store(out, this.destination(it.name)).catch((e: Error) => {
              if (!this.job.ac.signal.aborted) this.fail(it.name, e.message, storeErrorCode(e));
            }),
          );
        },
        this.job.ac.signal,
      );
    } catch (e) {
      if (!this.job.ac.signal.aborted) {
        items.forEach((it, i) => {
          if (!answered.has(i)) {
            answered.add(i);
            this.fail(it.name, `ETL error: ${(e as Error).message}`, 500);
          }
        });
      }
    }
    // every object of the batch is accounted for: one the worker never answered is a failure, never a silent gap
    if (!this.job.ac.signal.aborted) {
      items.forEach((it, i) => {
        if (!answered.has(i)) this.fail(it.name, 'ETL error: the ETL worker returned no result for this object', 500);
      });
    }
    await Promise.all(writes);
  }

  async run(): Promise<void> {
    const useBatch = this.workers.length === 1 && typeof this.workers[0].transformBatch === 'function';
    const n = this.job.spec.numWorkers;
    const limit = useBatch ? BATCH_CONCURRENCY : n < 0 ? 1 : n === 0 ? AUTO_WORKERS : n;
    const inflight = new Set<Promise<void>>();
    const launch = async (p: Promise<void>) => {
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
      if (inflight.size >= limit) await Promise.race(inflight);
    };
    let pending: { name: string; size: number }[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      if (pending.length === 0) return;
      const items = pending;
      pending = [];
      pendingBytes = 0;
      await launch(this.batch(items));
    };
    try {
      for await (const o of sourceObjects(this.ctx, this.job, this.t)) {
        if (this.job.ac.signal.aborted) break;
        if ('missing' in o) {
          this.fail(o.name, 'object not found', 404);
          continue;
        }
        if (useBatch && o.size <= BATCH_OBJ_LIMIT) {
          pending.push(o);
          pendingBytes += o.size;
          if (pending.length >= BATCH_MAX_OBJS || pendingBytes >= BATCH_MAX_BYTES) await flush();
        } else {
          await launch(this.one(o.name, o.size));
        }
      }
      if (!this.job.ac.signal.aborted) await flush();
    } catch (e) {
      this.job.abort(`t[${this.t.id}]: ${(e as Error).message}`);
    }
    await Promise.allSettled([...inflight]);
    this.stats.running = false;
  }
}
