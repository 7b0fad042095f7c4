// Offline ETL jobs: start (POST /v1/buckets/<src> etl-bck / etl-listrange), status, snaps, abort.
import { badRequest, notFound } from '../errors';
import { newXactId } from '../ids';
import type { ClusterContext } from '../cluster/context';
import type { EtlManager } from '../etl/manager';
import { resolveChain } from '../etl/inline';
import type { ObjErr } from '../etl/obj-errors';
import { Job, type JobKind, type JobSpec } from './job';
import { JobRecords } from './records';
import { TargetJobRunner } from './runner';

const KEEP_FINISHED = 200;

export class JobManager {
  private readonly jobs = new Map<string, Job>();
  private readonly records: JobRecords;

  constructor(
    private readonly ctx: ClusterContext,
    private readonly etls: EtlManager,
    private readonly ensureBucket: (name: string) => Promise<void>,
  ) {
    this.records = new JobRecords(ctx.dataDir);
  }

  /** Loads the jobs of earlier runs; one that was running when the cluster was killed is reported as aborted. */
  async recover(): Promise<void> {
    for (const r of await this.records.load()) {
      const j = Job.fromRecord(r);
      this.jobs.set(j.id, j);
      if (r.err && r.aborted && r.endTime && Date.now() - Date.parse(r.endTime) < 60_000) {
        this.ctx.log(`${r.spec.kind}[${r.id}] ${j.summary()}`);
      }
    }
    this.prune();
  }

  /** Validates, registers and starts a job on every target; returns its ID right away (like AIS). */
  async start(spec: JobSpec): Promise<string> {
    if (!this.ctx.bmd.has(spec.src)) throw notFound(`bucket "ais://${spec.src}" does not exist`, 'ErrBckNotFound');
    if (spec.src === spec.dst && !spec.dryRun)
      throw badRequest(
        `cannot transform ais://${spec.src} onto itself: use a different destination bucket (or dry_run to inspect)`,
      );
    for (const n of [spec.etlName, ...spec.pipeline]) {
      this.etls.assertName(n);
      if (!this.etls.runningEtl(n))
        throw notFound(`p[${this.ctx.proxyId}]: etl job ${n} does not exist or is not running (start it first)`);
    }
    // resolve now so a missing worker fails the request instead of the job
    const chains = new Map(
      this.ctx.targets.map((t) => [t.id, resolveChain(this.etls, t.id, spec.etlName, spec.pipeline.join(','))]),
    );
    if (!spec.dryRun && !this.ctx.bmd.has(spec.dst)) await this.ensureBucket(spec.dst);
    const job = new Job(
      newXactId(),
      spec,
      this.ctx.targets.map((t) => t.id),
    );
    this.jobs.set(job.id, job);
    this.prune();
    const objTimeoutMs = Math.max(...chains.get(this.ctx.targets[0].id)!.rts.map((r) => r.spec.objTimeoutMs));
    this.records.track(job.id, () => job.record());
    void Promise.allSettled(
      this.ctx.targets.map((t) => new TargetJobRunner(this.ctx, job, t, chains.get(t.id)!.workers, objTimeoutMs).run()),
    ).then(async () => {
      job.endTime = new Date();
      await this.records.stopTracking(job.id, job.record());
      this.ctx.log(`${spec.kind}[${job.id}] ${job.summary()}`);
    });
    return job.id;
  }

  private prune(): void {
    const done = [...this.jobs.values()].filter((j) => !j.running);
    for (const j of done.slice(0, Math.max(0, done.length - KEEP_FINISHED))) {
      this.jobs.delete(j.id);
      this.records.remove(j.id);
    }
  }

  get(id: string): Job {
    const j = this.jobs.get(id);
    if (!j) throw notFound(`p[${this.ctx.proxyId}]: job "${id}" not found`);
    return j;
  }

  errors(id: string): ObjErr[] {
    return this.get(id).errors();
  }

  /** Jobs matching an xact QueryMsg ({id, kind, show_active}). */
  query(q: { id?: string; kind?: string; onlyRunning?: boolean }): Job[] {
    return [...this.jobs.values()].filter(
      (j) => (!q.id || j.id === q.id) && (!q.kind || kindMatches(j.spec.kind, q.kind)) && (!q.onlyRunning || j.running),
    );
  }

  abort(id: string | undefined, kind: string | undefined, reason = 'aborted by user'): number {
    const js = this.query({ id, kind, onlyRunning: true });
    for (const j of js) j.abort(reason);
    return js.length;
  }

  abortByEtl(etlName: string, reason: string): void {
    for (const j of this.jobs.values()) {
      if (j.running && (j.spec.etlName === etlName || j.spec.pipeline.includes(etlName)))
        j.abort(`etl ${etlName} stopped: ${reason.split('\n')[0]}`);
    }
  }

  onDirectPut(jobId: string, targetId: string, bytes: number): void {
    const s = this.jobs.get(jobId)?.perTarget.get(targetId);
    if (s) {
      s.inObjs++;
      s.inBytes += bytes;
    }
  }

  abortAll(reason: string): void {
    for (const j of this.jobs.values()) j.abort(reason);
  }
}

/** AIS accepts display names too (etl-bucket, etl-objects). */
function kindMatches(kind: JobKind, q: string): boolean {
  return (
    q === kind ||
    (kind === 'etl-bck' && q === 'etl-bucket') ||
    (kind === 'etl-listrange' && (q === 'etl-objects' || q === 'etl-multiobj'))
  );
}
