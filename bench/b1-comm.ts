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

export async function measureComm(
  o: { objects?: number; ioObjects?: number; batchObjects?: number; log?: (s: string) => void } = {},
): Promise<B1CommResult> {
  const n = o.objects ?? 2000,
    nIo = o.ioObjects ?? 100,
    nBatch = o.batchObjects ?? 10000;
  const log = o.log ?? ((s: string) => console.log(s));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aisetl-b1-'));
  const workers: EtlWorker[] = [];
  const closers: (() => void)[] = [];
  try {
    const total = Math.max(n, nBatch);
    const inputs: TransformInput[] = [];
    const byUname = new Map<string, string>();
    fs.mkdirSync(path.join(dir, 'objs'));
    for (let i = 0; i < total; i++) {
      const fqn = path.join(dir, 'objs', `obj-${i}`);
      fs.writeFileSync(fqn, crypto.randomBytes(4096));
      inputs.push({ bucket: 'bench', objName: `obj-${i}`, fqn, size: 4096 });
      byUname.set(`ais/@#/bench/obj-${i}`, fqn);
    }
    const listFile = path.join(dir, 'list.txt');
    fs.writeFileSync(
      listFile,
      inputs
        .slice(0, nBatch)
        .map((x) => x.fqn)
        .join('\n'),
    );
    const py = await findPython();
    const floorOut = execFileSync(py.exe, [
      '-c',
      [
        'import hashlib, sys, time',
        'files = open(sys.argv[1]).read().split("\\n")',
        't = time.perf_counter()',
        'for f in files:',
        '    hashlib.md5(open(f, "rb").read()).hexdigest()',
        'print((time.perf_counter() - t) / len(files) * 1e6)',
      ].join('\n'),
      listFile,
    ]).toString();
    const floorUs = Number(floorOut.trim());
    const rows: CommRow[] = [];
    const ctx = (name: string, targetUrl = 'http://127.0.0.1:9/none') => ({
      targetId: name,
      targetUrl,
      workDir: path.join(dir, name),
      log: () => undefined,
    });

    for (const comm of ['hpush://', 'ws://'] as const) {
      const w = await startWorker(spec(comm), ctx(comm.slice(0, -3)));
      workers.push(w);
      await timed(50, 1, (i) => w.transform(inputs[i]).then(drain)); // warm-up
      const seq = await timed(n, 1, (i) => w.transform(inputs[i]).then(drain));
      const conc = await timed(n, 16, (i) => w.transform(inputs[i]).then(drain));
      rows.push({ comm, objects: n, sequentialUs: seq, concurrentUs: conc, overheadUs: seq - floorUs });
    }

    // hpull as a user sees it: the client GETs the worker (the 307 target), which GETs the object from its target
    const target = await fakeTarget(byUname);
    closers.push(target.close);
    const pullWorker = await startWorker(spec('hpull://'), ctx('hpull', target.url));
    workers.push(pullWorker);
    const base = new URL(pullWorker.pullUrl(inputs[0]));
    const client = new Pool(base.origin, { connections: 16 });
    closers.push(() => void client.close());
    const pullOne = async (i: number): Promise<void> => {
      const u = new URL(pullWorker.pullUrl(inputs[i]));
      const res = await client.request({ method: 'GET', path: u.pathname + u.search });
      await res.body.text();
      if (res.statusCode !== 200) throw new Error(`hpull status ${res.statusCode}`);
    };
    await timed(50, 1, pullOne);
    const pSeq = await timed(n, 1, pullOne);
    const pConc = await timed(n, 16, pullOne);
    rows.push({
      comm: 'hpull:// (redirected GET, worker fetches from target)',
      objects: n,
      sequentialUs: pSeq,
      concurrentUs: pConc,
      overheadUs: pSeq - floorUs,
    });

    const ioWorker = await startWorker(spec('io://', true), ctx('io'));
    workers.push(ioWorker);
    const ioSeq = await timed(nIo, 1, (i) => ioWorker.transform(inputs[i]).then(drain));
    const ioConc = await timed(nIo, 4, (i) => ioWorker.transform(inputs[i]).then(drain));
    rows.push({
      comm: 'io:// (one python per object)',
      objects: nIo,
      sequentialUs: ioSeq,
      concurrentUs: ioConc,
      overheadUs: ioSeq - floorUs,
    });

    const batchWorker = await startWorker(spec('hpush://'), ctx('batch'));
    workers.push(batchWorker);
    let failed = 0;
    const batchUs = await timed(
      1,
      1,
      () =>
        batchWorker.transformBatch?.(inputs.slice(0, nBatch), (_i, out) => {
          if (out instanceof Error) failed++;
        }) ?? Promise.reject(new Error('no batch path')),
    );
    if (failed) throw new Error(`${failed} batch objects failed`);
    rows.push({
      comm: 'batch (framed pipes, offline jobs)',
      objects: nBatch,
      sequentialUs: batchUs / nBatch,
      overheadUs: batchUs / nBatch - floorUs,
    });

    log(
      `B1 per-object cost, 4 KiB objects, md5, one worker (floor: one Python process hashing the files = ${floorUs.toFixed(1)} µs/object)`,
    );
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
    return { objectSize: 4096, floorUs, rows };
  } finally {
    for (const c of closers) c();
    await Promise.all(workers.map((w) => w.stop()));
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
