// Shared by the worker tests: the tutorial's files, specs, a fake target (AIS_TARGET_URL endpoint), cleanup checks.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import type { LocalEtlSpec, WorkerContext } from '../../../../../src/engine/local/workers';

const FIXTURES = path.resolve(__dirname, '../../../../fixtures/tutorial');

/** The tutorial's files, verbatim, from test/fixtures/tutorial. */
export function tutorialFile(name: 'code.py' | 'io/code.py' | 'server.py' | 'Dockerfile'): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

/** The io script with the tutorial's bug fixed (what our snippet shows). */
export const IO_MD5_FIXED =
  'import hashlib\nimport sys\n\nmd5 = hashlib.md5()\nmd5.update(sys.stdin.buffer.read())\nsys.stdout.buffer.write(md5.hexdigest().encode())\n';

export const SHARD_IN = 'some text :)\n';
export const SHARD_MD5 = '393c6706efb128fbc442d3f7d084a426';

export function tmpDir(t: { after(fn: () => void): void }, prefix = 'aisetl-workers-'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  t.after(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
}

export function codeSpec(
  code: string,
  o: Partial<LocalEtlSpec> & { functionName?: string; dependencies?: string } = {},
): LocalEtlSpec {
  return {
    name: o.name ?? 'transformer-md5',
    commType: o.commType ?? 'hpush://',
    initTimeoutMs: o.initTimeoutMs ?? 20000,
    objTimeoutMs: o.objTimeoutMs ?? 10000,
    supportDirectPut: o.supportDirectPut ?? false,
    source: o.source ?? {
      type: 'code',
      code,
      runtime: 'python3.11v2',
      functionName: o.functionName ?? 'transform',
      dependencies: o.dependencies,
    },
    env: o.env ?? [],
  };
}

export function makeCtx(
  dir: string,
  targetUrl = 'http://127.0.0.1:9/v1/etl/_object/transformer-md5/SECRETabcd',
  extra: Partial<WorkerContext> = {},
): WorkerContext & { lines: string[] } {
  const lines: string[] = [];
  // default: what a 3.29 cluster sends (object bytes, POST fallback for the tutorial's server); 5.0 tests pass `wire`
  return {
    targetId: 'tgt1',
    targetUrl,
    workDir: path.join(dir, 'work'),
    log: (l) => lines.push(l),
    lines,
    wire: { fqn: false, postFallback: true },
    ...extra,
  };
}

export function writeObject(
  dir: string,
  name: string,
  data: Buffer | string,
): { bucket: string; objName: string; fqn: string; size: number } {
  const fqn = path.join(dir, 'objs', name);
  fs.mkdirSync(path.dirname(fqn), { recursive: true });
  fs.writeFileSync(fqn, data);
  return { bucket: 'transform', objName: name, fqn, size: Buffer.byteLength(data) };
}

export async function readAll(r: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of r) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

export interface FakeTarget {
  url: string;
  base: string;
  puts: { path: string; body: Buffer }[];
  gets: string[];
  close(): Promise<void>;
}

/** A tiny target: serves `/v1/etl/_object/<name>/<secret>/<escaped uname>` from `objects` (uname → bytes). */
export async function fakeTarget(
  objects: Map<string, Buffer>,
  etlName = 'transformer-md5',
  secret = 'SECRETabcd',
): Promise<FakeTarget> {
  const prefix = `/v1/etl/_object/${etlName}/${secret}/`;
  const puts: FakeTarget['puts'] = [];
  const gets: string[] = [];
  const srv = http.createServer((req, res) => {
    const url = req.url ?? '';
    if (!url.startsWith(prefix)) {
      res.writeHead(400);
      res.end('bad path');
      return;
    }
    const uname = decodeURIComponent(url.slice(prefix.length).split('?')[0]);
    if (req.method === 'GET') {
      gets.push(uname);
      const data = objects.get(uname);
      if (!data) {
        res.writeHead(404);
        res.end(`object ${uname} not found`);
        return;
      }
      res.writeHead(200, { 'content-length': data.length });
      res.end(data);
      return;
    }
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      puts.push({ path: url, body: Buffer.concat(parts) });
      res.writeHead(200);
      res.end();
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
  return {
    url: base + prefix.slice(0, -1),
    base,
    puts,
    gets,
    close: () =>
      new Promise<void>((r) => {
        srv.closeAllConnections();
        srv.close(() => r());
      }),
  };
}

/** Live processes whose command line or environment mentions `text` (e.g. a test's temp dir). */
export function processesMentioning(text: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid)
    .filter((p) => {
      try {
        return (
          fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(text) ||
          fs.readFileSync(`/proc/${p}/environ`, 'utf8').includes(text)
        );
      } catch {
        return false;
      }
    })
    .map(Number)
    .filter(pidAlive);
}
