// Starts, finds and stops the local AIS cluster through the bundled CLI (`dist/cli.js local start`), so the cluster is
// a separate process: a crash there can't take the extension host down. No `vscode` import: tested with a fake CLI.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { mkdir, rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pidAlive, readStateFile, writeStateFile, type LocalState } from '../engine/local/state';
import { Emitter } from './emitter';
import { CancelledError, UiError } from './errors';

export interface LocalIdentity {
  name: string;
  dataDir: string;
  running: boolean;
  hasData: boolean;
}

export interface LocalClusterManagerOptions {
  cliPath: string;
  /** Where we remember {pid, endpoint} of the cluster we started, so another window (or a reload) reuses it. */
  stateFile: string;
  /** The CLI's state files (engine/local/state.ts): a cluster started in a terminal is reused too. */
  cliStateFiles?(): string[];
  dataDir(): string;
  /** The name the tree and commands use for this cluster (default "local"). */
  name?(): string;
  targets(): number;
  /** The AIS release the local cluster emulates ("5.0" or "3.29"); undefined = the CLI's default (the newest). */
  aisVersion?(): string | undefined;
  log(line: string): void;
  /** Node binary; inside VS Code this is the host's executable run with ELECTRON_RUN_AS_NODE. */
  nodePath?: string;
  startTimeoutMs?: number;
  isHealthy?(endpoint: string): Promise<boolean>;
}

export class LocalClusterManager {
  private child: ChildProcess | undefined;
  private state: LocalState | undefined;
  private starting: Promise<{ endpoint: string; reused: boolean }> | undefined;
  private readonly changed = new Emitter<string | undefined>();
  /** Fires the endpoint when the cluster comes up, undefined when it goes away. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly o: LocalClusterManagerOptions) {}

  get endpoint(): string | undefined {
    return this.state?.endpoint;
  }

  /**
   * Who the local cluster is, running or not: one name and one data folder across Stop/Start. `hasData` tells a
   * stopped cluster with buckets and ETLs to come back from a cluster that never ran here.
   */
  identity(): LocalIdentity {
    const dataDir = this.state?.dataDir ?? this.o.dataDir();
    return { name: this.o.name?.() || 'local', dataDir, running: !!this.state, hasData: existsSync(dataDir) };
  }

  /** A cluster from an earlier session that is still answering, if any. */
  async findRunning(): Promise<string | undefined> {
    for (const file of [this.o.stateFile, ...(this.o.cliStateFiles?.() ?? [])]) {
      const st = readStateFile(file);
      // Another folder's cluster is another cluster: one name, one data folder.
      if (!st || resolve(st.dataDir) !== resolve(this.o.dataDir())) continue;
      if (!pidAlive(st.pid) || !(await this.healthy(st.endpoint))) continue;
      this.setState(st);
      return st.endpoint;
    }
    return undefined;
  }

  start(signal?: AbortSignal): Promise<{ endpoint: string; reused: boolean }> {
    this.starting ??= this.doStart(signal).finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async doStart(signal?: AbortSignal): Promise<{ endpoint: string; reused: boolean }> {
    if (this.state && (await this.healthy(this.state.endpoint))) return { endpoint: this.state.endpoint, reused: true };
    const running = await this.findRunning();
    if (running) return { endpoint: running, reused: true };

    const dataDir = this.o.dataDir();
    await mkdir(dataDir, { recursive: true });
    const targets = this.o.targets();
    // The CLI's default is 2 targets; pass the flag only when the setting differs.
    const aisVersion = this.o.aisVersion?.();
    const args = [
      this.o.cliPath,
      'local',
      'start',
      '--port',
      '0',
      '--data',
      dataDir,
      ...(targets !== 2 ? ['--targets', String(targets)] : []),
      ...(aisVersion ? ['--ais-version', aisVersion] : []),
    ];
    this.o.log(`starting local cluster: node ${args.join(' ')}`);
    const child = spawn(this.o.nodePath ?? process.execPath, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    this.child = child;
    const endpoint = await waitForEndpoint(child, this.o.log, this.o.startTimeoutMs ?? 60_000, signal).catch((err) => {
      child.kill('SIGTERM');
      this.child = undefined;
      throw err;
    });
    child.once('exit', (code, sig) => {
      this.o.log(`local cluster exited (${sig ?? `code ${code}`})`);
      if (this.child === child) {
        this.child = undefined;
        this.setState(undefined);
        void this.clearState();
      }
    });
    const st = { pid: child.pid ?? 0, endpoint, dataDir };
    this.setState(st);
    writeStateFile(this.o.stateFile, st);
    return { endpoint, reused: false };
  }

  /** Stops the cluster (ours or the one found through the state file). Resolves false when none was running. */
  async stop(): Promise<boolean> {
    const child = this.child;
    const st = this.state ?? readStateFile(this.o.stateFile);
    if (!child && !(st && pidAlive(st.pid))) {
      this.setState(undefined);
      await this.clearState();
      return false;
    }
    if (child) {
      const exited = new Promise<void>((res) => child.once('exit', () => res()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    } else if (st) {
      try {
        process.kill(st.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      for (let i = 0; i < 100 && pidAlive(st.pid); i++) await new Promise((r) => setTimeout(r, 100));
    }
    this.child = undefined;
    this.setState(undefined);
    await this.clearState();
    return true;
  }

  /** On deactivate: stop only what this window started. */
  async disposeOwned(): Promise<void> {
    if (this.child) await this.stop();
    this.changed.dispose();
  }

  private setState(st: LocalState | undefined): void {
    const before = this.state?.endpoint;
    this.state = st;
    if (before !== st?.endpoint) this.changed.fire(st?.endpoint);
  }
  private healthy(endpoint: string): Promise<boolean> {
    return (this.o.isHealthy ?? defaultHealthy)(endpoint);
  }
  private async clearState(): Promise<void> {
    await rm(this.o.stateFile, { force: true });
  }
}

/** Resolves with the URL from the CLI's `AIS_ENDPOINT=…` line; rejects with the output tail if it exits first. */
export function waitForEndpoint(
  child: ChildProcess,
  log: (line: string) => void,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const tail: string[] = [];
    let done = false;
    // finish() is called only after this line ran, so the timer always exists there.
    const timer = setTimeout(
      () =>
        finish(
          new UiError(`The local cluster did not print AIS_ENDPOINT within ${Math.round(timeoutMs / 1000)} s`, {
            hint: 'see the "AIStore ETL" log',
          }),
        ),
      timeoutMs,
    );
    const finish = (err: Error | undefined, endpoint?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(endpoint!);
    };
    const onLine = (line: string) => {
      log(line);
      tail.push(line);
      if (tail.length > 20) tail.shift();
      const m = /AIS_ENDPOINT=(\S+)/.exec(line);
      if (m) finish(undefined, m[1]);
    };
    for (const stream of [child.stdout, child.stderr]) if (stream) onEachLine(stream, onLine);
    const onAbort = () => finish(new CancelledError('Starting the local cluster was cancelled'));
    signal?.addEventListener('abort', onAbort);
    child.once('error', (err) =>
      finish(
        new UiError(`Can't run the local cluster CLI: ${err.message}`, {
          hint: 'is the extension built (dist/cli.js)?',
          cause: err,
        }),
      ),
    );
    child.once('exit', (code, sig) =>
      finish(
        new UiError(
          `The local cluster exited (${sig ?? `code ${code}`}) before it was ready. ` +
            `Last output:\n${tail.slice(-5).join('\n')}`,
          { hint: 'see the "AIStore ETL" log' },
        ),
      ),
    );
    if (signal?.aborted) onAbort();
  });
}

/** Calls onLine for every complete line (without its line break) the stream emits. */
function onEachLine(stream: Readable, onLine: (line: string) => void): void {
  let buf = '';
  stream.setEncoding('utf8');
  stream.on('data', (d: string) => {
    buf += d;
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      onLine(buf.slice(0, i).replace(/\r$/, ''));
      buf = buf.slice(i + 1);
    }
  });
}

async function defaultHealthy(endpoint: string): Promise<boolean> {
  try {
    const r = await fetch(`${endpoint}/v1/health`, { signal: AbortSignal.timeout(2000) });
    await r.body?.cancel();
    return r.ok;
  } catch {
    return false;
  }
}
