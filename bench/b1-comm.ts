// B1 (part): per-object overhead of each way a target talks to one ETL worker, 4 KiB objects, md5 code ETL.
// Reports µs/object one-at-a-time (latency) and with 16 in flight (throughput), and the floor: one Python
// process hashing the same files with no IPC. Run alone: `node --import tsx bench/b1-comm.ts`.
import { execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Pool } from 'undici';
import {
  startWorker,
  type CommType,
  type EtlWorker,
  type LocalEtlSpec,
  type TransformInput,
} from '../src/engine/local/workers';
import { findPython } from '../src/engine/local/workers/python';

const MD5_CODE =
  'import hashlib\n\ndef transform(input_bytes):\n    md5 = hashlib.md5()\n    md5.update(input_bytes)\n    return md5.hexdigest().encode()\n';
const IO_CODE =
  'import hashlib, sys\nsys.stdout.buffer.write(hashlib.md5(sys.stdin.buffer.read()).hexdigest().encode())\n';
const SECRET = 'BenchSecret';

import type { BenchResult } from './lib/types';

export interface CommRow {
  comm: string;
  objects: number;
  sequentialUs: number;
  concurrentUs?: number;
  overheadUs: number;
}
export interface B1CommResult {
  objectSize: number;
  floorUs: number;
  rows: CommRow[];
}

function spec(commType: CommType, io = false): LocalEtlSpec {
  return {
    name: 'bench-md5',
    commType,
    initTimeoutMs: 30000,
    objTimeoutMs: 30000,
    supportDirectPut: false,
    env: [],
    source: io
      ? { type: 'io', code: IO_CODE, runtime: 'python3.11v2' }
      : { type: 'code', code: MD5_CODE, runtime: 'python3.11v2', functionName: 'transform' },
  };
}

async function drain(out: { status: number; body: NodeJS.ReadableStream }): Promise<void> {
  for await (const _ of out.body) {
    /* consume */
  }
  if (out.status !== 200) throw new Error(`status ${out.status}`);
}

async function timed(n: number, concurrency: number, one: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await one(next++);
    }),
  );
  return Number(process.hrtime.bigint() - t0) / 1000 / n;
}

/** A fake target answering the worker's hpull GETs from the object files. */
async function fakeTarget(files: Map<string, string>): Promise<{ url: string; close(): void }> {
  const prefix = `/v1/etl/_object/bench-md5/${SECRET}/`;
  const srv = http.createServer((req, res) => {
    const uname = decodeURIComponent((req.url ?? '').slice(prefix.length));
    const f = files.get(uname);
    if (!f) {
      res.writeHead(404);
      res.end();
      return;
    }
    const data = fs.readFileSync(f);
    res.writeHead(200, { 'content-length': data.length });
    res.end(data);
  });
  srv.keepAliveTimeout = 30000;
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}${prefix.slice(0, -1)}`,
    close: () => {
      srv.closeAllConnections();
      srv.close();
    },
  };
}

/** What every measurement below shares: the inputs on disk, the floor, and what to stop at the end. */
interface Run {
  dir: string;
  inputs: TransformInput[];
  byUname: Map<string, string>;
  floorUs: number;
  workers: EtlWorker[];
  closers: (() => void)[];
}

const workerCtx = (r: Run, name: string, targetUrl = 'http://127.0.0.1:9/none') => ({
  targetId: name,
  targetUrl,
  workDir: path.join(r.dir, name),
  log: () => undefined,
});

async function started(r: Run, s: LocalEtlSpec, name: string, targetUrl?: string): Promise<EtlWorker> {
  const w = await startWorker(s, workerCtx(r, name, targetUrl));
  r.workers.push(w);
  return w;
}

/** `total` random 4 KiB files, as transform inputs and as the uname → file map a target serves. */
function writeInputs(dir: string, total: number): Pick<Run, 'inputs' | 'byUname'> {
  const inputs: TransformInput[] = [];
  const byUname = new Map<string, string>();
  fs.mkdirSync(path.join(dir, 'objs'));
  for (let i = 0; i < total; i++) {
    const fqn = path.join(dir, 'objs', `obj-${i}`);
    fs.writeFileSync(fqn, crypto.randomBytes(4096));
    inputs.push({ bucket: 'bench', objName: `obj-${i}`, fqn, size: 4096 });
    byUname.set(`ais/@#/bench/obj-${i}`, fqn);
  }
  return { inputs, byUname };
}

/** µs per object of one Python process reading and hashing the files: the floor every comm type is held to. */
async function pythonFloorUs(dir: string, files: string[]): Promise<number> {
  const listFile = path.join(dir, 'list.txt');
  fs.writeFileSync(listFile, files.join('\n'));
  const py = await findPython();
  const script = [
    'import hashlib, sys, time',
    'files = open(sys.argv[1]).read().split("\\n")',
    't = time.perf_counter()',
    'for f in files:',
    '    hashlib.md5(open(f, "rb").read()).hexdigest()',
    'print((time.perf_counter() - t) / len(files) * 1e6)',
  ].join('\n');
  return Number(execFileSync(py.exe, ['-c', script, listFile]).toString().trim());
}

async function pushAndWsRows(r: Run, n: number): Promise<CommRow[]> {
  const rows: CommRow[] = [];
  for (const comm of ['hpush://', 'ws://'] as const) {
    const w = await started(r, spec(comm), comm.slice(0, -3));
    await timed(50, 1, (i) => w.transform(r.inputs[i]).then(drain)); // warm-up
    const seq = await timed(n, 1, (i) => w.transform(r.inputs[i]).then(drain));
    const conc = await timed(n, 16, (i) => w.transform(r.inputs[i]).then(drain));
    rows.push({ comm, objects: n, sequentialUs: seq, concurrentUs: conc, overheadUs: seq - r.floorUs });
  }
  return rows;
}

/** hpull as a user sees it: the client GETs the worker (the 307 target), which GETs the object from its target. */
async function pullRow(r: Run, n: number): Promise<CommRow> {
  const target = await fakeTarget(r.byUname);
  r.closers.push(target.close);
  const pullWorker = await started(r, spec('hpull://'), 'hpull', target.url);
  const base = new URL(pullWorker.pullUrl(r.inputs[0]));
  const client = new Pool(base.origin, { connections: 16 });
  r.closers.push(() => void client.close());
  const pullOne = async (i: number): Promise<void> => {
    const u = new URL(pullWorker.pullUrl(r.inputs[i]));
    const res = await client.request({ method: 'GET', path: u.pathname + u.search });
    await res.body.text();
    if (res.statusCode !== 200) throw new Error(`hpull status ${res.statusCode}`);
  };
  await timed(50, 1, pullOne);
  const seq = await timed(n, 1, pullOne);
  const conc = await timed(n, 16, pullOne);
  const comm = 'hpull:// (redirected GET, worker fetches from target)';
  return { comm, objects: n, sequentialUs: seq, concurrentUs: conc, overheadUs: seq - r.floorUs };
}

async function ioRow(r: Run, nIo: number): Promise<CommRow> {
  const w = await started(r, spec('io://', true), 'io');
  const seq = await timed(nIo, 1, (i) => w.transform(r.inputs[i]).then(drain));
  const conc = await timed(nIo, 4, (i) => w.transform(r.inputs[i]).then(drain));
  const comm = 'io:// (one python per object)';
  return { comm, objects: nIo, sequentialUs: seq, concurrentUs: conc, overheadUs: seq - r.floorUs };
}

async function batchRow(r: Run, nBatch: number): Promise<CommRow> {
  const w = await started(r, spec('hpush://'), 'batch');
  let failed = 0;
  const batch = () =>
    w.transformBatch?.(r.inputs.slice(0, nBatch), (_i, out) => {
      if (out instanceof Error) failed++;
    }) ?? Promise.reject(new Error('no batch path'));
  const us = await timed(1, 1, batch);
  if (failed) throw new Error(`${failed} batch objects failed`);
  const comm = 'batch (framed pipes, offline jobs)';
  return { comm, objects: nBatch, sequentialUs: us / nBatch, overheadUs: us / nBatch - r.floorUs };
}

function printRows(log: (s: string) => void, floorUs: number, rows: CommRow[]): void {
  const floor = `one Python process hashing the files = ${floorUs.toFixed(1)} µs/object`;
  log(`B1 per-object cost, 4 KiB objects, md5, one worker (floor: ${floor})`);
  log('comm'.padEnd(56) + 'objects'.padStart(8) + '  1-at-a-time µs' + '  16-in-flight µs' + '  overhead µs');
  for (const r of rows) {
    log(
      r.comm.padEnd(56) +
        String(r.objects).padStart(8) +
        r.sequentialUs.toFixed(1).padStart(17) +
        (r.concurrentUs === undefined ? '—' : r.concurrentUs.toFixed(1)).padStart(18) +
        r.overheadUs.toFixed(1).padStart(13),
    );
  }
}

export async function measureComm(
  o: { objects?: number; ioObjects?: number; batchObjects?: number; log?: (s: string) => void } = {},
): Promise<B1CommResult> {
  const n = o.objects ?? 2000;
  const nIo = o.ioObjects ?? 100;
  const nBatch = o.batchObjects ?? 10000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aisetl-b1-'));
  const r: Run = { dir, inputs: [], byUname: new Map(), floorUs: 0, workers: [], closers: [] };
  try {
    Object.assign(r, writeInputs(dir, Math.max(n, nBatch)));
    r.floorUs = await pythonFloorUs(
      dir,
      r.inputs.slice(0, nBatch).map((x) => x.fqn),
    );
    const rows = [...(await pushAndWsRows(r, n)), await pullRow(r, n), await ioRow(r, nIo), await batchRow(r, nBatch)];
    printRows(o.log ?? ((s: string) => console.log(s)), r.floorUs, rows);
    return { objectSize: 4096, floorUs: r.floorUs, rows };
  } finally {
    for (const c of r.closers) c();
    await Promise.all(r.workers.map((w) => w.stop()));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** For bench/run.ts: µs per object of each comm type, against one Python process hashing the same files. */
export async function run(): Promise<BenchResult[]> {
  const r = await measureComm({ objects: Number(process.env.BENCH_B1_COMM_OBJECTS) || undefined });
  const floor = { name: 'one Python process hashing the files (no HTTP)', value: r.floorUs };
  return r.rows.map((row) => ({
    name: `B1 per-object cost, ${row.comm}`,
    value: row.sequentialUs,
    unit: 'µs/object',
    baseline: floor,
    note: row.concurrentUs === undefined ? undefined : `${row.concurrentUs.toFixed(1)} µs/object with 16 in flight`,
  }));
}

if (require.main === module) {
  run().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
