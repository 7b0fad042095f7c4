// One offline ETL job (etl-bck or etl-listrange) and its per-target counters, in AIS's Snap/Status shapes.
import { setMaxListeners } from 'node:events';
import { ObjErrors, type ObjErr } from '../etl/obj-errors';

export type JobKind = 'etl-bck' | 'etl-listrange';

export interface JobSpec {
  kind: JobKind;
  src: string;
  dst: string;
  etlName: string;
  pipeline: string[];
  args?: string;
  prefix: string;
  prepend: string;
  ext: Record<string, string>;
  dryRun: boolean;
  coer: boolean;
  numWorkers: number;
  objnames?: string[];
  template?: string;
}

export interface TargetStats {
  locObjs: number;
  locBytes: number;
  outObjs: number;
  outBytes: number;
  inObjs: number;
  inBytes: number;
  /** AIS's per-target obj_errors: deduplicated by message, capped */
  errors: ObjErrors;
  /** every object that failed, with its reason (capped at MAX_FAILED_LISTED; failedObjs counts all) */
  failed: FailedObj[];
  failedObjs: number;
  running: boolean;
}
export interface FailedObj {
  name: string;
  err: string;
}
export const MAX_FAILED_LISTED = 1000;

/** A target's counters before it has handled any object. */
function emptyStats(running: boolean): TargetStats {
  return {
    locObjs: 0,
    locBytes: 0,
    outObjs: 0,
    outBytes: 0,
    inObjs: 0,
    inBytes: 0,
    errors: new ObjErrors(),
    failed: [],
    failedObjs: 0,
    running,
  };
}

/** What a job looks like on disk (records.ts), enough to answer status/progress after a restart. */
export interface JobRecord {
  id: string;
  spec: JobSpec;
  startTime: string;
  endTime?: string;
  aborted: boolean;
  err: string;
  perTarget: Record<string, Omit<TargetStats, 'errors' | 'running'>>;
}

export class Job {
  startTime = new Date();
  endTime?: Date;
  aborted = false;
  err = '';
  readonly ac = new AbortController();
  readonly perTarget = new Map<string, TargetStats>();

  constructor(
    readonly id: string,
    readonly spec: JobSpec,
    targetIds: string[],
  ) {
    setMaxListeners(0, this.ac.signal); // every in-flight object listens for the job's abort
    for (const t of targetIds) {
      this.perTarget.set(t, emptyStats(true));
    }
  }

  /** A finished job as recorded on disk (the cluster restarted since). */
  static fromRecord(r: JobRecord): Job {
    const j = new Job(r.id, r.spec, Object.keys(r.perTarget));
    j.startTime = new Date(r.startTime);
    j.endTime = new Date(r.endTime ?? Date.now());
    j.aborted = r.aborted;
    j.err = r.err;
    for (const [tid, s] of Object.entries(r.perTarget)) {
      const st = j.perTarget.get(tid)!;
      Object.assign(st, s, { running: false });
      for (const f of s.failed) st.errors.add({ obj_name: f.name, msg: f.err, ecode: 500 });
    }
    return j;
  }

  record(): JobRecord {
    const perTarget: JobRecord['perTarget'] = {};
    for (const [tid, s] of this.perTarget) {
      const { errors: _e, running: _r, ...rest } = s;
      perTarget[tid] = { ...rest, failed: [...s.failed] };
    }
    return {
      id: this.id,
      spec: this.spec,
      startTime: this.startTime.toISOString(),
      endTime: this.endTime?.toISOString(),
      aborted: this.aborted,
      err: this.err,
      perTarget,
    };
  }

  /** Objects written (or counted, for a dry run) and objects failed, over all targets. */
  totals(): { written: number; failed: number } {
    let written = 0,
      failed = 0;
    for (const s of this.perTarget.values()) {
      written += s.locObjs + s.outObjs;
      failed += s.failedObjs;
    }
    return { written, failed };
  }

  /** "N written, M failed" (+ how it ended), as the job's one-line summary. */
  summary(): string {
    const { written, failed } = this.totals();
    const counts = `${written} written, ${failed} failed`;
    if (this.running) return `running: ${counts}`;
    return this.aborted ? `aborted (${this.err}): ${counts}` : `finished: ${counts}`;
  }

  /** Records object `name` of the source bucket as failed with `err`. */
  addFailure(targetId: string, name: string, err: string, ecode: number): void {
    const s = this.perTarget.get(targetId)!;
    s.errors.add({ obj_name: name, msg: err, ecode });
    s.failedObjs++;
    if (s.failed.length < MAX_FAILED_LISTED) s.failed.push({ name, err });
  }

  get running(): boolean {
    return !this.endTime;
  }

  abort(reason: string): void {
    if (this.endTime || this.aborted) return;
    this.aborted = true;
    this.err = this.err || reason;
    this.ac.abort(new Error(reason));
  }

  errors(): ObjErr[] {
    return [...this.perTarget.values()].flatMap((s) => s.errors.all());
  }

  status(): Record<string, unknown> {
    return {
      kind: this.spec.kind,
      uuid: this.id,
      err: this.err,
      aborted: this.aborted,
      is_idle: !this.running,
      end_time: this.endTime ? Number(BigInt(this.endTime.getTime()) * 1_000_000n) : 0,
    };
  }

  snap(targetId: string): Record<string, unknown> {
    // a job restored from disk may predate this target (or the record lacks it): zero counters
    const s = this.perTarget.get(targetId) ?? emptyStats(false);
    const bck = (name: string) => ({ name, provider: 'ais', namespace: { uuid: '', name: '' } });
    return {
      id: this.id,
      kind: this.spec.kind,
      bck: bck(this.spec.src),
      'src-bck': bck(this.spec.src),
      'dst-bck': bck(this.spec.dst),
      'start-time': this.startTime.toISOString(),
      'end-time': (s.running ? new Date(0) : (this.endTime ?? new Date()))
        .toISOString()
        .replace('1970-01-01T00:00:00.000Z', '0001-01-01T00:00:00Z'),
      ctlmsg: `etl: ${[this.spec.etlName, ...this.spec.pipeline].join('>>')}, ais://${this.spec.src} => ais://${this.spec.dst}`,
      'abort-err': this.aborted ? this.err : '',
      err: this.err,
      'glob.id': '0',
      stats: {
        'loc-objs': String(s.locObjs),
        'loc-bytes': String(s.locBytes),
        'out-objs': String(s.outObjs),
        'out-bytes': String(s.outBytes),
        'in-objs': String(s.inObjs),
        'in-bytes': String(s.inBytes),
      },
      aborted: this.aborted,
      is_idle: !s.running,
      // not in AIS's snap: the local cluster's own accounting of every selected object (clients may ignore it)
      ext: { written: s.locObjs + s.outObjs, failed: s.failedObjs, failed_objs: s.failed },
    };
  }
}
