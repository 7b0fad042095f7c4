// B6: an ETL server class as SDK 2.0 users write it (HTTPMultiThreadedServer md5, Etl.init_class: cloudpickled into
// ETL_CLASS_PAYLOAD on aistorage/runtime_python:<X.Y>) on a 5.0 local cluster, 2 targets, 10,000 × 4 KiB objects
// (B6_N to change): (a) the offline bucket job vs (b) B1's Python client loop GET → md5 → PUT in the same run
// (target b/a ≥ 5), and the per-object cost of the runtime_python path inline (next to B1's comm rows).
// The SDK's venv is built once into the shared cache (AISETL_VENV_CACHE or ~/.aisetl/venvs).
// Standalone: `node --import tsx bench/b6-init-class.ts` (B6_N=1000 for a quick run).
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { startLocalCluster, type LocalCluster } from '../src/engine/local';
import { classInterpreter } from '../src/engine/local/workers/classRuntime';
import { findPython } from '../src/engine/local/workers/python';
import { sharedVenvCache } from '../src/engine/local/workers/venv';
import { PY_CLIENT } from './b1-local-etl';
import type { BenchResult } from './lib/types';

const SIZE = 4096;
const payload = (i: number) => Buffer.alloc(SIZE, `object ${i} `);
const CLASS = `
import hashlib
from aistore.sdk.etl.webserver.http_multi_threaded_server import HTTPMultiThreadedServer
from aistore.sdk.etl.webserver.utils import serialize_class

class Md5Server(HTTPMultiThreadedServer):
    def transform(self, data, path, etl_args):
        return hashlib.md5(data).hexdigest().encode()

print(serialize_class(Md5Server))
`;

const secs = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;
const progress = (s: string) => {
  if (process.env.B6_VERBOSE) console.error(`[b6] ${s}`);
};

async function must(method: string, url: string, body?: string | Buffer, json = false): Promise<string> {
  for (let hops = 0; hops < 5; hops++) {
    const r = await request(url, {
      method: method as 'GET',
      body,
      headers: json ? { 'content-type': 'application/json' } : {},
    });
    const text = await r.body.text();
    if ((r.statusCode === 301 || r.statusCode === 307) && r.headers.location) {
      url = String(r.headers.location);
      continue;
    }
    if (r.statusCode >= 300) throw new Error(`${method} ${url} → ${r.statusCode} ${text.slice(0, 300)}`);
    return text;
  }
  throw new Error(`too many redirects from ${url}`);
}

async function populate(ep: string, bucket: string, names: string[]): Promise<void> {
  const prev = process.env.AISETL_FSYNC;
  process.env.AISETL_FSYNC = '0'; // setup only
  try {
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < names.length) {
          const i = next++;
          await must('PUT', `${ep}/v1/objects/${bucket}/${names[i]}`, payload(i));
        }
      }),
    );
  } finally {
    if (prev === undefined) delete process.env.AISETL_FSYNC;
    else process.env.AISETL_FSYNC = prev;
  }
}

/** The ETLSpecMsg `Etl.init_class` sends (SDK 2.0: direct_put true, 5m/45s). */
async function initClass(ep: string, name: string): Promise<void> {
  const py = await findPython();
  const image = `aistorage/runtime_python:${py.version}`;
  const venvPy = await classInterpreter({
    name,
    image,
    env: [],
    venvCache: sharedVenvCache(),
    log: progress,
    timeoutMs: 900_000,
  });
  const classPayload = execFileSync(venvPy, ['-c', CLASS], { encoding: 'utf8' }).trim();
  const msg = {
    name,
    communication: 'hpush://',
    init_timeout: '5m',
    obj_timeout: '45s',
    support_direct_put: true,
    runtime: { image, env: [{ name: 'ETL_CLASS_PAYLOAD', value: classPayload }] },
  };
  await must('PUT', `${ep}/v1/etl`, JSON.stringify(msg), true);
}

async function bucketJob(ep: string, n: number, last: string): Promise<number> {
  const t0 = process.hrtime.bigint();
  const id = await must(
    'POST',
    `${ep}/v1/buckets/b6src?bck_to=${encodeURIComponent('ais/@#/b6dst/')}`,
    JSON.stringify({ action: 'etl-bck', value: { id: 'b6-md5-class' } }),
    true,
  );
  for (;;) {
    const s = JSON.parse(
      await must('GET', `${ep}/v1/cluster?what=status`, JSON.stringify({ id, kind: 'etl-bck' }), true),
    );
    if (Number(s.end_time) > 0) {
      if (s.aborted || s.err) throw new Error(`the etl-bck job failed: ${String(s.err)}`);
      break;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const a = secs(t0);
  const want = createHash('md5')
    .update(payload(n - 1))
    .digest('hex');
  const got = await must('GET', `${ep}/v1/objects/b6dst/${last}`);
  if (got !== want) throw new Error(`b6dst/${last}: got ${got.slice(0, 40)}, expected ${want}`);
  return a;
}

function clientLoop(ep: string, listFile: string): Promise<number> {
  const py = process.env.AISETL_PYTHON || 'python3';
  const t0 = process.hrtime.bigint();
  // async: the cluster serving the requests lives in this process
  return new Promise((resolve, reject) => {
    const child = spawn(py, ['-c', PY_CLIENT, ep, 'b6src', 'b6user', listFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    child.on('close', (status) =>
      status === 0 ? resolve(secs(t0)) : reject(new Error(`the Python client loop failed: ${out}`)),
    );
  });
}

async function perObjectUs(ep: string, names: string[], etl?: string): Promise<number> {
  const q = etl ? `?etl_name=${etl}` : '';
  await must('GET', `${ep}/v1/objects/b6src/${names[0]}${q}`); // warm-up
  const t0 = process.hrtime.bigint();
  for (const n of names) await must('GET', `${ep}/v1/objects/b6src/${n}${q}`);
  return (secs(t0) * 1e6) / names.length;
}

export async function run(): Promise<BenchResult[]> {
  const N = Number(process.env.B6_N ?? 10_000);
  const M = Math.min(N, 300);
  const dir = mkdtempSync(join(tmpdir(), 'aisetl-b6-'));
  let cluster: LocalCluster | undefined;
  try {
    cluster = await startLocalCluster({ dataDir: join(dir, 'data'), targets: 2, aisVersion: '5.0' });
    const ep = cluster.endpoint;
    const names = Array.from({ length: N }, (_, i) => `obj-${String(i).padStart(6, '0')}`);
    for (const b of ['b6src', 'b6user'])
      await must('POST', `${ep}/v1/buckets/${b}`, JSON.stringify({ action: 'create-bck' }), true);
    progress(`populating ${N}`);
    await populate(ep, 'b6src', names);
    progress('init_class');
    await initClass(ep, 'b6-md5-class');
    progress('(a)');
    const a = await bucketJob(ep, N, names[N - 1]);
    progress(`(a) ${a.toFixed(2)} s; (b)`);
    const listFile = join(dir, 'names.txt');
    writeFileSync(listFile, names.join('\n'));
    const b = await clientLoop(ep, listFile);
    progress(`(b) ${b.toFixed(2)} s; per object`);
    const sample = names.slice(0, M);
    const plainUs = await perObjectUs(ep, sample);
    const classUs = await perObjectUs(ep, sample, 'b6-md5-class');
    return [
      {
        name: `(a) init_class HTTPMultiThreadedServer md5, etl-bck ${N} × 4 KiB, 2 targets (5.0)`,
        value: a,
        unit: 's',
        note: `${Math.round(N / a)} obj/s`,
      },
      { name: "(b) B1's Python loop GET → md5 → PUT", value: b, unit: 's', note: `${Math.round(N / b)} obj/s` },
      { name: 'speedup (b)/(a)', value: b / a, unit: 'x', target: { op: '>=', value: 5 } },
      {
        name: 'inline runtime_python (SDK server, hpush + etl_fqn) overhead over plain GET',
        value: classUs - plainUs,
        unit: 'µs/obj',
        baseline: { name: 'plain GET', value: plainUs },
        note: `${classUs.toFixed(0)} µs/obj total, ${M} sequential`,
      },
    ];
  } finally {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  run().then(
    (rs) => {
      for (const r of rs)
        console.log(`${r.name.padEnd(80)} ${r.value.toFixed(3)} ${r.unit}${r.note ? `  — ${r.note}` : ''}`);
    },
    (e) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
