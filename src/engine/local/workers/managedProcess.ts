// A worker process in its own process group: output goes to a log ring, exits are reported with the log tail,
// and kill() ends the whole group (a server may fork helpers) and resolves only when every member is gone.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import * as fs from 'node:fs';
import { LogRing } from './logRing';

export interface SpawnOptions {
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  log: LogRing;
  /** Extra pipes after stdin/stdout/stderr (fd 3, 4, …) for a private channel. */
  extraPipes?: number;
  stdin?: 'ignore' | 'pipe';
  /** False when stdout carries data (io://) rather than log lines. */
  logStdout?: boolean;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
}

export class ManagedProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<ExitInfo>;
  private exitInfo: ExitInfo | undefined;
  private killing = false;

  constructor(o: SpawnOptions) {
    const stdio: StdioOptions = [o.stdin ?? 'ignore', 'pipe', 'pipe', ...Array<'pipe'>(o.extraPipes ?? 0).fill('pipe')];
    this.child = spawn(o.command, o.args, { cwd: o.cwd, env: o.env, stdio, detached: true });
    if (o.logStdout !== false) this.child.stdout?.on('data', (d: Buffer) => o.log.write(d));
    this.child.stderr?.on('data', (d: Buffer) => o.log.write(d));
    this.exited = new Promise((resolve) => {
      this.child.once('error', (error) => {
        this.exitInfo ??= { code: null, signal: null, error };
        resolve(this.exitInfo);
      });
      this.child.once('exit', (code, signal) => {
        this.exitInfo ??= { code, signal };
        resolve(this.exitInfo);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }
  get hasExited(): boolean {
    return this.exitInfo !== undefined;
  }
  /** True once kill() was called: the exit that follows is expected. */
  get isBeingKilled(): boolean {
    return this.killing;
  }

  /** SIGTERM to the group, SIGKILL after `graceMs`, resolves when no process of the group remains. */
  async kill(graceMs = 1500): Promise<void> {
    this.killing = true;
    const pgid = this.child.pid;
    if (pgid === undefined) return;
    signalGroup(pgid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (groupAlive(pgid) && Date.now() < deadline) await sleep(20);
    if (groupAlive(pgid)) signalGroup(pgid, 'SIGKILL');
    await this.exited;
    for (let i = 0; i < 250 && groupAlive(pgid); i++) await sleep(20);
  }
}

export function describeExit(e: ExitInfo): string {
  if (e.error) {
    const missing = (e.error as NodeJS.ErrnoException).code === 'ENOENT';
    return (
      `could not be started: ${e.error.message}` +
      (missing
        ? ' (the program is not installed on this machine or not on PATH; install it locally, e.g. with pip, or change the command)'
        : '')
    );
  }
  if (e.signal) return `was killed by ${e.signal}`;
  return `exited with code ${e.code}`;
}

function signalGroup(pgid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pgid, sig);
  } catch {
    /* already gone */
  }
}

/** Signal 0 probes the group; zombies count as gone (they hold no resources and will be reaped). */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  return !allZombies(pgid);
}

function allZombies(pgid: number): boolean {
  // Without /proc (non-Linux) be conservative: the group exists, so it is alive.
  if (!fs.existsSync('/proc/self/stat')) return false;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z') return false;
  }
  return true;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
