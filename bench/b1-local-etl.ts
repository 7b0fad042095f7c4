// B1: offline ETL on the local cluster vs. what a user does without it. 10,000 × 4 KiB objects (B1_N to change),
// md5 code ETL, 2 targets, real Python workers. Reports, in one run:
//   (c') the floor of a bucket job: one Python process reading, hashing and writing the same 10,000 results into a
//   fresh folder on the same disk, measured right before (a) so both see the disk in the same state;
//   (a) the offline bucket job (etl-bck), target a ≤ 1.5 × c';
//   (b) one Python process looping GET → md5 → PUT over the REST API (http.client keep-alive, redirects followed by
//   hand like the SDK), target b/a ≥ 5;
//   (c) one Python process reading + hashing the same files with no HTTP and no writes (and md5sum over them), for
//   reference only: a job must write its results, so (c) is below what any job can reach;
//   the per-object overhead of inline transforms per comm type vs. a plain GET, and the gateway's peak RSS.
// Standalone: `node --import tsx bench/b1-local-etl.ts` (B1_N=1000 for a quick run, B1_ONLY_A=1 for (c') and (a)
// alone, B1_VERBOSE=1 for progress).
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { startLocalCluster, type LocalCluster } from '../src/engine/local';
import { RssSampler } from './lib/rss';
import type { BenchResult } from './lib/types';

const MD5_CODE =
  'import hashlib\n\ndef transform(input_bytes):\n    md5 = hashlib.md5()\n    md5.update(input_bytes)\n    return md5.hexdigest().encode()\n';
const IO_CODE =
  'import hashlib, sys\nsys.stdout.buffer.write(hashlib.md5(sys.stdin.buffer.read()).hexdigest().encode())\n';
const SIZE = 4096;
const payload = (i: number) => Buffer.alloc(SIZE, `object ${i} `);
const b64 = (s: string) => Buffer.from(s).toString('base64');

async function call(
  method: string,
  url: string,
  body?: string | Buffer,
  json = false,
): Promise<{ status: number; text: string }> {
  let cur = url;
  for (let i = 0; i < 4; i++) {
    const r = await request(cur, {
      method: method as 'GET',
      body,
      headers: json ? { 'content-type': 'application/json' } : {},
    });
    if ((r.statusCode === 301 || r.statusCode === 307) && r.headers.location) {
      await r.body.dump();
      cur = String(r.headers.location);
      continue;
    }
    return { status: r.statusCode, text: await r.body.text() };
  }
  throw new Error(`too many redirects: ${url}`);
}

async function must(method: string, url: string, body?: string | Buffer, json = false): Promise<string> {
  const r = await call(method, url, body, json);
  if (r.status >= 300) throw new Error(`${method} ${url} → ${r.status}: ${r.text}`);
  return r.text;
}

const progress = (m: string) => {
  if (process.env.B1_VERBOSE) console.error(`[b1] ${new Date().toISOString()} ${m}`);
};
const secs = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

async function populate(ep: string, bucket: string, n: number): Promise<void> {
  const prevFsync = process.env.AISETL_FSYNC;
  process.env.AISETL_FSYNC = '0'; // setup only: the data is scratch
  try {
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < n) {
          const i = next++;
          await must('PUT', `${ep}/v1/objects/${bucket}/obj-${String(i).padStart(6, '0')}`, payload(i));
        }
      }),
    );
  } finally {
    if (prevFsync === undefined) delete process.env.AISETL_FSYNC;
    else process.env.AISETL_FSYNC = prevFsync;
  }
}

async function waitJob(ep: string, id: string): Promise<Record<string, unknown>> {
  for (;;) {
    const s = JSON.parse(
      await must('GET', `${ep}/v1/cluster?what=status`, JSON.stringify({ id, kind: 'etl-bck' }), true),
    ) as Record<string, unknown>;
    if (Number(s.end_time) > 0) return s;
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const PY_CLIENT = String.raw`
import hashlib, http.client, sys, time, urllib.parse
ep, src, dst, listfile = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
names = open(listfile).read().split()
conns = {}
def conn(netloc):
    c = conns.get(netloc)
    if c is None:
        host, port = netloc.split(':')
        c = conns[netloc] = http.client.HTTPConnection(host, int(port))
    return c
def do(method, url, body=None):
    for _ in range(4):
        u = urllib.parse.urlsplit(url)
        c = conn(u.netloc)
        path = u.path + ('?' + u.query if u.query else '')
        c.request(method, path, body=body, headers={'Content-Length': str(len(body))} if body is not None else {})
        r = c.getresponse()
        data = r.read()
        if r.status in (301, 307):
            url = r.getheader('Location'); continue
        if r.status >= 300: raise SystemExit('%s %s -> %d %s' % (method, url, r.status, data[:200]))
        return data
    raise SystemExit('too many redirects')
t0 = time.perf_counter()
for n in names:
    data = do('GET', '%s/v1/objects/%s/%s' % (ep, src, n))
    out = hashlib.md5(data).hexdigest().encode()
    do('PUT', '%s/v1/objects/%s/%s' % (ep, dst, n), out)
print(time.perf_counter() - t0)
`;

const PY_FLOOR = String.raw`
import hashlib, sys, time
files = [f for f in open(sys.argv[1]).read().split('\n') if f]
t0 = time.perf_counter()
for f in files:
    with open(f, 'rb') as fh:
        hashlib.md5(fh.read()).hexdigest().encode()
print(time.perf_counter() - t0)
`;

// What a bucket job must do at the least: read, hash and write every result as a new file (no fsync: the job's
// outputs are not fsynced either, see storage/atomic.ts).
const PY_FLOOR_WRITE = String.raw`
import hashlib, os, sys, time
files = [f for f in open(sys.argv[1]).read().split('\n') if f]
out = sys.argv[2]
os.makedirs(out)
t0 = time.perf_counter()
for f in files:
    with open(f, 'rb') as fh:
        digest = hashlib.md5(fh.read()).hexdigest().encode()
    with open(os.path.join(out, os.path.basename(f)), 'wb') as fh:
        fh.write(digest)
print(time.perf_counter() - t0)
`;

const python = () => process.env.AISETL_PYTHON || 'python3';

/** Wall seconds of one Python process (start-up included) and the seconds its loop printed. */
function timePython(script: string, args: string[]): { secs: number; loop: number } {
  const t0 = process.hrtime.bigint();
  const out = execFileSync(python(), ['-c', script, ...args], { encoding: 'utf8' });
  return { secs: secs(t0), loop: Number(out.trim()) };
}

async function prepare(ep: string, n: number): Promise<void> {
  for (const b of ['b1src', 'b1user'])
    await must('POST', `${ep}/v1/buckets/${b}`, JSON.stringify({ action: 'create-bck' }), true);
  progress(`populating ${n} objects`);
  await populate(ep, 'b1src', n);
  await must(
    'PUT',
    `${ep}/v1/etl`,
    JSON.stringify({
      name: 'b1-md5',
      runtime: 'python3.11v2',
      communication: 'hpush://',
      init_timeout: '2m',
      obj_timeout: '30s',
      funcs: { transform: 'transform' },
      code: b64(MD5_CODE),
    }),
    true,
  );
}

/** (a): one etl-bck job b1src → b1dst, timed from the request until the job reports its end. */
async function offlineJob(cluster: LocalCluster, lastName: string): Promise<{ secs: number; cpuNote: string }> {
  const ep = cluster.endpoint;
  const cpu0 = process.cpuUsage();
  const workerCpu0 = workerCpuSec(cluster);
  const t0 = process.hrtime.bigint();
  const id = await must(
    'POST',
    `${ep}/v1/buckets/b1src?bck_to=${encodeURIComponent('ais/@#/b1dst/')}`,
    JSON.stringify({ action: 'etl-bck', value: { id: 'b1-md5' } }),
    true,
  );
  const st = await waitJob(ep, id);
  const a = secs(t0);
  const cpu = process.cpuUsage(cpu0);
  const cpuNote = `gateway CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s (sys ${(cpu.system / 1e6).toFixed(2)}), workers CPU ${(workerCpuSec(cluster) - workerCpu0).toFixed(2)} s`;
  progress(cpuNote);
  if (st.aborted || st.err) throw new Error(`the etl-bck job failed: ${String(st.err)}`);
  await verifyOutputs(ep, lastName);
  return { secs: a, cpuNote };
}

/** Not timed: every output object exists in b1dst (listed count) and a sample holds the md5 of its source. */
async function verifyOutputs(ep: string, lastName: string): Promise<void> {
  const n = Number(lastName.slice(4)) + 1;
  let token = '',
    count = 0;
  do {
    const page = JSON.parse(
      await must(
        'GET',
        `${ep}/v1/buckets/b1dst?provider=ais`,
        JSON.stringify({
          action: 'list',
          value: { pagesize: 10_000, continuation_token: token, props: 'name', flags: String(1 << 4) },
        }),
        true,
      ),
    ) as { entries: unknown[]; continuation_token: string };
    count += page.entries.length;
    token = page.continuation_token;
  } while (token);
  if (count !== n) throw new Error(`the job wrote ${count} objects to b1dst, expected ${n}`);
  const sample = [0, n - 1, ...Array.from({ length: 30 }, (_, k) => Math.floor(((k + 1) * n) / 31))];
  for (const i of sample) {
    const want = createHash('md5').update(payload(i)).digest('hex');
    const got = await must('GET', `${ep}/v1/objects/b1dst/obj-${String(i).padStart(6, '0')}`);
    if (got !== want) throw new Error(`b1dst/obj-${i}: got ${got.slice(0, 40)}, expected ${want}`);
  }
}

/** The same job with the data folder on tmpfs: separates our cost from the disk's file-creation cost. */
async function offlineJobOnTmpfs(n: number, lastName: string): Promise<{ secs: number; cpuNote: string } | undefined> {
  if (process.env.B1_TMPFS === '0' || !existsSync('/dev/shm')) return undefined;
  const dir = mkdtempSync('/dev/shm/aisetl-b1-');
  let c: LocalCluster | undefined;
  try {
    c = await startLocalCluster({ dataDir: dir, targets: 2, aisVersion: '3.29' });
    await prepare(c.endpoint, n);
    return await offlineJob(c, lastName);
  } finally {
    await c?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** utime+stime of every worker process (and its children's reaped time), from /proc; 0 elsewhere. */
function workerCpuSec(c: LocalCluster): number {
  let ticks = 0;
  for (const pid of c.workerPids()) {
    try {
      const st = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    } catch {
      /* not Linux or gone */
    }
  }
  return ticks / 100;
}

/** Per-object µs of M sequential inline GETs through the gateway for one comm type. */
async function inlineUs(ep: string, comm: string, names: string[]): Promise<number> {
  const name = `b1-${comm.replace('://', '')}-etl`;
  const msg =
    comm === 'io://'
      ? {
          name,
          runtime: 'python3.11v2',
          communication: comm,
          init_timeout: '2m',
          obj_timeout: '30s',
          code: b64(IO_CODE),
        }
      : {
          name,
          runtime: 'python3.11v2',
          communication: comm,
          init_timeout: '2m',
          obj_timeout: '30s',
          funcs: { transform: 'transform' },
          code: b64(MD5_CODE),
          support_direct_put: comm === 'ws://',
        };
  await must('PUT', `${ep}/v1/etl`, JSON.stringify(msg), true);
  try {
    await must('GET', `${ep}/v1/objects/b1src/${names[0]}?etl_name=${name}`); // warm-up
    const t0 = process.hrtime.bigint();
    for (const n of names) await must('GET', `${ep}/v1/objects/b1src/${n}?etl_name=${name}`);
    return (secs(t0) * 1e6) / names.length;
  } finally {
    await must('DELETE', `${ep}/v1/etl/${name}`);
  }
}

/** Where each source object's file lies on disk (the target a HEAD redirects to), one path per line in a file. */
async function writeFqnList(cluster: LocalCluster, names: string[], file: string): Promise<void> {
  const fqns: string[] = [];
  for (const n of names) {
    const r = await request(`${cluster.endpoint}/v1/objects/b1src/${n}`, { method: 'HEAD' });
    await r.body.dump();
    const loc = String(r.headers.location);
    const t = cluster.targets.find((x) => loc.startsWith(x.url));
    if (!t) throw new Error(`HEAD b1src/${n} redirected to ${loc}, which is no target of the cluster`);
    fqns.push(join(cluster.dataDir, t.id, 'b1src', n));
  }
  writeFileSync(file, fqns.join('\n'));
}

/** (b): one Python process GET → md5 → PUT, asynchronously: the cluster serving it lives in this process. */
async function pythonClientLoop(ep: string, names: string[], dir: string): Promise<number> {
  const listFile = join(dir, 'names.txt');
  writeFileSync(listFile, names.join('\n'));
  const t0 = process.hrtime.bigint();
  const out = await new Promise<{ status: number | null; out: string }>((resolve) => {
    const child = spawn(python(), ['-c', PY_CLIENT, ep, 'b1src', 'b1user', listFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.stderr.on('data', (d) => (text += d));
    child.on('close', (status) => resolve({ status, out: text }));
  });
  if (out.status !== 0) throw new Error(`the Python client loop failed: ${out.out}`);
  return secs(t0);
}

/** Per-object µs of a plain GET via the gateway, then each comm type's inline overhead over it. */
async function inlineOverheads(ep: string, sample: string[]): Promise<BenchResult[]> {
  await must('GET', `${ep}/v1/objects/b1src/${sample[0]}`);
  const t0 = process.hrtime.bigint();
  for (const n of sample) await must('GET', `${ep}/v1/objects/b1src/${n}`);
  const plainUs = (secs(t0) * 1e6) / sample.length;
  const name = (comm: string) => `inline ${comm} overhead over plain GET`;
  const results: BenchResult[] = [
    { name: `plain GET via gateway (301 + target), ${sample.length} sequential`, value: plainUs, unit: 'µs/obj' },
  ];
  for (const comm of ['hpush://', 'hpull://', 'ws://', 'io://']) {
    progress(`inline ${comm}`);
    try {
      const us = await inlineUs(ep, comm, comm === 'io://' ? sample.slice(0, 100) : sample);
      const baseline = { name: 'plain GET', value: plainUs };
      results.push({
        name: name(comm),
        value: us - plainUs,
        unit: 'µs/obj',
        baseline,
        note: `${us.toFixed(0)} µs/obj total`,
      });
    } catch (e) {
      const note = `failed: ${(e as Error).message.slice(0, 200)}`;
      results.push({ name: name(comm), value: NaN, unit: 'µs/obj', note });
    }
  }
  return results;
}

interface Floors {
  /** (c'): read + md5 + write each result into a fresh folder on the same disk. */
  write: { secs: number; loop: number };
  /** (c): read + md5 only. */
  read: { secs: number; loop: number };
  md5sum: number;
}

function jobResult(label: string, n: number, job: { secs: number; cpuNote: string }): BenchResult {
  return { name: label, value: job.secs, unit: 's', note: `${Math.round(n / job.secs)} obj/s; ${job.cpuNote}` };
}

function floorResults(a: number, f: Floors): BenchResult[] {
  const cw = f.write;
  const cr = f.read;
  return [
    {
      name: "(c') Python read + md5 + write, no HTTP",
      value: cw.secs,
      unit: 's',
      note: `loop alone ${cw.loop.toFixed(3)} s; fresh folder, same disk`,
    },
    {
      name: "slowdown (a)/(c')",
      value: a / cw.secs,
      unit: 'x',
      target: { op: '<=', value: 1.5 },
      note: "(c') with Python start-up: the floor of a bucket job",
    },
    {
      name: "slowdown (a)/(c' loop alone)",
      value: a / cw.loop,
      unit: 'x',
      note: "diagnostic: (c') without Python start-up",
    },
    ...(f.read.secs > 0
      ? [
          {
            name: '(c) Python read + md5, no HTTP, no writes',
            value: cr.secs,
            unit: 's',
            note: `loop alone ${cr.loop.toFixed(3)} s; reference: no job can skip the writes`,
          },
          { name: 'md5sum over the same files', value: f.md5sum, unit: 's' },
          { name: 'slowdown (a)/(c)', value: a / cr.secs, unit: 'x', note: 'reference only: (c) writes nothing' },
        ]
      : []),
  ];
}

/** (c) and md5sum: the read-only reference. */
function readOnlyFloor(fqnFile: string): Pick<Floors, 'read' | 'md5sum'> {
  const read = timePython(PY_FLOOR, [fqnFile]);
  const t0 = process.hrtime.bigint();
  execFileSync('sh', ['-c', `xargs -a "${fqnFile}" md5sum > /dev/null`]);
  return { read, md5sum: secs(t0) };
}

async function tmpfsResults(n: number, lastName: string, c: number): Promise<BenchResult[]> {
  progress('(a) on tmpfs');
  const tm = await offlineJobOnTmpfs(n, lastName);
  if (!tm) return [];
  return [
    jobResult("(a') same job, data folder on tmpfs (/dev/shm)", n, tm),
    {
      name: "slowdown (a')/(c)",
      value: tm.secs / c,
      unit: 'x',
      note: "diagnostic: the disk's file-creation cost removed",
    },
  ];
}

/** Everything measured against one running cluster; the caller owns the cluster and the folder. */
async function measure(cluster: LocalCluster, dir: string, n: number, m: number): Promise<BenchResult[]> {
  const ep = cluster.endpoint;
  const names = Array.from({ length: n }, (_, i) => `obj-${String(i).padStart(6, '0')}`);
  await prepare(ep, n);
  const fqnFile = join(dir, 'fqns.txt');
  await writeFqnList(cluster, names, fqnFile);
  progress("(c')");
  const write = timePython(PY_FLOOR_WRITE, [fqnFile, join(dir, 'floor-out')]);
  progress(`(c') ${write.secs.toFixed(3)} s; (a)`);
  const job = await offlineJob(cluster, names[n - 1]);
  const a = job.secs;
  const aLabel = `(a) offline etl-bck, ${n} × 4 KiB, 2 targets`;
  if (process.env.B1_ONLY_A) {
    return [jobResult(aLabel, n, job), ...floorResults(a, { write, read: { secs: 0, loop: 0 }, md5sum: 0 })];
  }
  progress(`(a) ${a.toFixed(3)} s; (b)`);
  const b = await pythonClientLoop(ep, names, dir);
  progress(`(b) ${b.toFixed(3)} s; (c)`);
  const floors: Floors = { write, ...readOnlyFloor(fqnFile) };
  return [
    jobResult(aLabel, n, job),
    {
      name: '(b) Python loop GET → md5 → PUT',
      value: b,
      unit: 's',
      note: `${Math.round(n / b)} obj/s (PUTs fsync'd as every client PUT)`,
    },
    { name: 'speedup (b)/(a)', value: b / a, unit: 'x', target: { op: '>=', value: 5 } },
    ...floorResults(a, floors),
    ...(await tmpfsResults(n, names[n - 1], floors.read.secs)),
    ...(await inlineOverheads(ep, names.slice(0, m))),
  ];
}

export async function run(): Promise<BenchResult[]> {
  const n = Number(process.env.B1_N ?? 10_000);
  const m = Math.min(n, Number(process.env.B1_INLINE_N ?? 300));
  const dir = mkdtempSync(join(tmpdir(), 'aisetl-b1-'));
  const prevHome = process.env.AISETL_HOME;
  process.env.AISETL_HOME = join(dir, 'home');
  const rss = new RssSampler();
  rss.start(20);
  let cluster: LocalCluster | undefined;
  const results: BenchResult[] = [];
  try {
    cluster = await startLocalCluster({ dataDir: join(dir, 'data'), targets: 2, aisVersion: '3.29' }); // code ETLs: 3.29
    results.push(...(await measure(cluster, dir, n, m)));
  } finally {
    await cluster?.stop();
    const r = rss.stop();
    const name = 'gateway process peak RSS (cluster + bench harness, one process)';
    results.push({ name, value: r.peak / 2 ** 20, unit: 'MiB', note: `baseline ${(r.base / 2 ** 20).toFixed(0)} MiB` });
    if (prevHome === undefined) delete process.env.AISETL_HOME;
    else process.env.AISETL_HOME = prevHome;
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

if (require.main === module) {
  const line = (r: BenchResult) =>
    `${r.name.padEnd(70)} ${Number.isFinite(r.value) ? r.value.toFixed(3) : 'n/a'} ${r.unit}` +
    `${r.target ? `  (target ${r.target.op} ${r.target.value})` : ''}${r.note ? `  — ${r.note}` : ''}`;
  run().then(
    (rs) => rs.forEach((r) => console.log(line(r))),
    (e) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
