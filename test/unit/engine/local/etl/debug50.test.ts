// Attaching a debugger to ETLs on the default 5.0 local cluster: the tutorial code.py deployed through the SDK
// wrapper on aistorage/runtime_python (its code written to a real file and mapped back to the user's code.py), an
// ETLServer class deployed with init_class (pickled from the user's file, so its frames name that file), and a
// runtime-spec server run from the user's server.py (the container port mapping still applies under the debugger),
// and a Pod spec on an image built with `aisetl build` (the image's /code/server.py is the user's file); a code.py
// with a dependency, whose `pip install` runs first in the same worker under the debugger without listening.
// Each stops the next inline transform at a breakpoint in the user's file with the object's bytes in view, continues
// to the md5, and detaching brings back normal workers and obj_timeout. Inline `python -c` and a worker in which
// debugpy does not start are refused with what attaching works for.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { LocalCluster } from '../../../../../src/engine/local';
import { buildLocalImage } from '../../../../../src/engine/local/images';
import { tcpAccepts } from '../../../../../src/engine/local/workers/ports';
import { sharedVenvCache } from '../../../../../src/engine/local/workers/venv';
import {
  buildInitClassMessage,
  buildInitMessage,
  parseEtlFile,
  type ClusterEtlCapabilities,
  type EtlClassDefinition,
} from '../../../../../src/engine/etl';
import type { DebugAnswer } from '../../../../../src/engine/local/etl/debug';
import { SHARD_IN, TUTORIAL, md5, tempDir } from '../../run/helpers';
import { DEPS_CODE, DEPS_CODE_BREAK_LINE, depsCodeInit, prereqSkip, useSharedPythonCache } from '../../run/testPython';
import { call, pidAlive, readyPodSpec } from '../helpers';
import { attach, childrenOf, etlLog, firstStop, locals, startDebugCluster, setDebug } from './debugHelpers';

useSharedPythonCache();
const NO_DEBUGPY = prereqSkip('debugpy');
const NO_SDK = NO_DEBUGPY || prereqSkip('sdk');
const NO_DEPS = prereqSkip('deps');
const V50: ClusterEtlCapabilities = {
  dialect: 'v5.0',
  local: true,
  commTypes: ['hpush://', 'hpull://', 'ws://'],
  codeInit: false,
  etl: 'available',
};
const tmp = tempDir();
let cluster: LocalCluster;
let ep: string;

before(async () => {
  if (NO_DEBUGPY) return;
  cluster = await startDebugCluster(tmp.dir, 1);
  ep = cluster.endpoint;
  assert.equal((await call('POST', `${ep}/v1/buckets/transform`, { json: { action: 'create-bck' } })).status, 200);
  assert.equal((await call('PUT', `${ep}/v1/objects/transform/shard.in`, { body: SHARD_IN })).status, 200);
});
after(async () => {
  await cluster?.stop();
  tmp.remove();
});

async function deploy(body: Record<string, unknown>): Promise<void> {
  const r = await call('PUT', `${ep}/v1/etl`, { json: body });
  assert.equal(r.status, 200, r.body.toString());
}

/** A runtime-spec ETL on runtime_python running `command` (the server is the user's Python). */
const deploySpec = (name: string, command: string[]): Promise<void> =>
  deploy({
    name,
    communication: 'hpush://',
    init_timeout: '2m',
    obj_timeout: '45s',
    runtime: { image: 'aistorage/runtime_python:3.11', command },
  });

const inlineMd5 = async (etl: string): Promise<{ status: number; text: string }> => {
  const r = await call('GET', `${ep}/v1/objects/transform/shard.in?etl_name=${etl}`);
  return { status: r.status, text: r.body.toString().trim() };
};

/**
 * Enables debugging, attaches to every target with a breakpoint at `line` of `userFile`, checks the stop, the
 * variable `bytesVar` and the md5 after continuing, then detaches and checks that normal workers are back.
 */
async function attachStopsAndDetaches(etl: string, userFile: string, line: number, bytesVar: string) {
  const normalPids = cluster.workerPids();
  const on = await setDebug(ep, etl, true);
  assert.equal(on.enabled, true);
  assert.equal(on.obj_timeout_suspended, true);
  assert.ok(
    normalPids.every((p) => !pidAlive(p)),
    'the normal workers were replaced',
  );
  const daps = await Promise.all(on.targets.map((t) => attach(t.port, userFile, t.code_file, line)));
  const debugPids = cluster.workerPids();
  const helpers = debugPids.flatMap(childrenOf); // debugpy's adapter processes
  const result = inlineMd5(etl);
  const stopped = await firstStop(daps).catch(async (e: Error) => {
    throw new Error(`${e.message}; the ETL log:\n${await etlLog(ep, etl)}`);
  });
  const seen = await locals(stopped.d, stopped.m);
  assert.equal(seen.file, userFile);
  assert.equal(seen.line, line);
  assert.equal(seen.vars.get(bytesVar), String.raw`b'some text :)\n'`);
  assert.match(await etlLog(ep, etl), /obj_timeout .* suspended/);
  await stopped.d.request('continue', { threadId: stopped.m.body?.threadId });
  assert.deepEqual(await result, { status: 200, text: md5(SHARD_IN) });
  for (const d of daps) d.close();

  const off = await setDebug(ep, etl, false);
  assert.equal(off.enabled, false);
  assert.deepEqual(await inlineMd5(etl), { status: 200, text: md5(SHARD_IN) });
  assert.match(await etlLog(ep, etl), /debugging ended: normal workers, obj_timeout restored/);
  for (const p of [...debugPids, ...helpers]) assert.equal(pidAlive(p), false, `debug process ${p} survived`);
  for (const t of on.targets) assert.equal(await tcpAccepts(t.host, t.port), false, `port ${t.port} still listens`);
  for (const p of cluster.workerPids())
    assert.doesNotMatch(fs.readFileSync(`/proc/${p}/environ`, 'utf8'), /AISETL_DEBUGPY_LISTEN|AISETL_DEBUG=/);
  // the next test counts workers again: only its own ETL runs
  assert.equal((await call('POST', `${ep}/v1/etl/${etl}/stop`)).status, 200);
  return on;
}

function definition(file: string) {
  const parsed = parseEtlFile(file, fs.readFileSync(file, 'utf8'));
  assert.equal(parsed.definitions.length, 1, JSON.stringify(parsed.diagnostics));
  return parsed.definitions[0];
}

/** A ready `aistore[etl]` venv (what the runtime image carries) and its cache, so that no test installs it. */
function etlSdkVenv(): { cache: string; python: string } | undefined {
  const caches = [path.join(os.homedir(), '.cache', 'aisetl-test', 'venvs'), sharedVenvCache()];
  for (const cache of caches) {
    for (const d of fs.existsSync(cache) ? fs.readdirSync(cache) : []) {
      const reqs = path.join(cache, d, 'requirements.txt');
      const ready = fs.existsSync(path.join(cache, d, '.aisetl-ready')) && fs.existsSync(reqs);
      if (ready && /^aistore\[etl\]==/m.test(fs.readFileSync(reqs, 'utf8'))) {
        return { cache, python: path.join(cache, d, 'bin', 'python') };
      }
    }
  }
  return undefined;
}
const ETL_VENV = etlSdkVenv();
const NO_WEB_SDK = NO_SDK || (ETL_VENV ? undefined : 'no ready aistore[etl] venv (the init-class tests build one)');

/** Runs `f` with the workers' venvs taken from that venv's cache. */
async function withEtlSdkVenv<T>(f: () => Promise<T>): Promise<T> {
  const prev = process.env.AISETL_VENV_CACHE;
  if (ETL_VENV) process.env.AISETL_VENV_CACHE = ETL_VENV.cache;
  try {
    return await f();
  } finally {
    if (prev === undefined) delete process.env.AISETL_VENV_CACHE;
    else process.env.AISETL_VENV_CACHE = prev;
  }
}

for (const commType of ['hpush://', 'hpull://', 'ws://'] as const) {
  // ws:// runs the wrapper on the SDK's FastAPI server, which needs the aistore[etl] venv
  const skip = commType === 'ws://' ? NO_WEB_SDK : NO_SDK;
  test(
    `the tutorial code.py wrapped on runtime_python (${commType}): a breakpoint in the user's code.py stops`,
    { timeout: 300_000, skip },
    async () => {
      const etl = `md5-wrapped-${commType.slice(0, -3)}`;
      const userFile = tmp.write('code.py', fs.readFileSync(path.join(TUTORIAL, 'code.py'), 'utf8'));
      const built = buildInitMessage(definition(userFile), { name: etl, commType }, V50);
      assert.ok(JSON.stringify(built.body).includes('ETL_SRC'), 'deployed through the SDK wrapper');
      const on: DebugAnswer = await withEtlSdkVenv(async () => {
        await deploy(built.body);
        return attachStopsAndDetaches(etl, userFile, 5, 'input_bytes');
      });
      assert.ok(on.targets.every((t) => t.code_file?.endsWith('etl_code.py')));
    },
  );
}

test(
  'the code.py with a dependency (sh -c "pip install … && exec python -c …"): a breakpoint in code.py stops',
  { timeout: 300_000, skip: NO_DEBUGPY || NO_DEPS },
  async () => {
    const etl = 'md5-wrapped-deps';
    const userFile = tmp.write('deps_code.py', DEPS_CODE);
    await deploy(depsCodeInit(userFile, etl).body); // its pip runs first and must not take the debug port
    const on = await attachStopsAndDetaches(etl, userFile, DEPS_CODE_BREAK_LINE, 'input_bytes');
    assert.ok(on.targets.every((t) => t.code_file?.endsWith('etl_code.py')));
  },
);

const classText = (base: string, module: string): string => `import hashlib
from aistore.sdk.etl.webserver.${module} import ${base}


class Md5Server(${base}):
    def transform(self, data, path, etl_args):
        digest = hashlib.md5(data).hexdigest()
        return digest.encode()
`;

for (const [base, module] of [
  ['HTTPMultiThreadedServer', 'http_multi_threaded_server'],
  ['FastAPIServer', 'fastapi_server'],
  ['FlaskServer', 'flask_server'],
] as const) {
  test(
    `an ETLServer class (${base}) deployed with init_class: a breakpoint in the user's class file stops`,
    { timeout: 600_000, skip: NO_WEB_SDK },
    async () => {
      const etl = `md5-class-${base.slice(0, 4).toLowerCase()}`;
      const userFile = tmp.write(`${etl}.py`, classText(base, module));
      const def = definition(userFile) as EtlClassDefinition;
      // pickled by the user's interpreter, as init_class does
      const built = await buildInitClassMessage(userFile, def, { name: etl }, V50, { python: ETL_VENV?.python });
      const on = await withEtlSdkVenv(async () => {
        await deploy(built.body);
        return attachStopsAndDetaches(etl, userFile, 7, 'data');
      });
      assert.ok(on.targets.every((t) => t.code_file?.endsWith('etl_class.py')));
    },
  );
}

/** A 5.0 server (PUT ?etl_fqn= with an empty body) on the container port 8000 the local cluster maps. */
const SERVER = `import hashlib
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, unquote, urlparse


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.reply(b"Running")

    def do_PUT(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        fqn = unquote(parse_qs(urlparse(self.path).query)["etl_fqn"][0])  # path-escaped inside the query
        with open(fqn, "rb") as f:
            data = f.read()
        digest = hashlib.md5(data).hexdigest()
        self.reply(digest.encode())

    def reply(self, body):
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


HTTPServer(("0.0.0.0", 8000), Handler).serve_forever()
`;

test(
  "a runtime-spec server run from the user's server.py: a breakpoint in server.py stops",
  { timeout: 300_000, skip: NO_DEBUGPY },
  async () => {
    const etl = 'md5-server-spec';
    const userFile = tmp.write('server.py', SERVER);
    await deploySpec(etl, ['python', userFile]);
    const on = await attachStopsAndDetaches(etl, userFile, 15, 'data');
    assert.ok(
      on.targets.every((t) => t.code_file === undefined),
      'the server runs from the user file itself',
    );
  },
);

/** `aisetl build` context: the Dockerfile maps /code/server.py onto the user's file, and the image runs it. */
const DOCKERFILE = `FROM python:3.11-slim
WORKDIR /code
COPY server.py server.py
ENTRYPOINT ["python", "/code/server.py"]
`;

test(
  "a Pod spec on an image built with aisetl build: a breakpoint in the user's server.py (COPY'd to /code) stops",
  { timeout: 300_000, skip: NO_DEBUGPY },
  async () => {
    const etl = 'md5-built-pod';
    const context = path.join(tmp.dir, 'built');
    fs.mkdirSync(context);
    const userFile = path.join(context, 'server.py');
    fs.writeFileSync(userFile, SERVER);
    fs.writeFileSync(path.join(context, 'Dockerfile'), DOCKERFILE);
    const home = path.join(tmp.dir, 'home'); // the image store the local cluster resolves images from
    await buildLocalImage('aisetl-test/md5-debug:v1', context, { storeDir: path.join(home, 'images') });
    const prev = process.env.AISETL_HOME;
    process.env.AISETL_HOME = home;
    try {
      const spec = Buffer.from(readyPodSpec('md5-built-pod', 'aisetl-test/md5-debug:v1')).toString('base64');
      await deploy({ name: etl, communication: 'hpush://', init_timeout: '2m', obj_timeout: '45s', spec });
      const on = await attachStopsAndDetaches(etl, userFile, 15, 'data');
      assert.ok(
        on.targets.every((t) => t.code_file === undefined),
        'the image runs the user file itself',
      );
    } finally {
      if (prev === undefined) delete process.env.AISETL_HOME;
      else process.env.AISETL_HOME = prev;
    }
  },
);

test('inline Python (python -c) is refused with what attaching works for; the ETL keeps running', async (t) => {
  if (NO_DEBUGPY) return t.skip(NO_DEBUGPY);
  const etl = 'md5-inline-spec';
  await deploySpec(etl, ['python', '-c', `exec(${JSON.stringify(SERVER)})`]);
  const r = await call('POST', `${ep}/v1/etl/${etl}/debug`, { json: { enable: true } });
  assert.equal(r.status, 400);
  const message = (JSON.parse(r.body.toString()) as { message: string }).message;
  assert.match(message, /inline Python \(python -c\)/);
  assert.match(message, /ETLServer classes deployed with init_class/);
  assert.match(message, /Debug ETL on this object/);
  assert.deepEqual(await inlineMd5(etl), { status: 200, text: md5(SHARD_IN) });
  assert.equal((await call('POST', `${ep}/v1/etl/${etl}/stop`)).status, 200);
});

test('a worker in which debugpy does not start is refused, naming what works, and runs normally again', async (t) => {
  if (NO_DEBUGPY) return t.skip(NO_DEBUGPY);
  const etl = 'md5-nosite-spec';
  // `python -S` loads no sitecustomize: neither debugpy nor the port mapping, so it binds the local port itself
  const server = SERVER.replace('import hashlib', 'import hashlib\nimport os').replace(
    '("0.0.0.0", 8000)',
    '("127.0.0.1", int(os.environ["AISETL_HOST_PORT"]))',
  );
  const userFile = tmp.write('nosite_server.py', server);
  await deploySpec(etl, ['python', '-S', userFile]);
  const r = await call('POST', `${ep}/v1/etl/${etl}/debug`, { json: { enable: true } });
  assert.equal(r.status, 400);
  const message = (JSON.parse(r.body.toString()) as { message: string }).message;
  assert.match(message, /did not start debugpy .*the ETL runs normally again/);
  assert.match(message, /ETLServer classes deployed with init_class/);
  assert.deepEqual(await inlineMd5(etl), { status: 200, text: md5(SHARD_IN) });
  for (const p of cluster.workerPids())
    assert.doesNotMatch(fs.readFileSync(`/proc/${p}/environ`, 'utf8'), /AISETL_DEBUGPY_LISTEN/);
  assert.equal((await call('POST', `${ep}/v1/etl/${etl}/stop`)).status, 200);
});
