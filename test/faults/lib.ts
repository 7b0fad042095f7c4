// Shared pieces of the fault suite: the row each fault adds to the summary table, a fault-injecting ETL server,
// an `aisetl local start` child process that can be SIGKILLed, and checks for leftovers (temp files, fds, processes).
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AisClient } from '../../src/engine/ais';
import { startLocalCluster, type LocalCluster } from '../../src/engine/local';

export interface FaultRow {
  fault: string;
  runs: number;
  acknowledged: number;
  lost: number;
  torn: number;
  saw: string;
}

/** Adds a row to the table the runner prints (FAULT_REPORT), or prints it when run alone. */
export function report(row: FaultRow): void {
  const file = process.env.FAULT_REPORT;
  if (file) appendFileSync(file, JSON.stringify(row) + '\n');
  else console.log(`[fault] ${JSON.stringify(row)}`);
}

export const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const root = join(__dirname, '..', '..');

/** Waits until `cond()` is true (polling), or throws with `what` after `ms`. */
export async function until(cond: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(25);
  }
}

// The ETL server: md5 of each object (hpush as AIS 5.0 sends it: `?etl_fqn=<path>` with an empty body; the bytes in
// the body for older releases). Faults by object name: hang-* never answered,
// err-* answered 500, garb-* answered with bytes that are not HTTP, cut-* closes the socket mid-body, slow-* answered
// after 300 ms (the md5). Env:
// DIE_AFTER=k SIGKILLs itself after k answers, NEVER_READY=1 keeps /health at 503, DELAY_MS per object,
// PID_DIR records its pid there.
const SERVER = String.raw`
const http = require('node:http'), crypto = require('node:crypto'), fs = require('node:fs'), path = require('node:path');
const port = Number((process.env.AISETL_PORT_MAP || '8000:8000').split(':')[1]);
if (process.env.PID_DIR) fs.writeFileSync(path.join(process.env.PID_DIR, String(process.pid)), '');
let answered = 0;
const dieAfter = Number(process.env.DIE_AFTER || 0), delay = Number(process.env.DELAY_MS || 0);
const srv = http.createServer((req, res) => {
  if (req.url === '/health') { res.writeHead(process.env.NEVER_READY ? 503 : 200); res.end(process.env.NEVER_READY ? 'not yet' : 'Running'); return; }
  const name = decodeURIComponent(req.url.split('?')[0].split('/').pop());
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => setTimeout(() => {
    if (name.startsWith('hang-')) return;
    if (name.startsWith('err-')) { res.writeHead(500); res.end('boom: cannot transform ' + name); return; }
    if (name.startsWith('garb-')) { req.socket.end('\x00\x01 this is not HTTP \r\n\r\n'); return; }
    if (name.startsWith('cut-')) { res.writeHead(200, { 'Content-Length': 1000 }); res.write('0123456789'); setTimeout(() => req.socket.destroy(), 20); return; }
    const fqn = new URL(req.url, 'http://x').searchParams.get('etl_fqn'); // url.PathEscape'd: unescape once more
    const data = fqn ? fs.readFileSync(decodeURIComponent(fqn)) : Buffer.concat(chunks);
    const out = crypto.createHash('md5').update(data).digest('hex');
    res.writeHead(200, { 'Content-Length': out.length }); res.end(out);
    if (dieAfter && ++answered >= dieAfter) setTimeout(() => process.kill(process.pid, 'SIGKILL'), 5);
  }, name.startsWith('slow-') ? 300 : delay));
});
srv.keepAliveTimeout = 30000;
srv.listen(port, '127.0.0.1');
`;

/** Writes the server script into `dir` and returns a 5.0 runtime-spec init message that runs it with node. */
export function faultEtl(
  dir: string,
  name: string,
  o: { env?: Record<string, string>; initTimeout?: string; objTimeout?: string } = {},
): Record<string, unknown> {
  const script = join(dir, `${name}.js`);
  if (!existsSync(script)) writeFileSync(script, SERVER);
  return {
    name,
    communication: 'hpush://',
    init_timeout: o.initTimeout ?? '20s',
    obj_timeout: o.objTimeout ?? '5s',
    runtime: {
      image: 'aistorage/runtime_python:3.11',
      command: [process.execPath, script],
      env: Object.entries(o.env ?? {}).map(([k, v]) => ({ name: k, value: v })),
    },
  };
}

/** Pids recorded by fault servers in PID_DIR that are still alive. */
export function livePids(pidDir: string): number[] {
  return readdirSync(pidDir)
    .map(Number)
    .filter((p) => p > 0 && alive(p));
}

/** A 2-target local cluster in a temp folder, with the folder its fault servers record their pids in. */
export interface FaultCluster {
  dir: string;
  pidDir: string;
  cluster: LocalCluster;
  client: AisClient;
}

export async function startFaultCluster(prefix: string): Promise<FaultCluster> {
  const dir = mkdtempSync(join(tmpdir(), `aisetl-faults-${prefix}-`));
  const pidDir = join(dir, 'pids');
  mkdirSync(pidDir);
  process.env.AISETL_FSYNC = '0';
  const cluster = await startLocalCluster({ dataDir: join(dir, 'data'), targets: 2 });
  return { dir, pidDir, cluster, client: new AisClient({ endpoint: cluster.endpoint }) };
}

/** Stops it, fails when an ETL process outlives it, and removes the folder. */
export async function stopFaultCluster(f: FaultCluster | undefined): Promise<void> {
  if (!f) return;
  await f.client.close();
  await f.cluster.stop();
  assert.deepEqual(livePids(f.pidDir), [], 'no ETL process outlives the cluster');
  rmSync(f.dir, { recursive: true, force: true });
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Temp files of interrupted writes anywhere under the data folder (index snapshots and journals excluded). */
export function tempLeftovers(dataDir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let es;
    try {
      es = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of es) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (e.name === '.spool' ? readdirSync(p).length > 0 : true) walk(p);
        if (e.name.startsWith('.trash-')) out.push(p);
        continue;
      }
      if (e.name.startsWith('.aisetl-tmp-') && !/^\.aisetl-tmp-(index|ixlog)-/.test(e.name)) out.push(p);
    }
  };
  walk(dataDir);
  return out;
}

export const openFds = () => readdirSync('/proc/self/fd').length;

export interface CliCluster {
  proc: ChildProcess;
  endpoint: string;
  log: string[];
  exited: Promise<number | null>;
}

/** `aisetl local start` (through tsx, no build needed) on `dataDir`, AISETL_HOME=`home`; resolves on AIS_ENDPOINT. */
export async function startCli(dataDir: string, home: string): Promise<CliCluster> {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'local', 'start', '--port', '0', '--data', dataDir],
    { cwd: root, env: { ...process.env, AISETL_HOME: home, AISETL_FSYNC: '0' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const log: string[] = [];
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  proc.stderr!.on('data', (d: Buffer) => log.push(...String(d).split('\n').filter(Boolean)));
  const endpoint = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(
      () => reject(new Error(`aisetl local start did not print AIS_ENDPOINT in 30 s:\n${log.join('\n')}`)),
      30_000,
    );
    proc.stdout!.on('data', (d: Buffer) => {
      const m = /AIS_ENDPOINT=(\S+)/.exec(String(d));
      if (m) {
        clearTimeout(t);
        resolve(m[1]);
      }
    });
    void exited.then((c) => {
      clearTimeout(t);
      reject(new Error(`aisetl local start exited (${c}):\n${log.join('\n')}`));
    });
  });
  return { proc, endpoint, log, exited };
}

export async function kill9(c: CliCluster): Promise<void> {
  if (c.proc.exitCode !== null || c.proc.signalCode !== null) return;
  c.proc.kill('SIGKILL');
  await c.exited;
}

export async function stopCli(c: CliCluster): Promise<void> {
  if (c.proc.exitCode !== null || c.proc.signalCode !== null) return;
  c.proc.kill('SIGTERM');
  const t = setTimeout(() => c.proc.kill('SIGKILL'), 15_000);
  await c.exited;
  clearTimeout(t);
}
