// Code ETLs (python3.Xv2 runtimes): our stdlib runtime_server.py loads the user's function from code.py, serves
// the HTTP/ws contract, and a framed pipe channel for offline jobs (transformBatch).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { BatchChannel } from './batchChannel';
import { workerEnv } from './env';
import { httpProbe } from './health';
import { ManagedProcess, type ExitInfo } from './managedProcess';
import { HOST, ProcessWorker, type Launch } from './processWorker';
import { findPython, runtimeDir, versionNote } from './python';
import { WorkerTransformError, type CodeSource, type TransformInput } from './types';
import { defaultVenvCache, ensureVenv, requirementLines } from './venv';

const BATCH_WINDOW = 512;
const HANG_EXIT_CODE = 75; // aisetl_batch.TIMEOUT_EXIT_CODE

interface BatchState {
  inputs: TransformInput[];
  retried: Set<number>;
  retryQueue: number[];
  onResult: (i: number, out: Buffer | Error) => void;
}

export class CodeWorker extends ProcessWorker {
  protected readonly passFqn = true;
  private batch: BatchChannel | undefined;

  protected async launch(): Promise<Launch> {
    const src = this.spec.source as CodeSource;
    const python = await findPython();
    const note = versionNote(src.runtime, python);
    if (note) this.note(note);
    const reqs = requirementLines(src.dependencies);
    const exe = reqs.length
      ? await ensureVenv(
          reqs,
          python,
          this.ctx.venvCacheDir ?? defaultVenvCache(this.ctx.workDir),
          (l) => this.note(l),
          this.spec.initTimeoutMs,
        )
      : python.exe;
    fs.mkdirSync(this.ctx.workDir, { recursive: true });
    const codeFile = path.join(this.ctx.workDir, 'code.py');
    fs.writeFileSync(codeFile, src.code);
    const env = workerEnv(this.spec, this.ctx, [
      { name: 'AISETL_CODE_FILE', value: codeFile },
      { name: 'AISETL_FUNCTION', value: src.functionName || 'transform' },
      { name: 'AISETL_CHUNK_SIZE', value: String(src.chunkSize ?? 0) },
      { name: 'AISETL_OBJ_TIMEOUT_MS', value: String(this.spec.objTimeoutMs) },
      { name: 'AISETL_HOST', value: HOST },
      { name: 'AISETL_PORT', value: '0' },
      { name: 'AISETL_BATCH_IN_FD', value: '3' },
      { name: 'AISETL_BATCH_OUT_FD', value: '4' },
    ]);
    const proc = new ManagedProcess({
      command: exe,
      args: [path.join(runtimeDir(), 'runtime_server.py')],
      cwd: this.ctx.workDir,
      env,
      log: this.ring,
      extraPipes: 2,
    });
    const batch = new BatchChannel(
      proc.child.stdio[3] as Writable,
      proc.child.stdio[4] as Readable,
      this.spec.objTimeoutMs,
    );
    this.batch = batch;
    void proc.exited.then((e) => batch.fail(new Error(`the worker process exited (${e.code ?? e.signal})`)));
    const ready = batch.hello.then(async ({ port }) => {
      if (!(await httpProbe(HOST, port, '/health')()))
        throw new Error(`answered its batch channel but not GET /health on port ${port}`);
      return port;
    });
    return { proc, ready };
  }

  protected override beforeKill(): void {
    this.batch?.close();
  }

  /**
   * The fast path for offline jobs: objects are streamed to the worker as frames (file path + args) with up to
   * BATCH_WINDOW in flight; results are reported per index as they arrive. A hung object (obj_timeout) gets a 504
   * error, the worker restarts, and the objects that were queued behind it are sent again.
   */
  /** A failed frame: a transform error is the object's result; a frame lost with a replaced process goes again once. */
  private onBatchError(e: Error, i: number, b: BatchState): void {
    if (e instanceof WorkerTransformError) {
      if (e.status === 504) void this.restartAfterHang(`${b.inputs[i].bucket}/${b.inputs[i].objName}`);
      b.onResult(i, e);
    } else if (!b.retried.has(i) && this.state === 'running') {
      b.retried.add(i);
      b.retryQueue.push(i);
    } else {
      b.onResult(i, e);
    }
  }

  async transformBatch(
    inputs: TransformInput[],
    onResult: (i: number, out: Buffer | Error) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    let next = 0;
    const retryQueue: number[] = [];
    const retried = new Set<number>();
    let inFlight = 0;
    let wake: (() => void) | undefined;
    const wakeUp = (): void => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    signal?.addEventListener('abort', wakeUp, { once: true });
    const settle = (): void => {
      inFlight--;
      wakeUp();
    };

    const submitOne = async (i: number): Promise<void> => {
      if (this.restarting) await this.restarting;
      this.assertRunning();
      const channel = this.batch as BatchChannel;
      inFlight++;
      channel.submit(inputs[i].fqn, inputs[i].args).then(
        (buf) => {
          settle();
          if (!signal?.aborted) onResult(i, buf);
        },
        (e: Error) => {
          settle();
          if (!signal?.aborted) this.onBatchError(e, i, { inputs, retried, retryQueue, onResult });
        },
      );
      await channel.drained();
    };

    while (next < inputs.length || retryQueue.length || inFlight > 0) {
      if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('transformBatch aborted');
      if (inFlight < BATCH_WINDOW && (retryQueue.length || next < inputs.length)) {
        const i = retryQueue.length ? (retryQueue.shift() as number) : next++;
        try {
          await submitOne(i);
        } catch (e) {
          onResult(i, e as Error);
        }
        continue;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  }

  protected override isHangExit(e: ExitInfo): boolean {
    return e.code === HANG_EXIT_CODE;
  }
}
