// Mixed load on the local cluster: 64 concurrent clients PUT (4-64 KiB, overwriting their own names), GET (content
// checked), list (a page of their own prefix) and inline-transform (GET through an hpush ETL) for a bounded time.
// Reports throughput, p50/p99 latency per operation, errors (target 0), the gateway process's RSS at start and end
// (each after a full GC in it; bound: RSS_BOUND_MIB of growth) and its open file descriptors at the end vs the
// start, by kind (target: none gained; the worker pools are full before the start).
// The cluster runs in a child process so its RSS and fds are its own.
// Run: npm run load [-- --seconds 300] [--clients 64]
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AisClient } from '../src/engine/ais';
import { faultEtl } from '../test/faults/lib';
import { WORKER_POOL_CONNECTIONS } from '../src/engine/local/workers/httpComm';
import { childPids, fdCensus, fdGrowth, fdTotal, listenPorts } from './lib/fdCensus';

const RSS_BOUND_MIB = 64;
const root = join(__dirname, '..');
type Op = 'put' | 'get' | 'list' | 'transform';
const MIX: [Op, number][] = [
  ['put', 0.4],
  ['get', 0.35],
  ['list', 0.1],
  ['transform', 0.15],
];

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
}
const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');
const procStat = (pid: number) => {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { rssMiB: Number(/VmRSS:\s+(\d+)/.exec(s)![1]) / 1024 };
};
const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};

async function startCluster(dataDir: string): Promise<{ proc: ChildProcess; endpoint: string }> {
  const proc = spawn(
    process.execPath,
    [
      '--expose-gc',
      '--import',
      'tsx',
      '-e',
      // SIGUSR2: a full GC, so both RSS readings count live memory, not garbage not yet collected
      `process.on('SIGUSR2', () => global.gc()); require('./src/engine/local').startLocalCluster({ dataDir: process.argv[1], targets: 2 }).then((c) => { console.log('AIS_ENDPOINT=' + c.endpoint); process.on('SIGTERM', () => c.stop().then(() => process.exit(0))); }, (e) => { console.error(e); process.exit(1); });`,
      dataDir,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, AISETL_FSYNC: '0' } },
  );
  const endpoint = await new Promise<string>((resolve, reject) => {
    proc.stdout!.on('data', (d: Buffer) => {
      const m = /AIS_ENDPOINT=(\S+)/.exec(String(d));
      if (m) resolve(m[1]);
    });
    proc.once('exit', (c) => reject(new Error(`the cluster exited (${c})`)));
  });
  return { proc, endpoint };
}

/** Every process below `pid`. */
function descendants(pid: number): number[] {
  const kids = childPids(pid);
  return kids.concat(kids.flatMap(descendants));
}

/** Connections the gateway holds open to each ETL worker (found as its child processes' listen ports). */
function workerPools(pid: number, census: Map<string, number>): Map<number, number> {
  const ports = descendants(pid).flatMap((p) => [...listenPorts(p)]);
  return new Map(ports.map((port) => [port, census.get(`tcp out :${port}`) ?? 0]));
}

/** What the gateway holds now that it did not at `start` (none, if nothing leaked), and its pools to the workers. */
function fdCheck(pid: number, start: Map<string, number>): { total: number; leaks: string[]; pools: string[] } {
  const now = fdCensus(pid);
  const pools = [...workerPools(pid, now)].map(([port, n]) => `:${port} ${n}`);
  return { total: fdTotal(now), leaks: fdGrowth(start, now), pools };
}

interface Stats {
  lat: Record<Op, number[]>;
  errors: Record<string, number>;
  ops: number;
}

async function clientLoop(endpoint: string, id: number, until: number, st: Stats): Promise<void> {
  const client = new AisClient({ endpoint });
  const mine = new Map<string, string>(); // name → md5 of what this client last stored
  try {
    for (let i = 0; Date.now() < until; i++) {
      let r = Math.random(),
        op: Op = 'put';
      for (const [o, w] of MIX) {
        if ((r -= w) < 0) {
          op = o;
          break;
        }
      }
      if (mine.size === 0) op = 'put';
      const names = [...mine.keys()];
      const t0 = performance.now();
      try {
        if (op === 'put') {
          const name = `l/${id}/${i % 50}`;
          const body = Buffer.alloc(4096 * (1 + (i % 16)), `${id}:${i}`);
          await client.putObject('load', name, body);
          mine.set(name, md5(body));
        } else if (op === 'get' || op === 'transform') {
          const name = names[i % names.length];
          const got = Buffer.concat(
            await (
              await client.getObject('load', name, op === 'transform' ? { etl: { name: 'load-md5' } } : {})
            ).body.toArray(),
          );
          // the ETL answers the md5 of the object: both checks compare with what this client stored last
          if ((op === 'get' ? md5(got) : got.toString()) !== mine.get(name))
            throw new Error(`${op} returned other content`);
        } else {
          await client.listObjectsPage('load', { prefix: `l/${id}/`, pageSize: 100 });
        }
        st.lat[op].push(performance.now() - t0);
        st.ops++;
      } catch (e) {
        const k = `${op}: ${(e as Error).message.slice(0, 120)}`;
        st.errors[k] = (st.errors[k] ?? 0) + 1;
      }
    }
  } finally {
    await client.close();
  }
}

/**
 * The bucket and the ETL, and a warm-up that settles the heap and fills every target's keep-alive pool to its
 * worker before the baseline: the worker holds slow-* objects 300 ms, so 64 GETs at a time on each target make
 * its pool open all its connections. With full pools, any fd the load leaves behind is a leak.
 */
async function prepare(endpoint: string, dataDir: string, pid: number): Promise<void> {
  const admin = new AisClient({ endpoint });
  await admin.createBucket('load');
  await admin.initEtl(faultEtl(dataDir, 'load-md5', { objTimeout: '30s' }));
  const warm = Array.from({ length: 32 }, (_, i) => `slow-warm-${i}`);
  for (const w of warm) await admin.putObject('load', w, w);
  for (let round = 0; round < 3; round++) {
    await Promise.all(
      Array.from({ length: 128 }, (_, i) =>
        admin.getObject('load', warm[i % warm.length], { etl: { name: 'load-md5' } }).then((s) => s.body.toArray()),
      ),
    );
    const pools = [...workerPools(pid, fdCensus(pid)).values()];
    if (pools.length && pools.every((n) => n === WORKER_POOL_CONNECTIONS)) break;
    console.log(`warm-up round ${round + 1}: connections to the workers ${pools.join(', ')}, not yet all full`);
  }
  await admin.close();
}

/** The gateway's RSS after a full GC in it. */
async function rssAfterGc(pid: number): Promise<{ rssMiB: number }> {
  process.kill(pid, 'SIGUSR2');
  await new Promise((r) => setTimeout(r, 500));
  return procStat(pid);
}

/** The gateway's state after the load, given up to 5 s to close what the clients hung up. */
async function settle(pid: number, startFds: Map<string, number>) {
  let fds = fdCheck(pid, startFds);
  for (let i = 0; i < 50 && fds.leaks.length; i++) {
    await new Promise((r) => setTimeout(r, 100));
    fds = fdCheck(pid, startFds);
  }
  return { end: await rssAfterGc(pid), fds };
}

export async function runLoad(seconds: number, clients: number): Promise<boolean> {
  const dataDir = mkdtempSync(join(tmpdir(), 'aisetl-load-'));
  const { proc, endpoint } = await startCluster(dataDir);
  try {
    await prepare(endpoint, dataDir, proc.pid!);
    await new Promise((r) => setTimeout(r, 1000));
    const start = await rssAfterGc(proc.pid!);
    const startFds = fdCensus(proc.pid!); // read after the RSS: the census itself allocates
    const st: Stats = { lat: { put: [], get: [], list: [], transform: [] }, errors: {}, ops: 0 };
    const t0 = Date.now();
    await Promise.all(Array.from({ length: clients }, (_, i) => clientLoop(endpoint, i, t0 + seconds * 1000, st)));
    const wall = (Date.now() - t0) / 1000;
    const { end, fds } = await settle(proc.pid!, startFds);
    const errors = Object.values(st.errors).reduce((a, b) => a + b, 0);
    console.log(
      `\nLoad: ${clients} clients, ${wall.toFixed(0)} s, ${st.ops} operations, ${(st.ops / wall).toFixed(0)} ops/s`,
    );
    console.log('| op | count | ops/s | p50 ms | p99 ms |');
    console.log('|---|---|---|---|---|');
    for (const [op] of MIX) {
      const l = st.lat[op];
      console.log(
        `| ${op} | ${l.length} | ${(l.length / wall).toFixed(0)} | ${pct(l, 0.5).toFixed(1)} | ${pct(l, 0.99).toFixed(1)} |`,
      );
    }
    console.log(`errors: ${errors}${errors ? ' ' + JSON.stringify(st.errors) : ''}`);
    console.log(
      `gateway RSS after a full GC: start ${start.rssMiB.toFixed(1)} MiB, end ${end.rssMiB.toFixed(1)} MiB (bound: +${RSS_BOUND_MIB} MiB)`,
    );
    console.log(
      `gateway open fds: start ${fdTotal(startFds)}, end ${fds.total}; connections to ETL workers: ${fds.pools.join(', ')} ` +
        `(pool size ${WORKER_POOL_CONNECTIONS})${fds.leaks.length ? '; leaked: ' + fds.leaks.join(', ') : ''}`,
    );
    const ok = errors === 0 && end.rssMiB - start.rssMiB <= RSS_BOUND_MIB && !fds.leaks.length;
    console.log(ok ? '1 passed, 0 failed' : '0 passed, 1 failed');
    return ok;
  } finally {
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    const t = setTimeout(() => proc.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(t);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runLoad(arg('seconds', 300), arg('clients', 64)).then(
    (ok) => process.exit(ok ? 0 : 1),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
