// The ≥3.30 wrapper run for real with local python: the built `command` + `env` serve the tutorial's transform().
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import WebSocket from 'ws';
import { join } from 'node:path';
import {
  buildInitMessage,
  buildPythonWrapper,
  requirementsToPipArgs,
  runtimeImageFor,
  wrapperCommand,
  type EtlDefinition,
} from '../../../../src/engine/etl';
import { ALL_COMM_TYPES, applyFix, etlCluster, only, tutorial } from './helpers';
import { parseEtlFile } from '../../../../src/engine/etl';

const EXPECTED_MD5 = '393c6706efb128fbc442d3f7d084a426';
const V50 = etlCluster();
const V330 = etlCluster({ dialect: 'v3.30', commTypes: [...ALL_COMM_TYPES] });
const SDK_VERSION = '1.25.0';

// A minimal HTTPMultiThreadedServer with the SDK's constructor and transform() hook: PUT body → transform, /health.
const STAND_IN = `import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


class HTTPMultiThreadedServer:
    def __init__(self, host: str = "0.0.0.0", port: int = 8000):
        if not os.getenv("AIS_TARGET_URL"):
            raise EnvironmentError("Environment variable 'AIS_TARGET_URL' must be set.")
        self.host = host
        self.port = port

    def transform(self, data, path, etl_args):
        raise NotImplementedError

    def start(self):
        etl = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _reply(self, status, body):
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                if self.path == "/health":
                    self._reply(200, b"Running")
                else:
                    self._reply(404, b"stand-in serves PUT only")

            def do_PUT(self):
                data = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                args = parse_qs(urlparse(self.path).query).get("etl_args", [""])[0]
                try:
                    self._reply(200, etl.transform(data, self.path, args))
                except Exception as e:  # noqa: BLE001 - report like the SDK: 500
                    self._reply(500, str(e).encode())

        ThreadingHTTPServer((self.host, self.port), Handler).serve_forever()
`;

interface PythonEnv {
  label: string;
  path: string;
  pythonPath?: string;
}

function systemPython(): string | undefined {
  for (const exe of ['python3', 'python']) {
    const r = spawnSync(exe, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return undefined;
}

/** A dir whose `python` is the system interpreter, plus the stand-in SDK module on PYTHONPATH. */
function standInEnv(root: string, exe: string): PythonEnv {
  const bin = join(root, 'bin');
  mkdirSync(bin, { recursive: true });
  symlinkSync(exe, join(bin, 'python'));
  const pkg = join(root, 'site', 'aistore', 'sdk', 'etl', 'webserver');
  mkdirSync(pkg, { recursive: true });
  for (const d of ['aistore', 'aistore/sdk', 'aistore/sdk/etl', 'aistore/sdk/etl/webserver'])
    writeFileSync(join(root, 'site', d, '__init__.py'), '');
  writeFileSync(join(pkg, 'http_multi_threaded_server.py'), STAND_IN);
  return { label: 'stand-in SDK', path: bin, pythonPath: join(root, 'site') };
}

/** The real SDK in a venv cached under os.tmpdir() (installed once; skipped when PyPI is unreachable). */
function realSdkEnv(exe: string): PythonEnv | string {
  const dir = join(tmpdir(), `aisetl-py-aistore-${SDK_VERSION}`);
  const ready = join(dir, '.ready');
  if (existsSync(ready)) return { label: `aistore ${SDK_VERSION}`, path: join(dir, 'bin') };
  const lock = `${dir}.lock`;
  try {
    mkdirSync(lock);
  } catch {
    return 'another test process is installing the aistore SDK right now';
  }
  try {
    rmSync(dir, { recursive: true, force: true });
    if (spawnSync(exe, ['-m', 'venv', dir], { timeout: 60_000 }).status !== 0) return 'python -m venv failed';
    const pip = spawnSync(
      join(dir, 'bin', 'python'),
      ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', `aistore[etl]==${SDK_VERSION}`],
      { encoding: 'utf8', timeout: 240_000 },
    );
    if (pip.status !== 0)
      return `pip install aistore[etl]==${SDK_VERSION} failed (no PyPI?): ${(pip.stderr ?? '').trim().split('\n').pop()}`;
    writeFileSync(ready, '');
    return { label: `aistore ${SDK_VERSION}`, path: join(dir, 'bin') };
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function http(method: string, port: number, path: string, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        headers: body === undefined ? {} : { 'Content-Length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Starts the built command/env like a pod would, on a free loopback port; resolves once /health answers. */
async function runBuilt(
  t: TestContext,
  body: Record<string, unknown>,
  py: PythonEnv,
  targetUrl = 'http://127.0.0.1:9/v1/etl/_object/test/secret',
  sink?: { log: string },
): Promise<number> {
  const runtime = body.runtime as { command: string[]; env: { name: string; value: string }[] };
  const port = await freePort();
  const env: Record<string, string> = {
    PATH: `${py.path}:${process.env.PATH ?? ''}`,
    HOME: process.env.HOME ?? tmpdir(),
    AIS_TARGET_URL: targetUrl,
    ETL_PORT: String(port),
    ETL_HOST: '127.0.0.1',
    ...Object.fromEntries(runtime.env.map((e) => [e.name, e.value])),
  };
  if (py.pythonPath) env.PYTHONPATH = py.pythonPath;
  const child: ChildProcess = spawn(runtime.command[0], runtime.command.slice(1), {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (d: Buffer) => {
    log += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    log += d.toString();
    if (sink) sink.log += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  t.after(async () => {
    child.kill('SIGKILL');
    await exited;
  });
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrapper exited with ${child.exitCode}:\n${log}`);
    try {
      if ((await http('GET', port, '/health')).status === 200) return port;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`wrapper never became healthy:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const codeDef: EtlDefinition = {
  kind: 'code',
  code: tutorial('code.py'),
  runtime: 'python3.11v2',
  functionName: 'transform',
};

describe('wrapper building blocks', () => {
  it('maps runtimes to the official images', () => {
    assert.equal(runtimeImageFor('python3.11v2'), 'aistorage/runtime_python:3.11');
    assert.equal(runtimeImageFor('python3.13v2'), 'aistorage/runtime_python:3.13');
    assert.throws(() => runtimeImageFor('node20'), /Unsupported runtime "node20"/);
  });
  it('turns requirements into pip arguments', () => {
    assert.deepEqual(
      requirementsToPipArgs('# c\nnumpy==1.26\n\n--extra-index-url https://x/simple\nfoo ; python_version > "3.8"\n'),
      ['numpy==1.26', '--extra-index-url', 'https://x/simple', 'foo ; python_version > "3.8"'],
    );
    assert.deepEqual(wrapperCommand(''), wrapperCommand(undefined));
    assert.match(wrapperCommand("it's\n")[2], /pip install --no-cache-dir 'it'\\''s' && exec python -c/);
  });
  it('refuses function names that are not identifiers', () => {
    assert.throws(
      () => buildPythonWrapper({ userCode: '', functionName: 'a-b', server: 'http' }),
      /not a Python function name/,
    );
  });
});

describe('wrapper run for real with local python', () => {
  let root = '';
  let exe: string | undefined;
  let standIn: PythonEnv | undefined;
  before(() => {
    exe = systemPython();
    if (!exe) return;
    root = mkdtempSync(join(tmpdir(), 'aisetl-wrapper-'));
    standIn = standInEnv(root, exe);
  });
  after(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('stand-in SDK: PUT "some text :)\\n" → the tutorial md5', async (t) => {
    if (!standIn) {
      t.skip('no python3 on PATH');
      return;
    }
    const built = buildInitMessage(codeDef, { name: 'md5-code-etl' }, V50);
    const port = await runBuilt(t, built.body, standIn);
    assert.deepEqual(await http('PUT', port, '/bucket/shard.in', 'some text :)\n'), {
      status: 200,
      body: EXPECTED_MD5,
    });
  });

  it('stand-in SDK: transform(input_bytes, etl_args) gets the etl_args of the request', async (t) => {
    if (!standIn) {
      t.skip('no python3 on PATH');
      return;
    }
    const code = 'def transform(input_bytes, etl_args):\n    return etl_args.encode() + b":" + input_bytes\n';
    const def: EtlDefinition = { kind: 'code', code, runtime: 'python3.11v2', functionName: 'transform' };
    const port = await runBuilt(t, buildInitMessage(def, { name: 'args-etl' }, V50).body, standIn);
    assert.deepEqual(await http('PUT', port, '/bucket/o?etl_args=hello', 'data'), { status: 200, body: 'hello:data' });
  });

  it('stand-in SDK: a transform that raises answers 500 and logs its traceback at the line of the code', async (t) => {
    if (!standIn) {
      t.skip('no python3 on PATH');
      return;
    }
    const code = 'def transform(input_bytes):\n    total = 0\n    return total + input_bytes\n';
    const def: EtlDefinition = { kind: 'code', code, runtime: 'python3.11v2', functionName: 'transform' };
    const sink = { log: '' };
    const port = await runBuilt(t, buildInitMessage(def, { name: 'raising-etl' }, V50).body, standIn, undefined, sink);
    assert.equal((await http('PUT', port, '/bucket/o', 'data')).status, 500);
    assert.match(sink.log, /Traceback[\s\S]*File "etl_code\.py", line 3, in transform[\s\S]*TypeError: unsupported/);
  });

  it('stand-in SDK: an io:// script on 3.30 runs per object (fixed script → md5, broken one → 500)', async (t) => {
    if (!standIn) {
      t.skip('no python3 on PATH');
      return;
    }
    const broken = tutorial('io/code.py');
    const fixed = applyFix(broken, only(parseEtlFile('io/code.py', broken).diagnostics, 'io-iterates-bytes').fix!);
    const ok = buildInitMessage(
      { kind: 'io', code: fixed, runtime: 'python3.11v2', commType: 'io://' },
      { name: 'compute-md5' },
      V330,
    );
    const bad = buildInitMessage(
      { kind: 'io', code: broken, runtime: 'python3.11v2', commType: 'io://' },
      { name: 'compute-md5' },
      V330,
    );
    const [okPort, badPort] = await Promise.all([runBuilt(t, ok.body, standIn), runBuilt(t, bad.body, standIn)]);
    assert.deepEqual(await http('PUT', okPort, '/bucket/shard.in', 'some text :)\n'), {
      status: 200,
      body: EXPECTED_MD5,
    });
    const failed = await http('PUT', badPort, '/bucket/shard.in', 'some text :)\n');
    assert.equal(failed.status, 500);
    assert.match(failed.body, /TypeError/);
  });

  describe(`real aistore SDK ${SDK_VERSION} (cached venv under os.tmpdir())`, () => {
    let sdk: PythonEnv | string = 'no python3 on PATH';
    before(() => {
      if (exe) sdk = realSdkEnv(exe);
    });
    const real = (t: TestContext): PythonEnv | undefined => {
      if (typeof sdk === 'string') {
        t.diagnostic(`skipped: ${sdk}`);
        t.skip(sdk);
        return undefined;
      }
      return sdk;
    };

    it('hpush:// (HTTPMultiThreadedServer): PUT → the tutorial md5', async (t) => {
      const py = real(t);
      if (!py) return;
      const port = await runBuilt(t, buildInitMessage(codeDef, { name: 'md5-code-etl' }, V50).body, py);
      assert.deepEqual(await http('PUT', port, '/bucket/shard.in', 'some text :)\n'), {
        status: 200,
        body: EXPECTED_MD5,
      });
    });

    it('ws:// (FastAPIServer + uvicorn): PUT and a WebSocket object frame → md5', async (t) => {
      const py = real(t);
      if (!py) return;
      const port = await runBuilt(
        t,
        buildInitMessage(codeDef, { name: 'md5-code-etl', commType: 'ws://' }, V50).body,
        py,
      );
      const r = await http('PUT', port, '/bucket/shard.in', 'some text :)\n');
      assert.equal(r.status, 200);
      assert.equal(r.body, EXPECTED_MD5);
      // The target's framing (etl-api.md §7.5): binary JSON ctrl message, then the object bytes; one binary reply.
      const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`);
      t.after(() => socket.terminate());
      await new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve());
        socket.once('error', reject);
      });
      const reply = new Promise<{ data: Buffer; binary: boolean }>((resolve) =>
        socket.once('message', (data: Buffer, binary: boolean) => resolve({ data, binary })),
      );
      socket.send(Buffer.from(JSON.stringify({ path: 'shard.in' })), { binary: true });
      socket.send(Buffer.from('some text :)\n'), { binary: true });
      const { data, binary } = await reply;
      assert.equal(binary, true);
      assert.equal(data.toString('utf8'), EXPECTED_MD5);
    });

    it('hpull:// (GET): the wrapper fetches the object from AIS_TARGET_URL, as a pod does from its target', async (t) => {
      const py = real(t);
      if (!py) return;
      const requested: string[] = [];
      const target = createHttpServer((req, res) => {
        requested.push(req.url ?? '');
        res.end('some text :)\n');
      });
      await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', () => resolve()));
      t.after(() => new Promise<void>((resolve) => target.close(() => resolve())));
      const targetUrl = `http://127.0.0.1:${(target.address() as { port: number }).port}/v1/etl/_object/md5-code-etl/secret`;
      const port = await runBuilt(
        t,
        buildInitMessage(codeDef, { name: 'md5-code-etl', commType: 'hpull://' }, V50).body,
        py,
        targetUrl,
      );
      const uname = '/ais%2F@%23%2Fbucket%2Fshard.in';
      assert.deepEqual(await http('GET', port, uname), { status: 200, body: EXPECTED_MD5 });
      assert.deepEqual(requested, [`/v1/etl/_object/md5-code-etl/secret${uname}`]);
    });

    it('with dependencies: sh -c "pip install … && exec python -c …" (already satisfied, no download)', async (t) => {
      const py = real(t);
      if (!py) return;
      const built = buildInitMessage(codeDef, { name: 'md5-code-etl', dependencies: 'requests\n' }, V50);
      assert.equal((built.body.runtime as { command: string[] }).command[0], 'sh');
      const port = await runBuilt(t, built.body, py);
      assert.deepEqual(await http('PUT', port, '/bucket/shard.in', 'some text :)\n'), {
        status: 200,
        body: EXPECTED_MD5,
      });
    });
  });
});
