// The shared life of a long-running worker process ("pod"): start within init_timeout, serve hpush/hpull/ws with
// obj_timeout per object, kill-and-restart after a hung object, report unexpected deaths, stop without orphans.
import { Readable } from 'node:stream';
import { HttpComm } from './httpComm';
import { LogRing } from './logRing';
import { describeExit, type ExitInfo, type ManagedProcess } from './managedProcess';
import { etlFqnParam, pullPath, withQuery } from './paths';
import type { EtlWorker, LocalEtlSpec, TransformInput, TransformOutput, WorkerContext } from './types';
import { WsComm } from './wsClient';

export const HOST = '127.0.0.1';
const POST_NOTE =
  'note: the ETL server answered PUT with 501 (not implemented); AIS sends PUT for hpush://, ' +
  'the local cluster retried with POST and will keep using POST. Implement do_PUT to run on a real cluster.';

/** What a concrete worker hands back from `launch()`: the process and a promise of its port once it is ready. */
export interface Launch {
  proc: ManagedProcess;
  ready: Promise<number>;
  /** Why it is not ready yet (e.g. what /health answered), added to the init_timeout error. */
  waitingFor?: () => string | undefined;
}

export abstract class ProcessWorker implements EtlWorker {
  protected readonly ring = new LogRing();
  protected proc: ManagedProcess | undefined;
  protected port = 0;
  private http: HttpComm | undefined;
  private ws: WsComm | undefined;
  private _state: EtlWorker['state'] = 'starting';
  private _restarts = 0;
  private exitCbs: ((reason: string) => void)[] = [];
  protected restarting: Promise<void> | undefined;

  constructor(
    protected readonly spec: LocalEtlSpec,
    protected readonly ctx: WorkerContext,
  ) {}

  get pid(): number | undefined {
    return this.proc?.pid;
  }
  get state(): EtlWorker['state'] {
    return this._state;
  }
  get restarts(): number {
    return this._restarts;
  }

  /** Spawns the process; `ready` resolves with the port when it answers (or rejects). */
  protected abstract launch(): Promise<Launch>;
  /** Whether requests carry `etl_fqn` and no body (our runtime always; containers as the emulated AIS does). */
  protected abstract readonly passFqn: boolean;
  /** Whether a 501 to PUT may be retried with POST (containers on a 3.29 local cluster only). */
  protected get postFallback(): boolean {
    return false;
  }

  note(line: string): void {
    this.ring.push(`[aisetl] ${line}`);
    this.ctx.log(`etl ${this.spec.name} @${this.ctx.targetId}: ${line}`);
  }

  /** First start: resolves when ready, rejects (and leaves nothing running) after init_timeout. */
  async start(): Promise<this> {
    try {
      await this.bringUp();
    } catch (e) {
      this._state = 'failed';
      throw e;
    }
    this._state = 'running';
    return this;
  }

  private async bringUp(): Promise<void> {
    const { proc, ready, waitingFor } = await this.launch();
    this.proc = proc;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const why = waitingFor?.();
        reject(
          new Error(`did not become ready within init_timeout (${this.spec.initTimeoutMs} ms)${why ? `: ${why}` : ''}`),
        );
      }, this.spec.initTimeoutMs);
    });
    const died = proc.exited.then((e) => {
      throw new Error(`${describeExit(e)} while starting`);
    });
    try {
      this.port = await Promise.race([ready, timedOut, died]);
      // AIS opens its WebSocket session(s) while initialising a ws:// ETL, so a server without /ws fails init there.
      if (this.spec.commType === 'ws://') this.ws = await Promise.race([this.openWs(), timedOut, died]);
    } catch (e) {
      this.ws?.close();
      this.ws = undefined;
      await proc.kill();
      const tail = this.ring.tail(30);
      throw new Error(
        `ETL "${this.spec.name}" on target ${this.ctx.targetId}: the worker ${(e as Error).message}.` +
          (tail ? `\nLast log lines:\n${tail}` : ' It printed nothing.'),
      );
    } finally {
      clearTimeout(timer);
    }
    this.http = new HttpComm(`http://${HOST}:${this.port}`, {
      passFqn: this.passFqn,
      postFallback: this.postFallback,
      onPostFallback: () => (this.ctx.onLeniency ? this.ctx.onLeniency('hpush-post-fallback') : this.note(POST_NOTE)),
    });
    void proc.exited.then((e) => this.onProcessExit(proc, e));
  }

  /** One WebSocket connection to /ws, kept for the first object; the error says what a ws:// server must serve. */
  private async openWs(): Promise<WsComm> {
    const ws = new WsComm(HOST, this.port, { passFqn: this.passFqn });
    try {
      await ws.connectOne();
    } catch (e) {
      throw new Error(
        `is ready but a WebSocket session could not be opened to it (AIS opens one at init for ws://): ` +
          `${(e as Error).message}. A ws:// ETL server must accept WebSocket connections at /ws, as the AIS Python ` +
          `SDK's FastAPIServer does (HTTPMultiThreadedServer and FlaskServer do not); serve /ws, or init the ETL ` +
          `with comm_type hpush:// or hpull://`,
      );
    }
    return ws;
  }

  /** An exit the process chose because an object hung (our runtime's watchdog): restart, not a crash. */
  protected isHangExit(_e: ExitInfo): boolean {
    return false;
  }

  private onProcessExit(proc: ManagedProcess, e: ExitInfo): void {
    if (proc !== this.proc || proc.isBeingKilled || this._state !== 'running' || this.restarting) return;
    if (this.isHangExit(e)) {
      void this.restartAfterHang('an object');
      return;
    }
    const how = describeExit(e);
    this._state = 'failed';
    const reason =
      `ETL "${this.spec.name}" worker (pid ${proc.pid}) on target ${this.ctx.targetId} ${how}.` +
      `\nLast log lines:\n${this.ring.tail(20)}`;
    this.note(`worker ${how}`);
    for (const cb of this.exitCbs) cb(reason);
  }

  onExit(cb: (reason: string) => void): void {
    this.exitCbs.push(cb);
  }
  logs(): string {
    return this.ring.text();
  }

  /** Where an inline hpull GET is redirected: AIS ≥4.0 adds `etl_fqn` (§7.2). */
  pullUrl(input: TransformInput): string {
    // what the client sees
    const q = { etl_fqn: this.ctx.wire?.fqn ? etlFqnParam(input.fqn) : undefined, etl_args: input.args };
    return `http://${HOST}:${this.port}` + withQuery(pullPath(input.bucket, input.objName), q);
  }

  async transform(input: TransformInput, signal?: AbortSignal): Promise<TransformOutput> {
    if (this.restarting) await this.restarting;
    this.assertRunning();
    const proc = this.proc;
    try {
      return await this.withObjTimeout(input, signal);
    } catch (e) {
      if (signal?.aborted) throw e;
      if (!this.restarting) return this.crashOutput(proc, input, e as Error);
      // A connection dropped because another object's timeout restarted the worker: like AIS, retry once.
      await this.restarting;
      this.assertRunning();
      return this.withObjTimeout(input, signal);
    }
  }

  /** The request failed: if the process died under it, answer 500 with why (the user's os._exit, a segfault…). */
  private async crashOutput(
    proc: ManagedProcess | undefined,
    input: TransformInput,
    e: Error,
  ): Promise<TransformOutput> {
    const exit =
      proc && (await Promise.race([proc.exited, new Promise<undefined>((r) => setTimeout(() => r(undefined), 500))]));
    if (!exit) throw e;
    const msg =
      `ETL "${this.spec.name}": the worker process ${describeExit(exit)} while transforming ${input.bucket}/${input.objName}.` +
      `\nLast log lines:\n${this.ring.tail(20)}`;
    return { status: 500, body: Readable.from([Buffer.from(msg)]), headers: { 'content-type': 'text/plain' } };
  }

  protected assertRunning(): void {
    if (this._state !== 'running') {
      throw new Error(
        `ETL "${this.spec.name}" worker on target ${this.ctx.targetId} is ${this._state}; restart the ETL (ais etl start ${this.spec.name}).`,
      );
    }
  }

  private async withObjTimeout(input: TransformInput, signal?: AbortSignal): Promise<TransformOutput> {
    const ac = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ac.abort(new Error('obj_timeout'));
    }, this.spec.objTimeoutMs);
    const onAbort = (): void => ac.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await this.send(input, ac.signal);
    } catch (e) {
      if (!timedOut) throw e;
      void this.restartAfterHang(`${input.bucket}/${input.objName}`);
      return timeoutOutput(this.spec, input);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  protected send(input: TransformInput, signal: AbortSignal): Promise<TransformOutput> {
    if (!this.http) throw new Error('worker not started');
    if (this.spec.commType === 'ws://' && this.ws) return this.ws.transform(input, signal);
    if (this.spec.commType === 'hpull://') return this.http.pull(input, signal);
    return this.http.push(input, signal);
  }

  /** A hung transform cannot be interrupted inside the process: replace the process (like a pod restart). */
  protected restartAfterHang(what: string): Promise<void> {
    this.restarting ??= (async () => {
      this.note(
        `object ${what} exceeded obj_timeout (${this.spec.objTimeoutMs} ms): killing the worker process group and restarting it`,
      );
      await this.teardown();
      this._restarts++;
      try {
        await this.bringUp();
        this.note(`worker restarted (restarts: ${this._restarts})`);
      } catch (e) {
        this._state = 'failed';
        const reason = (e as Error).message;
        for (const cb of this.exitCbs) cb(reason);
      }
    })().finally(() => {
      this.restarting = undefined;
    });
    return this.restarting;
  }

  private async teardown(): Promise<void> {
    this.ws?.close();
    await this.http?.close();
    this.http = undefined;
    this.ws = undefined;
    this.beforeKill();
    await this.proc?.kill();
  }

  /** Hook for subclasses to close private channels before the process is killed. */
  protected beforeKill(): void {
    /* nothing by default */
  }

  async stop(): Promise<void> {
    if (this._state === 'stopped') return;
    this._state = 'stopped';
    if (this.restarting) await this.restarting.catch(() => undefined);
    this._state = 'stopped';
    await this.teardown();
  }
}

export function timeoutOutput(spec: LocalEtlSpec, input: TransformInput): TransformOutput {
  const msg =
    `ETL "${spec.name}": transforming ${input.bucket}/${input.objName} did not finish within obj_timeout ` +
    `(${spec.objTimeoutMs} ms); the worker process was killed and restarted. Raise obj_timeout or fix the transform.`;
  return { status: 504, body: Readable.from([Buffer.from(msg)]), headers: { 'content-type': 'text/plain' } };
}
