// One offline ETL job (etl-bck or etl-listrange) and its per-target counters, in AIS's Snap/Status shapes.
import { setMaxListeners } from 'node:events';
import { ObjErrors, type ObjErr } from '../etl/obj-errors';

export type JobKind = 'etl-bck' | 'etl-listrange';

export interface JobSpec {
  kind: JobKind; src: string; dst: string; etlName: string; pipeline: string[]; args?: string;
  prefix: string; prepend: string; ext: Record<string, string>; dryRun: boolean; coer: boolean; numWorkers: number;
  objnames?: string[]; template?: string;
}

export interface TargetStats { locObjs: number; locBytes: number; outObjs: number; outBytes: number; inObjs: number; inBytes: number; errors: ObjErrors; running: boolean }

export class Job {
  readonly startTime = new Date();
  endTime?: Date;
  aborted = false;
  err = '';
  readonly ac = new AbortController();
  readonly perTarget = new Map<string, TargetStats>();

  constructor(readonly id: string, readonly spec: JobSpec, targetIds: string[]) {
    setMaxListeners(0, this.ac.signal); // every in-flight object listens for the job's abort
    for (const t of targetIds) this.perTarget.set(t, { locObjs: 0, locBytes: 0, outObjs: 0, outBytes: 0, inObjs: 0, inBytes: 0, errors: new ObjErrors(), running: true });
  }

  get running(): boolean { return !this.endTime; }

  abort(reason: string): void {
    if (this.endTime || this.aborted) return;
    this.aborted = true;
    this.err = this.err || reason;
    this.ac.abort(new Error(reason));
  }

  errors(): ObjErr[] { return [...this.perTarget.values()].flatMap((s) => s.errors.all()); }

  status(): Record<string, unknown> {
    return {
      kind: this.spec.kind, uuid: this.id, err: this.err, aborted: this.aborted, is_idle: !this.running,
      end_time: this.endTime ? Number(BigInt(this.endTime.getTime()) * 1_000_000n) : 0,
    };
  }

  snap(targetId: string): Record<string, unknown> {
    const s = this.perTarget.get(targetId)!;
    const bck = (name: string) => ({ name, provider: 'ais', namespace: { uuid: '', name: '' } });
    return {
      id: this.id, kind: this.spec.kind, bck: bck(this.spec.src), 'src-bck': bck(this.spec.src), 'dst-bck': bck(this.spec.dst),
      'start-time': this.startTime.toISOString(), 'end-time': (s.running ? new Date(0) : this.endTime ?? new Date()).toISOString().replace('1970-01-01T00:00:00.000Z', '0001-01-01T00:00:00Z'),
      ctlmsg: `etl: ${[this.spec.etlName, ...this.spec.pipeline].join('>>')}, ais://${this.spec.src} => ais://${this.spec.dst}`,
      'abort-err': this.aborted ? this.err : '', err: this.err, 'glob.id': '0',
      stats: {
        'loc-objs': String(s.locObjs), 'loc-bytes': String(s.locBytes), 'out-objs': String(s.outObjs), 'out-bytes': String(s.outBytes),
        'in-objs': String(s.inObjs), 'in-bytes': String(s.inBytes),
      },
      aborted: this.aborted, is_idle: !s.running, ext: null,
    };
  }
}
