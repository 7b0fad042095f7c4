// ETL lifecycle on the local cluster: init (blocking until a worker per target is healthy), stop, start, delete,
// list, details, logs, health, metrics. Workers come from the injected factory (default: ./workers startWorker).
import { join } from 'node:path';
import { promises as fsp } from 'node:fs';
import { AisHttpError, badRequest, conflict, notFound } from '../errors';
import { newEtlSecret, newXactId } from '../ids';
import type { ClusterContext } from '../cluster/context';
import type { EtlWorker, LocalEtlSpec, WorkerContext, WorkerFactory } from '../worker-contract';
import { EtlMd, type EtlMdEntry } from './etlmd';
import { parseInitMsg, type InitKind, type ParsedInit } from './init-msg';
import { serverEtlNameError } from '../../etl/names';
import { leniency, type Leniency, type LeniencyId } from './leniency';
import { ObjErrors, type ObjErr } from './obj-errors';
import { procUsage } from './proc-metrics';

const LOG_LINES = 500;
const TAIL_CHARS = 2000;

export interface RunningEtl {
  name: string;
  spec: LocalEtlSpec;
  kind: InitKind;
  secret: string;
  xid: string;
  workers: Map<string, EtlWorker>;
  logLines: Map<string, string[]>;
  inlineErrors: Map<string, ObjErrors>;
  counters: { objCount: number; inBytes: number; outBytes: number };
  /** consecutive obj_timeout expiries per target; reset by any answer from the worker */
  timeouts: Map<string, number>;
  stopping: boolean;
}

/** A worker that lets this many objects in a row run into obj_timeout is considered hung and the ETL is aborted. */
export const HUNG_AFTER_TIMEOUTS = 3;

export interface EtlManagerHooks {
  onEtlStopped(name: string, reason: string): void;
}

/** `local_leniencies` (only when there are some: a real AIS never sends the field). */
function leniencyField(l: Leniency[] | undefined): { local_leniencies?: Leniency[] } {
  return l && l.length > 0 ? { local_leniencies: l } : {};
}

function errorText(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}

export function logTail(s: string, n = TAIL_CHARS): string {
  return s.length > n ? '…' + s.slice(-n) : s;
}

export class EtlManager {
  private readonly running = new Map<string, RunningEtl>();
  private readonly busy = new Set<string>();

  private constructor(
    private readonly ctx: ClusterContext,
    readonly md: EtlMd,
    private readonly factory: WorkerFactory,
    private readonly hooks: EtlManagerHooks,
  ) {}

  static async create(ctx: ClusterContext, factory: WorkerFactory, hooks: EtlManagerHooks): Promise<EtlManager> {
    return new EtlManager(ctx, await EtlMd.load(ctx.dataDir), factory, hooks);
  }

  private pfx(): string {
    return `p[${this.ctx.proxyId}]`;
  }

  assertName(name: string): void {
    const err = serverEtlNameError(name);
    if (err) throw badRequest(err);
  }

  entry(name: string): EtlMdEntry {
    this.assertName(name);
    const e = this.md.entries.get(name);
    if (!e) throw notFound(`${this.pfx()}: etl job ${name} does not exist`);
    return e;
  }

  /** The running ETL on this target, or AIS's inline-transform 404. */
  worker(name: string, targetId: string): { rt: RunningEtl; worker: EtlWorker } {
    const rt = this.running.get(name);
    const w = rt?.workers.get(targetId);
    if (!rt || !w || rt.stopping || this.md.entries.get(name)?.stage !== 'Running') {
      throw notFound(
        `t[${targetId}]: ${name} does not exist - try starting new ETL with "${this.ctx.proxyUrl}/v1/etl/init" endpoint`,
      );
    }
    return { rt, worker: w };
  }

  runningEtl(name: string): RunningEtl | undefined {
    return this.md.entries.get(name)?.stage === 'Running' ? this.running.get(name) : undefined;
  }

  async init(body: Buffer): Promise<string> {
    const parsed = parseInitMsg(body, this.ctx.ais);
    const name = parsed.spec.name;
    if (this.md.entries.has(name) || this.busy.has(name))
      throw conflict(`${this.pfx()}: etl job ${name} already exists`);
    const entry: EtlMdEntry = { name, stage: 'Initializing', initMsg: parsed.initMsg, xid: '' };
    this.md.entries.set(name, entry);
    await this.md.save();
    return this.boot(entry, parsed);
  }

  async start(name: string): Promise<string> {
    const entry = this.entry(name);
    if (entry.stage !== 'Aborted' || this.busy.has(name))
      throw badRequest(`invalid action "can't start ETL[${name}] during ${entry.stage} stage"`);
    const parsed = parseInitMsg(JSON.stringify(entry.initMsg), this.ctx.ais);
    entry.stage = 'Initializing';
    delete entry.reason;
    await this.md.save();
    return this.boot(entry, parsed);
  }

  /** Starts one worker per target in parallel and blocks until all are healthy or one failed. */
  private async boot(entry: EtlMdEntry, parsed: ParsedInit): Promise<string> {
    const { spec, kind } = parsed;
    const name = entry.name;
    this.busy.add(name);
    entry.leniencies = [];
    const rt: RunningEtl = {
      name,
      spec,
      kind,
      secret: newEtlSecret(),
      xid: `etl-${newXactId()}`,
      workers: new Map(),
      logLines: new Map(),
      inlineErrors: new Map(),
      counters: { objCount: 0, inBytes: 0, outBytes: 0 },
      timeouts: new Map(),
      stopping: false,
    };
    this.running.set(name, rt);
    try {
      for (const l of parsed.leniencies) this.noteLeniency(entry, l.id);
      const results = await Promise.allSettled(this.ctx.targets.map((t) => this.startOn(rt, entry, t, parsed.notes)));
      const failed = results.map((r, i) => ({ r, t: this.ctx.targets[i] })).filter((x) => x.r.status === 'rejected');
      if (failed.length > 0 || rt.stopping) {
        await this.stopWorkers(rt);
        const msgs = failed.map(
          ({ r, t }) => `[t[${t.id}],etl="${name}"] ${errorText((r as PromiseRejectedResult).reason)}`,
        );
        const reason = msgs.join('; ') || `ETL ${name} was stopped during initialization`;
        entry.stage = 'Aborted';
        entry.reason = reason;
        await this.md.save();
        throw new AisHttpError(
          400,
          `${reason}\n(the ETL is now Aborted: fix the problem, then start it again or delete it)`,
          'ErrETL',
        );
      }
      entry.stage = 'Running';
      entry.xid = rt.xid;
      await this.md.save();
      this.ctx.log(`etl ${name} (${kind}, ${spec.commType}) running on ${rt.workers.size} target(s), xid ${rt.xid}`);
      return rt.xid;
    } finally {
      this.busy.delete(name);
    }
  }

  /** One target's worker; its log starts with the init notes. */
  private async startOn(
    rt: RunningEtl,
    entry: EtlMdEntry,
    t: ClusterContext['targets'][number],
    notes: string[],
    extra: Partial<WorkerContext> = {},
  ): Promise<EtlWorker> {
    const name = rt.name;
    const lines: string[] = notes.map((n) => `[aisetl] note: ${n}`);
    rt.logLines.set(t.id, lines);
    rt.inlineErrors.set(t.id, new ObjErrors());
    const workDir = join(this.ctx.dataDir, '.etl', name, t.id);
    await fsp.mkdir(workDir, { recursive: true });
    const log = (line: string) => {
      lines.push(line);
      if (lines.length > LOG_LINES) lines.splice(notes.length, lines.length - LOG_LINES);
      this.ctx.log(`[etl ${name} t[${t.id}]] ${line}`);
    };
    const w = await this.startWithDeadline(rt.spec, {
      targetId: t.id,
      targetUrl: `${t.url}/v1/etl/_object/${name}/${rt.secret}`,
      workDir,
      log,
      wire: { fqn: this.ctx.ais.fqnToContainers, postFallback: this.ctx.ais.seedLeniencies },
      onLeniency: (id) => {
        if (this.noteLeniency(entry, id)) log(`[aisetl] ${leniency(id).note}`);
      },
      ...extra,
    });
    rt.workers.set(t.id, w);
    w.onExit((reason) => void this.onWorkerExit(rt, t.id, w, reason));
    return w;
  }

  /**
   * Replaces every worker of a running ETL by one started from `spec` with extra context (debugging, etl/debug.ts).
   * Requests arriving meanwhile get the not-running 404; a failed start aborts the ETL like a failed init.
   */
  async restartWorkers(
    name: string,
    spec: LocalEtlSpec,
    extra: (targetId: string) => Partial<WorkerContext>,
    notes: string[],
  ): Promise<void> {
    const rt = this.mustRun(name);
    if (this.busy.has(name)) throw conflict(`${this.pfx()}: etl job ${name} is busy (initializing or restarting)`);
    this.busy.add(name);
    try {
      const old = [...rt.workers.values()];
      rt.workers.clear(); // their exits are no failure of the ETL
      await Promise.allSettled(old.map((w) => w.stop()));
      rt.spec = spec;
      rt.timeouts.clear();
      const entry = this.entry(name);
      const starts = this.ctx.targets.map((t) => this.startOn(rt, entry, t, notes, extra(t.id)));
      const results = await Promise.allSettled(starts);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) {
        const reason = `restarting the workers failed: ${errorText(failed.reason)}`;
        await this.stop(name, reason);
        throw new AisHttpError(400, `${reason}\n(the ETL is now Aborted: start it again)`, 'ErrETL');
      }
    } finally {
      this.busy.delete(name);
    }
  }

  /** Records a leniency once per ETL; true the first time (the caller logs it then). */
  private noteLeniency(entry: EtlMdEntry, id: LeniencyId): boolean {
    const list = (entry.leniencies ??= []);
    if (list.some((l) => l.id === id)) return false;
    list.push(leniency(id));
    this.ctx.log(`etl ${entry.name}: ${leniency(id).note}`);
    void this.md.save();
    return true;
  }

  private startWithDeadline(spec: LocalEtlSpec, wctx: Parameters<WorkerFactory>[1]): Promise<EtlWorker> {
    const p = this.factory(spec, wctx);
    const grace = spec.initTimeoutMs + 10_000; // the worker enforces init_timeout itself; this is only a backstop
    return new Promise<EtlWorker>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new Error(
            `the ETL worker did not become healthy within ${Math.round(grace / 1000)}s (init_timeout); check the ETL logs`,
          ),
        );
        p.then(
          (w) => w.stop(),
          () => undefined,
        );
      }, grace);
      p.then(
        (w) => {
          clearTimeout(timer);
          resolve(w);
        },
        (e) => {
          clearTimeout(timer);
          reject(e);
        },
      );
    });
  }

  private async onWorkerExit(rt: RunningEtl, targetId: string, w: EtlWorker, reason: string): Promise<void> {
    if (rt.stopping || this.running.get(rt.name) !== rt || rt.workers.get(targetId) !== w) return;
    const msg = `[t[${targetId}],etl="${rt.name}"] worker exited: ${reason}\n${logTail(w.logs())}`;
    this.ctx.log(`etl ${rt.name} aborted: ${msg}`);
    await this.stop(rt.name, msg).catch((e) =>
      this.ctx.log(`etl ${rt.name}: stop after worker exit failed: ${(e as Error).message}`),
    );
  }

  /** Called by the data path after each worker call: answered (any status) or ran into obj_timeout. */
  noteWorkerCall(rt: RunningEtl, targetId: string, timedOut: boolean): void {
    if (!timedOut) {
      if (rt.timeouts.get(targetId)) rt.timeouts.set(targetId, 0);
      return;
    }
    const n = (rt.timeouts.get(targetId) ?? 0) + 1;
    rt.timeouts.set(targetId, n);
    if (n < HUNG_AFTER_TIMEOUTS || rt.stopping) return;
    const w = rt.workers.get(targetId);
    const msg =
      `[t[${targetId}],etl="${rt.name}"] the worker did not answer ${n} objects in a row within obj_timeout ` +
      `(${rt.spec.objTimeoutMs / 1000}s): it looks hung; raise obj_timeout if transforms are legitimately slow\n${logTail(w?.logs() ?? '')}`;
    this.ctx.log(`etl ${rt.name} aborted: ${msg}`);
    void this.stop(rt.name, msg).catch((e) =>
      this.ctx.log(`etl ${rt.name}: stop of a hung worker failed: ${(e as Error).message}`),
    );
  }

  private async stopWorkers(rt: RunningEtl): Promise<void> {
    rt.stopping = true;
    await Promise.allSettled([...rt.workers.values()].map((w) => w.stop()));
  }

  async stop(name: string, reason = 'stopped by user'): Promise<void> {
    const entry = this.entry(name);
    const rt = this.running.get(name);
    entry.stage = 'Aborted';
    entry.reason = reason;
    if (rt) {
      rt.stopping = true;
      this.hooks.onEtlStopped(name, reason);
      await this.stopWorkers(rt);
      if (this.running.get(name) === rt) this.running.delete(name);
    }
    await this.md.save();
  }

  async remove(name: string): Promise<void> {
    await this.stop(name, 'deleted');
    this.md.entries.delete(name);
    await this.md.save();
    await fsp.rm(join(this.ctx.dataDir, '.etl', name), { recursive: true, force: true }).catch(() => undefined);
  }

  async stopAll(): Promise<void> {
    await Promise.allSettled([...this.running.values()].map((rt) => this.stopWorkers(rt)));
    for (const e of this.md.entries.values())
      if (e.stage !== 'Aborted') {
        e.stage = 'Aborted';
        e.reason = 'the local cluster was stopped';
      }
    this.running.clear();
    await this.md.save();
  }

  list(): Record<string, unknown>[] {
    return [...this.md.entries.values()]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((e) => {
        const rt = e.stage === 'Running' ? this.running.get(e.name) : undefined;
        const stage = this.stageName(e.stage);
        const c = rt?.counters ?? { objCount: 0, inBytes: 0, outBytes: 0 };
        return {
          id: e.name,
          stage,
          xaction_id: rt?.xid ?? '',
          obj_count: c.objCount,
          in_bytes: c.inBytes,
          out_bytes: c.outBytes,
          ...leniencyField(e.leniencies),
        };
      });
  }

  /**
   * GET /v1/etl/<name>[?uuid=]. 5.0 asks the targets' communicators, so 404 unless Running; the 3.29 proxy answers
   * the init message from etlMD, running or not.
   */
  details(name: string, jobErrors?: ObjErr[]): Record<string, unknown> {
    const e = this.entry(name);
    const rt = this.runningEtl(name);
    if (!rt && this.ctx.ais.detailsFromEtlMd) return { init_msg: e.initMsg, ...leniencyField(e.leniencies) };
    if (!rt)
      throw notFound(
        `t[${this.ctx.targets[0]?.id}]: etl job ${name} is not running (stage ${this.stageName(e.stage)}` +
          `${e.reason ? `: ${e.reason}` : ''}); start it to view details`,
      );
    const errs = jobErrors ?? [...rt.inlineErrors.values()].flatMap((x) => x.all());
    return { init_msg: e.initMsg, ...(errs.length > 0 && { obj_errors: errs }), ...leniencyField(e.leniencies) };
  }

  private mustRun(name: string): RunningEtl {
    const e = this.entry(name);
    const rt = this.runningEtl(name);
    if (!rt) {
      throw notFound(
        `t[${this.ctx.targets[0]?.id}]: etl job ${name} is not running (stage ${this.stageName(e.stage)})`,
      );
    }
    return rt;
  }

  /** The stage as the emulated release names it: a stopped ETL is `Stopped` on 3.29, `Aborted` on 5.0. */
  private stageName(stage: string): string {
    return stage === 'Aborted' ? this.ctx.ais.stoppedStage : stage;
  }

  logs(name: string, targetId?: string): { target_id: string; logs: string }[] {
    const rt = this.mustRun(name);
    if (targetId && !this.ctx.targets.some((t) => t.id === targetId)) throw badRequest(`unknown target "${targetId}"`);
    return this.ctx.targets
      .filter((t) => !targetId || t.id === targetId)
      .map((t) => {
        const w = rt.workers.get(t.id);
        const text = [...(rt.logLines.get(t.id) ?? [])].join('\n') + '\n' + (w?.logs() ?? '');
        return { target_id: t.id, logs: Buffer.from(text).toString('base64') };
      });
  }

  health(name: string): { target_id: string; health_status: string }[] {
    const rt = this.mustRun(name);
    const phase = (w?: EtlWorker) =>
      !w
        ? 'Unknown'
        : w.state === 'running'
          ? 'Running'
          : w.state === 'starting'
            ? 'Pending'
            : w.state === 'failed'
              ? 'Failed'
              : 'Succeeded';
    return this.ctx.targets.map((t) => ({ target_id: t.id, health_status: phase(rt.workers.get(t.id)) }));
  }

  metrics(name: string): { target_id: string; cpu: number; mem: number }[] {
    const rt = this.mustRun(name);
    return this.ctx.targets
      .map((t) => ({ target_id: t.id, ...procUsage(rt.workers.get(t.id)?.pid) }))
      .sort((a, b) => (a.target_id < b.target_id ? -1 : 1));
  }

  /** Every worker pid of every running ETL (tests check none survives a stop). */
  pids(): number[] {
    return [...this.running.values()].flatMap((rt) =>
      [...rt.workers.values()].map((w) => w.pid).filter((p): p is number => typeof p === 'number'),
    );
  }
}
