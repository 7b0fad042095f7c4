// ETL workers run in their own process groups (so a stop can end a worker's whole tree), which also means they
// outlive a cluster process that is killed with SIGKILL. The reaper is a tiny watcher process, in a group of its
// own, holding a pipe to the cluster: when the pipe closes (the cluster exited for any reason) it ends every process
// that carries this cluster run's marker in its environment (workers inherit the cluster's environment), then exits.
// Linux only (it reads /proc); elsewhere it is not started.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Socket } from 'node:net';

export const RUN_MARKER_ENV = 'AISETL_CLUSTER_RUN';

const REAPER = String.raw`
const fs = require('node:fs');
const marker = process.argv[1];
for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, () => {});
const marked = () => {
  const out = [];
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    try { if (fs.readFileSync('/proc/' + e + '/environ', 'latin1').split('\0').includes(marker)) out.push(Number(e)); } catch {}
  }
  return out;
};
const kill = (sig) => { for (const p of marked()) { try { process.kill(-p, sig); } catch {} try { process.kill(p, sig); } catch {} } };
process.stdin.on('data', () => {});
process.stdin.on('close', () => {
  kill('SIGTERM');
  setTimeout(() => { kill('SIGKILL'); process.exit(0); }, 1000);
});
`;

/**
 * Starts the reaper for this process (once) and returns the marker every worker must inherit (it is put into
 * process.env). Returns undefined where /proc is missing.
 */
let started: string | undefined;
export function startReaper(): string | undefined {
  if (started) return started;
  if (!existsSync('/proc/self/environ')) return undefined;
  const marker = `${RUN_MARKER_ENV}=${process.pid}-${randomBytes(6).toString('hex')}`;
  const child = spawn(process.execPath, ['-e', REAPER, marker], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
    env: { PATH: process.env.PATH ?? '' },
  });
  child.unref();
  (child.stdin as Socket | null)?.unref();
  process.env[RUN_MARKER_ENV] = marker.slice(RUN_MARKER_ENV.length + 1);
  started = marker;
  return marker;
}
