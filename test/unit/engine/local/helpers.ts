// Test helpers: a stand-in ETL worker (a real child process running a tiny node:http md5 server that honours the
// CONTRACTS EtlWorker interface), an HTTP helper that follows AIS redirects, and a cluster fixture.
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { request } from 'undici';
import { AisClient } from '../../../../src/engine/ais';
import { startLocalCluster, type LocalCluster } from '../../../../src/engine/local';
import type {
  EtlWorker,
  LocalEtlSpec,
  TransformInput,
  TransformOutput,
  WorkerContext,
  WorkerFactory,
} from '../../../../src/engine/local/worker-contract';

// The stand-in's server: md5 (or upper-case with MODE=upper) of the object; names containing "fail" → 500;
// names containing "crash" → the process exits; GET /stats → how many objects it transformed.
const SERVER = String.raw`
const http = require('node:http'), crypto = require('node:crypto'), fs = require('node:fs');
let n = 0;
const mode = process.env.MODE || 'md5';
const out = (buf) => mode === 'upper' ? Buffer.from(buf.toString().toUpperCase()) : Buffer.from(crypto.createHash('md5').update(buf).digest('hex'));
function reply(res, name, buf) {
  if (name.includes('hang')) return; // never answers: obj_timeout must fire
  if (name.includes('crash')) { console.error('crashing on ' + name); process.exit(3); }
  if (name.includes('fail')) { res.writeHead(500); res.end('boom: ' + name); return; }
  n++; const b = out(buf); res.writeHead(200, { 'Content-Length': b.length }); res.end(b);
}
const srv = http.createServer((req, res) => {
  const u = new URL(req.url, 'http://x');
  if (u.pathname === '/health') { res.end('Running'); return; }
  if (u.pathname === '/stats') { res.end(String(n)); return; }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (req.method === 'PUT') return reply(res, decodeURIComponent(u.pathname), Buffer.concat(chunks));
    const path = u.pathname.slice(1);
    http.get(process.env.AIS_TARGET_URL + '/' + path, (r) => {
      const cs = []; r.on('data', (c) => cs.push(c));
      r.on('end', () => r.statusCode >= 400 ? (res.writeHead(r.statusCode), res.end(Buffer.concat(cs))) : reply(res, decodeURIComponent(path), Buffer.concat(cs)));
    }).on('error', (e) => { res.writeHead(502); res.end(String(e)); });
  });
});
srv.keepAliveTimeout = 30000;
srv.on('connection', (s) => s.setNoDelay(true));
srv.listen(0, '127.0.0.1', () => console.log('PORT=' + srv.address().port));
`;

export interface StandIn extends EtlWorker {
  readonly targetId: string;
  readonly targetUrl: string;
  readonly port: number;
  transformed(): Promise<number>;
}

export interface StandInOptions {
  mode?: 'md5' | 'upper';
  batch?: boolean;
  failStart?: boolean;
  hangStart?: boolean;
}

export function standInFactory(
  opts: StandInOptions = {},
  started: StandIn[] = [],
): WorkerFactory & { started: StandIn[] } {
  const f = (async (spec: LocalEtlSpec, ctx: WorkerContext) => {
    const w = await startStandIn(spec, ctx, opts);
    started.push(w);
    return w;
  }) as unknown as WorkerFactory & { started: StandIn[] };
  f.started = started;
  return f;
}

function spawnStandIn(spec: LocalEtlSpec, ctx: WorkerContext, opts: StandInOptions): ChildProcess {
  const env = [...spec.env, ...(spec.source.type === 'container' ? spec.source.env : [])];
  const mode = env.find((e) => e.name === 'MODE')?.value ?? opts.mode ?? 'md5';
  return spawn(
    process.execPath,
    ['-e', opts.failStart ? 'console.error("cannot start: bad image"); process.exit(1)' : SERVER],
    {
      env: { ...process.env, AIS_TARGET_URL: ctx.targetUrl, MODE: mode },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

/** What the stand-in's process has done so far: its output, its state, and who to tell when it exits. */
interface ProcessWatch {
  log: string;
  state: EtlWorker['state'];
  exited: boolean;
  readonly exitCbs: ((reason: string) => void)[];
  readonly exit: Promise<void>;
}

function watchProcess(child: ChildProcess): ProcessWatch {
  const p: Omit<ProcessWatch, 'exit'> = { log: '', state: 'starting', exited: false, exitCbs: [] };
  child.stderr!.on('data', (d) => {
    p.log += d;
  });
  const exit = new Promise<void>((res) =>
    child.once('exit', (code, sig) => {
      p.exited = true;
      const was = p.state;
      p.state = was === 'stopped' ? 'stopped' : 'failed';
      if (was !== 'stopped') for (const cb of p.exitCbs) cb(`exit code ${code ?? sig}`);
      res();
    }),
  );
  return Object.assign(p, { exit });
}

/** The port the server prints; rejects if the process exits first, never settles with `hangStart`. */
function waitForPort(child: ChildProcess, watch: ProcessWatch, hangStart?: boolean): Promise<number> {
  return new Promise<number>((res, rej) => {
    if (hangStart) return; // never healthy: the cluster's deadline must fire
    child.stdout!.on('data', (d) => {
      watch.log += d;
      const m = /PORT=(\d+)/.exec(String(d));
      if (m) res(Number(m[1]));
    });
    void watch.exit.then(() => rej(new Error(`the worker exited during start\n${watch.log}`)));
  });
}

/** Push transform: PUT the object's file to the server, answer with its status, body and headers. */
function putTransform(base: string, agent: Agent): EtlWorker['transform'] {
  return (input: TransformInput, signal?: AbortSignal): Promise<TransformOutput> =>
    new Promise((resolve, reject) => {
      const q = input.args ? `?etl_args=${encodeURIComponent(input.args)}` : '';
      const req = httpRequest(
        `${base}/${encodeURIComponent(input.bucket)}/${encodeURIComponent(input.objName)}${q}`,
        { method: 'PUT', agent, headers: { 'Content-Length': input.size }, signal },
        (res) => {
          resolve({
            status: res.statusCode ?? 500,
            body: res as Readable,
            headers: res.headers as Record<string, string>,
          });
        },
      );
      req.on('error', reject);
      createReadStream(input.fqn).on('error', reject).pipe(req);
    });
}

/** Batch transform: every input through `transform` at once, each result (body or error) reported by index. */
function batchOver(transform: EtlWorker['transform']): NonNullable<EtlWorker['transformBatch']> {
  return async (inputs, onResult, signal) => {
    await Promise.all(
      inputs.map(async (inp, i) => {
        try {
          const out = await transform(inp, signal);
          const chunks: Buffer[] = [];
          for await (const c of out.body) chunks.push(c as Buffer);
          onResult(
            i,
            out.status >= 400
              ? Object.assign(new Error(Buffer.concat(chunks).toString()), { status: out.status })
              : Buffer.concat(chunks),
          );
        } catch (e) {
          onResult(i, e as Error);
        }
      }),
    );
  };
}

async function startStandIn(spec: LocalEtlSpec, ctx: WorkerContext, opts: StandInOptions): Promise<StandIn> {
  const child = spawnStandIn(spec, ctx, opts);
  const watch = watchProcess(child);
  const port = await waitForPort(child, watch, opts.hangStart);
  watch.state = 'running';
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const base = `http://127.0.0.1:${port}`;
  const transform = putTransform(base, agent);
  return {
    targetId: ctx.targetId,
    targetUrl: ctx.targetUrl,
    port,
    get pid() {
      return child.pid;
    },
    get state() {
      return watch.state;
    },
    restarts: 0,
    transform,
    ...(opts.batch && { transformBatch: batchOver(transform) }),
    pullUrl(input: TransformInput): string {
      return `${base}/${encodeURIComponent(`ais/@#/${input.bucket}/${input.objName}`)}${input.args ? `?etl_args=${encodeURIComponent(input.args)}` : ''}`;
    },
    logs: () => watch.log,
    onExit: (cb) => {
      watch.exitCbs.push(cb);
    },
    async stop() {
      if (watch.exited) return;
      watch.state = 'stopped';
      agent.destroy();
      child.kill('SIGTERM');
      await watch.exit;
    },
    async transformed() {
      const r = await request(`${base}/stats`);
      return Number(await r.body.text());
    },
  };
}

export interface Resp {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  hops: string[];
}

/** One HTTP call that follows AIS's 301/307 redirects (re-sending the body), like the AIS clients do. */
export async function call(
  method: string,
  url: string,
  o: { body?: string | Buffer; json?: unknown; headers?: Record<string, string> } = {},
): Promise<Resp> {
  const hops: string[] = [];
  let cur = url;
  for (let i = 0; i < 5; i++) {
    const body = o.json !== undefined ? JSON.stringify(o.json) : o.body;
    const headers = { ...(o.json !== undefined && { 'content-type': 'application/json' }), ...o.headers };
    const r = await request(cur, { method: method as 'GET', body, headers });
    if ((r.statusCode === 301 || r.statusCode === 307) && r.headers.location) {
      await r.body.dump();
      hops.push(String(r.headers.location));
      cur = String(r.headers.location);
      continue;
    }
    return { status: r.statusCode, headers: r.headers, body: Buffer.from(await r.body.arrayBuffer()), hops };
  }
  throw new Error(`too many redirects from ${url}`);
}

export const md5 = (s: string | Buffer) => require('node:crypto').createHash('md5').update(s).digest('hex') as string;

export interface Fixture {
  cluster: LocalCluster;
  dir: string;
  ep: string;
  factory: ReturnType<typeof standInFactory>;
  logs: string[];
}

export async function startFixture(
  o: { targets?: number; worker?: StandInOptions; factory?: WorkerFactory; aisVersion?: '3.29' | '5.0' } = {},
): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'aisetl-local-'));
  const factory = standInFactory(o.worker);
  const logs: string[] = [];
  const cluster = await startLocalCluster({
    dataDir: dir,
    targets: o.targets ?? 2,
    workerFactory: o.factory ?? factory,
    log: (l) => logs.push(l),
    aisVersion: o.aisVersion,
  });
  return { cluster, dir, ep: cluster.endpoint, factory, logs };
}

export async function stopFixture(f: Fixture): Promise<void> {
  await f.cluster.stop();
  rmSync(f.dir, { recursive: true, force: true });
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export const b64 = (s: string) => Buffer.from(s).toString('base64');

export const CODE_MD5 =
  'import hashlib\n\ndef transform(input_bytes):\n    md5 = hashlib.md5()\n    md5.update(input_bytes)\n    return md5.hexdigest().encode()\n';

export function codeInit(name: string, comm = 'hpush://'): Record<string, unknown> {
  return {
    name,
    runtime: 'python3.11v2',
    communication: comm,
    init_timeout: '30s',
    obj_timeout: '10s',
    funcs: { transform: 'transform' },
    code: b64(CODE_MD5),
  };
}

/** A 5.0 runtime spec; stand-in workers ignore the image, so it serves any test that needs "an ETL". */
export function runtimeInit(
  name: string,
  comm = 'hpush://',
  env: { name: string; value: string }[] = [],
): Record<string, unknown> {
  return {
    name,
    communication: comm,
    init_timeout: '30s',
    obj_timeout: '10s',
    runtime: { image: 'local/md5:1', env },
    ...(comm === 'ws://' ? { support_direct_put: true } : {}),
  };
}

/** A request with the path sent byte-for-byte (no WHATWG normalisation of "..", "%2e%2e" or "\\"). */
export function rawCall(
  method: string,
  base: string,
  rawPath: string,
  body?: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: u.hostname,
        port: u.port,
        method,
        path: rawPath,
        headers: body !== undefined ? { 'content-length': Buffer.byteLength(body) } : {},
      },
      (res) => {
        const cs: Buffer[] = [];
        res.on('data', (c) => cs.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(cs) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A 5.0 Pod spec (one container on `image`, port 8000 named "default", readiness GET /health) named `name`. */
export const readyPodSpec = (name: string, image: string): string => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  containers:
    - name: server
      image: ${image}
      ports:
        - name: default
          containerPort: 8000
      readinessProbe:
        httpGet:
          path: /health
          port: default
`;

/** A local cluster in `dir`/data whose bucket `transform` holds the tutorial's shard.in, and a client for it. */
export async function startShardCluster(
  dir: string,
  targets: number,
): Promise<{ cluster: LocalCluster; client: AisClient }> {
  const cluster = await startLocalCluster({ dataDir: join(dir, 'data'), targets });
  const client = new AisClient({ endpoint: cluster.endpoint, timeoutMs: 120_000 });
  await client.createBucket('transform');
  await client.putObject('transform', 'shard.in', 'some text :)\n');
  return { cluster, client };
}
