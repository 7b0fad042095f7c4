// One Python process of a local run: own process group (killed whole on abort/timeout), input fed to stdin,
// stderr kept (tail) for the traceback, debugpy readiness read from stderr.
import { PassThrough, type Readable } from 'node:stream';
import { LogRing } from '../local/workers/logRing';
import { ManagedProcess, describeExit, type ExitInfo } from '../local/workers/managedProcess';

const STDERR_KEEP = 256 << 10;
const LISTENING = /AISETL_DEBUG_LISTENING (\d+)/;

export interface RunProcessOptions {
  python: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  input?: Readable | Buffer;
  signal?: AbortSignal;
  timeoutMs?: number;
  debugging: boolean;
  log?: (line: string) => void;
  /** Servers: stdout is log output, not the result. */
  stdoutIsLog?: boolean;
}

export interface RunProcess {
  proc: ManagedProcess;
  /** stdout of the process (an empty, ended stream when stdout is not the result). */
  stdout: Readable;
  /** Resolves when debugpy listens (immediately when not debugging); rejects when the process ends first. */
  ready: Promise<void>;
  /** Process end, with the stderr text and why it was stopped, if we stopped it. */
  done: Promise<{ exit: ExitInfo; stderr: string; stoppedBy?: 'timeout' | 'abort' }>;
  kill(): Promise<void>;
}

export function startRunProcess(o: RunProcessOptions): RunProcess {
  const proc = new ManagedProcess({
    command: o.python,
    args: o.args,
    cwd: o.cwd,
    env: o.env,
    log: new LogRing(200),
    stdin: o.input ? 'pipe' : 'ignore',
    logStdout: false,
  });
  let stderr = '';
  let stoppedBy: 'timeout' | 'abort' | undefined;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  if (!o.debugging) markReady();
  proc.child.stderr?.on('data', (d: Buffer) => {
    const text = d.toString();
    stderr = (stderr + text).slice(-STDERR_KEEP);
    if (LISTENING.test(stderr)) markReady();
    for (const line of text.split('\n')) if (line.trim() && !LISTENING.test(line)) o.log?.(line);
  });
  feedStdin(proc, o.input);
  const kill = (): Promise<void> => proc.kill(500);
  const timer = o.timeoutMs
    ? setTimeout(() => {
        stoppedBy ??= 'timeout';
        void kill();
      }, o.timeoutMs)
    : undefined;
  const onAbort = (): void => {
    stoppedBy ??= 'abort';
    void kill();
  };
  if (o.signal?.aborted) onAbort();
  else o.signal?.addEventListener('abort', onAbort, { once: true });
  const stdout = proc.child.stdout ?? new PassThrough().end();
  if (o.stdoutIsLog) logLines(stdout, o.log);
  const outClosed = closed(stdout);
  const done = Promise.all([proc.exited, outClosed]).then(([exit]) => {
    if (timer) clearTimeout(timer);
    o.signal?.removeEventListener('abort', onAbort);
    return { exit, stderr, stoppedBy };
  });
  const readyOrExit = Promise.race([
    ready,
    proc.exited.then((e) => {
      const tail = stderr.trim().split('\n').slice(-15).join('\n');
      throw new Error(`Python ${describeExit(e)} before the debugger started listening:\n${tail}`);
    }),
  ]);
  return { proc, stdout, ready: readyOrExit, done, kill };
}

/** The script's stdout is its log (a server): each line to `log`. */
function logLines(stdout: Readable, log: ((line: string) => void) | undefined): void {
  stdout.on('data', (d: Buffer) => {
    for (const l of d.toString().split('\n')) if (l.trim()) log?.(l);
  });
}

function closed(stream: Readable): Promise<void> {
  return new Promise<void>((r) => {
    if (stream.readableEnded || stream.destroyed) r();
    else stream.once('close', () => r());
  });
}

function feedStdin(proc: ManagedProcess, input: Readable | Buffer | undefined): void {
  const stdin = proc.child.stdin;
  if (!stdin || !input) return;
  stdin.on('error', () => undefined); // the script may exit without reading all of its input
  if (Buffer.isBuffer(input)) {
    stdin.end(input);
    return;
  }
  input.on('error', () => stdin.destroy());
  input.pipe(stdin);
}
