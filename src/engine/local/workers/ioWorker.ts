// io:// ETLs (AIS 3.7–4.9): one `python code.py` per object, object on stdin, result on stdout. Unlike the old
// io server (which answered 200 whatever happened), a non-zero exit is an error whose body is stderr, so the
// user sees the traceback; obj_timeout kills the process group so nothing hangs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { workerEnv } from './env';
import { LogRing } from './logRing';
import { ManagedProcess, describeExit } from './managedProcess';
import { timeoutOutput } from './processWorker';
import { findPython, versionNote } from './python';
import type { EtlWorker, IoSource, LocalEtlSpec, TransformInput, TransformOutput, WorkerContext } from './types';

/** Output up to this size is held until the script exits, so its exit status decides the HTTP status. */
const HOLD_BYTES = 1 << 20;
const STDERR_KEEP = 64 << 10;

export class IoWorker implements EtlWorker {
  private readonly ring = new LogRing();
  private readonly running = new Set<ManagedProcess>();
  private python = '';
  private codeFile = '';
  private _state: EtlWorker['state'] = 'starting';

  constructor(
    private readonly spec: LocalEtlSpec,
    private readonly ctx: WorkerContext,
  ) {}

  get pid(): number | undefined {
    return undefined;
  } // no long-running process: one per object
  get state(): EtlWorker['state'] {
    return this._state;
  }
  get restarts(): number {
    return 0;
  }

  /** Ready as soon as Python is known to exist (the io server's /health answered immediately too). */
  async start(): Promise<this> {
    const src = this.spec.source as IoSource;
    const py = await findPython().catch((e: Error) => {
      this._state = 'failed';
      throw e;
    });
    this.python = py.exe;
    const note = versionNote(src.runtime, py);
    if (note) this.note(note);
    fs.mkdirSync(this.ctx.workDir, { recursive: true });
    this.codeFile = path.join(this.ctx.workDir, 'code.py');
    fs.writeFileSync(this.codeFile, src.code);
    this._state = 'running';
    this.note(`io:// ready: each object runs "${this.python} code.py" with the object on stdin`);
    return this;
  }

  private note(line: string): void {
    this.ring.push(`[aisetl] ${line}`);
    this.ctx.log(`etl ${this.spec.name} @${this.ctx.targetId}: ${line}`);
  }

  logs(): string {
    return this.ring.text();
  }
  onExit(_cb: (reason: string) => void): void {
    /* a per-object process ending is not the worker dying */
  }

  pullUrl(_input: TransformInput): string {
    throw new Error(
      `ETL "${this.spec.name}" uses io://, which has no server to redirect to; use it with GET (push) or a bucket job.`,
    );
  }

  transform(input: TransformInput, signal?: AbortSignal): Promise<TransformOutput> {
    if (this._state !== 'running')
      return Promise.reject(
        new Error(`ETL "${this.spec.name}" io:// worker on target ${this.ctx.targetId} is ${this._state}.`),
      );
    const proc = new ManagedProcess({
      command: this.python,
      args: [this.codeFile],
      cwd: this.ctx.workDir,
      log: this.ring,
      stdin: 'pipe',
      logStdout: false,
      env: workerEnv(this.spec, this.ctx, input.args ? [{ name: 'ETL_ARGS', value: input.args }] : []),
    });
    this.running.add(proc);
    void proc.exited.then(() => this.running.delete(proc));
    const stdin = proc.child.stdin;
    if (stdin) {
      stdin.on('error', () => undefined); // the script may exit without reading its input
      const src = fs.createReadStream(input.fqn);
      src.on('error', (e) => {
        this.ring.push(`[aisetl] reading ${input.fqn}: ${e.message}`);
        stdin.destroy();
      });
      src.pipe(stdin);
    }
    return this.collect(proc, input, signal);
  }

  private collect(proc: ManagedProcess, input: TransformInput, signal?: AbortSignal): Promise<TransformOutput> {
    return new Promise((resolve, reject) => {
      const held: Buffer[] = [];
      let heldBytes = 0;
      let streaming: PassThrough | undefined;
      let stderr = '';
      let timedOut = false;
      const out = proc.child.stdout as Readable;
      proc.child.stderr?.on('data', (d: Buffer) => {
        if (stderr.length < STDERR_KEEP) stderr += d.toString();
      });
      out.on('data', (d: Buffer) => {
        if (streaming) return;
        held.push(d);
        heldBytes += d.length;
        if (heldBytes <= HOLD_BYTES) return;
        // Large output: start streaming it; a later failure aborts the body instead of changing the status.
        streaming = new PassThrough();
        for (const c of held) streaming.write(c);
        held.length = 0;
        out.pipe(streaming, { end: false });
        resolve({ status: 200, body: streaming, headers: {} });
      });
      const timer = setTimeout(() => {
        timedOut = true;
        void proc.kill();
      }, this.spec.objTimeoutMs);
      const onAbort = (): void => {
        void proc.kill();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const outDone = new Promise<void>((r) => out.once('close', () => r()));
      void Promise.all([proc.exited, outDone]).then(([e]) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const failure = timedOut
          ? 'obj_timeout'
          : signal?.aborted
            ? 'aborted'
            : e.code !== 0
              ? describeExit(e)
              : undefined;
        const outcome = { failure, timedOut, signal, stderr, held, streaming };
        settleIo(outcome, () => timeoutOutput(this.spec, input), resolve, reject);
      });
    });
  }

  async stop(): Promise<void> {
    this._state = 'stopped';
    await Promise.all([...this.running].map((p) => p.kill(200)));
  }
}

interface IoOutcome {
  failure?: string;
  timedOut: boolean;
  signal?: AbortSignal;
  stderr: string;
  held: Buffer[];
  streaming?: PassThrough;
}

/** The script ended: a streamed body ends or breaks off; otherwise the held output, its stderr, or a timeout. */
function settleIo(
  o: IoOutcome,
  timeout: () => TransformOutput,
  resolve: (out: TransformOutput) => void,
  reject: (e: Error) => void,
): void {
  if (o.streaming) {
    if (o.failure) o.streaming.destroy(new Error(`io:// script ${o.failure}: ${o.stderr.trim()}`));
    else o.streaming.end();
  } else if (o.timedOut) {
    resolve(timeout());
  } else if (o.signal?.aborted) {
    reject(o.signal.reason instanceof Error ? o.signal.reason : new Error('aborted'));
  } else if (o.failure) {
    const body = o.stderr.trim() || `io:// script ${o.failure} and printed nothing on stderr`;
    resolve({ status: 500, body: Readable.from([Buffer.from(body)]), headers: { 'content-type': 'text/plain' } });
  } else {
    resolve({ status: 200, body: Readable.from(o.held.length ? [Buffer.concat(o.held)] : []), headers: {} });
  }
}
