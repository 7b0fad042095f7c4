import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { buildLocalImage } from '../../../../../src/engine/local/images';
import {
  AISTORE_SDK_VERSION,
  isRuntimePythonImage,
  startWorker,
  type LocalEtlSpec,
} from '../../../../../src/engine/local/workers';
import { runtimePythonRequirements, shellPipInstalls } from '../../../../../src/engine/local/workers/runtimePython';
import { substitutePort, hostCommand } from '../../../../../src/engine/local/workers/containerCommand';
import {
  makeCtx,
  pidAlive,
  processesMentioning,
  readAll,
  SHARD_IN,
  SHARD_MD5,
  tmpDir,
  tutorialFile,
  writeObject,
} from './helpers';

const TUTORIAL_IMAGE = 'docker.io/aistore/md5_server:v1';
const TUTORIAL_COMMAND = ['/code/server.py', '--listen', '0.0.0.0', '--port', '80'];

function podSpec(o: Partial<LocalEtlSpec['source'] & { type: 'container' }> = {}): LocalEtlSpec {
  return {
    name: 'transformer-md5',
    commType: 'hpush://',
    initTimeoutMs: 15000,
    objTimeoutMs: 10000,
    supportDirectPut: false,
    env: [],
    source: {
      type: 'container',
      image: TUTORIAL_IMAGE,
      command: TUTORIAL_COMMAND,
      env: [],
      port: 80,
      origin: 'pod-spec',
      ...o,
    },
  };
}

async function tutorialImage(t: { after(fn: () => void): void }): Promise<{ dir: string; store: string }> {
  const dir = tmpDir(t);
  const ctxDir = path.join(dir, 'md5_server');
  fs.mkdirSync(ctxDir);
  fs.writeFileSync(path.join(ctxDir, 'Dockerfile'), tutorialFile('Dockerfile'));
  fs.writeFileSync(path.join(ctxDir, 'server.py'), tutorialFile('server.py'));
  const store = path.join(dir, 'images');
  await buildLocalImage(TUTORIAL_IMAGE, ctxDir, { storeDir: store });
  return { dir, store };
}

describe('container ETL worker (local image store)', () => {
  it('runs the tutorial spec command from the built image and answers hpush with the md5 (PUT→501→POST)', async (t) => {
    const { dir, store } = await tutorialImage(t);
    const w = await startWorker(podSpec(), makeCtx(dir, undefined, { imageStoreDir: store }));
    t.after(() => w.stop());
    assert.equal(w.state, 'running');
    const out = await w.transform(writeObject(dir, 'shard.in', SHARD_IN));
    assert.equal(out.status, 200);
    assert.equal((await readAll(out.body)).toString(), SHARD_MD5);
    const again = await w.transform(writeObject(dir, 'shard2.in', SHARD_IN));
    assert.equal((await readAll(again.body)).toString(), SHARD_MD5);
    const logs = w.logs();
    assert.match(logs, /no readinessProbe: ready when port 80 \(local \d+\) accepts connections/);
    assert.match(logs, /answered PUT with 501.*retried with POST/);
    assert.match(logs, /Starting httpd server on 127\.0\.0\.1:\d+/, 'the server printed its substituted address');
    assert.equal((logs.match(/retried with POST/g) ?? []).length, 1, 'noted once');
  });

  it('5.0 wire: a runtime-spec container gets PUT /<bck>/<obj>?etl_fqn=<path> with an empty body, no POST retry', async (t) => {
    const dir = tmpDir(t);
    const seen = path.join(dir, 'seen.json');
    const server =
      'import http.server, json, sys\n' +
      'class H(http.server.BaseHTTPRequestHandler):\n' +
      '    def do_GET(self):\n        self.send_response(200); self.end_headers(); self.wfile.write(b"ok")\n' +
      '    def do_PUT(self):\n' +
      '        n = int(self.headers.get("Content-Length", "0"))\n' +
      `        json.dump({"path": self.path, "len": n, "body": self.rfile.read(n).decode()}, open(${JSON.stringify(seen)}, "w"))\n` +
      '        self.send_response(200); self.end_headers(); self.wfile.write(b"done")\n' +
      'http.server.HTTPServer(("0.0.0.0", 8000), H).serve_forever()\n';
    const spec: LocalEtlSpec = {
      ...podSpec(),
      source: {
        type: 'container',
        image: 'aistorage/runtime_python:3.11',
        command: ['python', '-c', server],
        env: [],
        port: 8000,
        readinessPath: '/health',
        origin: 'runtime-spec',
      },
    };
    const w = await startWorker(spec, makeCtx(dir, undefined, { wire: { fqn: true, postFallback: false } }));
    t.after(() => w.stop());
    const obj = writeObject(dir, 'dir/shard.in', SHARD_IN);
    const out = await w.transform({ ...obj, args: 'a=1' });
    assert.equal((await readAll(out.body)).toString(), 'done');
    const got = JSON.parse(fs.readFileSync(seen, 'utf8'));
    assert.equal(got.len, 0);
    assert.equal(got.body, '');
    assert.equal(
      got.path,
      `/transform/dir/shard.in?etl_fqn=${encodeURIComponent(encodeURIComponent(obj.fqn))}&etl_args=a%3D1`,
    );
    assert.match(w.pullUrl(obj), /\?etl_fqn=/);
  });

  it('5.0 wire: the tutorial server answers 501 and that is the result (no POST fallback)', async (t) => {
    const { dir, store } = await tutorialImage(t);
    const w = await startWorker(
      podSpec(),
      makeCtx(dir, undefined, { imageStoreDir: store, wire: { fqn: true, postFallback: false } }),
    );
    t.after(() => w.stop());
    const out = await w.transform(writeObject(dir, 'shard.in', SHARD_IN));
    assert.equal(out.status, 501);
    await readAll(out.body);
  });

  it('without a command the image ENTRYPOINT runs; stop() leaves no process', async (t) => {
    const { dir, store } = await tutorialImage(t);
    const w = await startWorker(podSpec({ command: undefined }), makeCtx(dir, undefined, { imageStoreDir: store }));
    const pid = w.pid as number;
    assert.ok(pidAlive(pid));
    const out = await w.transform(writeObject(dir, 'x', 'abc'));
    assert.equal((await readAll(out.body)).toString(), '900150983cd24fb0d6963f7d28e17f72');
    await w.stop();
    assert.equal(pidAlive(pid), false);
  });

  it('a shell-form CMD that forks helpers: stop() ends the whole process group', async (t) => {
    const { dir, store } = await tutorialImage(t);
    const ctxDir = path.join(dir, 'md5_server');
    fs.writeFileSync(
      path.join(ctxDir, 'Dockerfile'),
      tutorialFile('Dockerfile').replace(
        /ENTRYPOINT.*/,
        'CMD sleep 3600 & python3 /code/server.py --listen 0.0.0.0 --port 80',
      ),
    );
    await buildLocalImage('forking:v1', ctxDir, { storeDir: store });
    const spec = podSpec({
      image: 'forking:v1',
      command: undefined,
      env: [{ name: 'AISETL_TEST_MARKER', value: dir }],
    });
    const w = await startWorker(spec, makeCtx(dir, undefined, { imageStoreDir: store }));
    const out = await w.transform(writeObject(dir, 'x', 'abc'));
    assert.equal((await readAll(out.body)).toString(), '900150983cd24fb0d6963f7d28e17f72');
    assert.ok(processesMentioning(dir).length >= 3, `sh, sleep and python run: ${processesMentioning(dir).length}`);
    await w.stop();
    assert.deepEqual(processesMentioning(dir), []);
  });

  it('a runtime spec whose server does not answer GET /health with 2xx times out, saying what it answered', async (t) => {
    const { dir, store } = await tutorialImage(t);
    const spec = {
      ...podSpec({
        origin: 'runtime-spec',
        port: 8000,
        command: ['/code/server.py', '--listen', '0.0.0.0', '--port', '8000'],
      }),
      initTimeoutMs: 1500,
    };
    await assert.rejects(
      startWorker(spec, makeCtx(dir, undefined, { imageStoreDir: store })),
      /did not become ready within init_timeout \(1500 ms\)[\s\S]*GET \/health answered 501; the worker is ready only when it answers 2xx/,
    );
    assert.deepEqual(processesMentioning(path.join(dir, 'md5_server')), []);
  });

  it('a command that is not installed locally is rejected with a hint', async (t) => {
    const { dir, store } = await tutorialImage(t);
    const spec = podSpec({ command: ['aisetl-no-such-server', '--port', '80'] });
    await assert.rejects(
      startWorker(spec, makeCtx(dir, undefined, { imageStoreDir: store })),
      /could not be started: spawn aisetl-no-such-server ENOENT \(the program is not installed on this machine/,
    );
  });

  it('an image that is not in the local store is rejected with the image name and the fix', async (t) => {
    const dir = tmpDir(t);
    await assert.rejects(
      startWorker(podSpec(), makeCtx(dir, undefined, { imageStoreDir: path.join(dir, 'empty') })),
      (e: Error) => {
        assert.match(e.message, /container image "docker\.io\/aistore\/md5_server:v1" is not in the local image store/);
        assert.match(e.message, /aisetl build -t docker\.io\/aistore\/md5_server:v1 <folder with the Dockerfile>/);
        assert.match(e.message, /Deploy/);
        return true;
      },
    );
  });

  it('a container whose server exits at start is rejected with its output', async (t) => {
    const { dir, store } = await tutorialImage(t);
    const spec = podSpec({ command: ['/code/server.py', '--port', 'not-a-number'] });
    await assert.rejects(
      startWorker(spec, makeCtx(dir, undefined, { imageStoreDir: store })),
      /exited with code 2 while starting[\s\S]*invalid int value: 'not-a-number'/,
    );
  });

  it('runtime_python image with a `python -c` command runs on the local python; its hard-coded port 8000 is remapped', async (t) => {
    const dir = tmpDir(t);
    const server = [
      'import os, hashlib',
      'from http.server import HTTPServer, BaseHTTPRequestHandler',
      'class H(BaseHTTPRequestHandler):',
      '    def do_GET(self):',
      '        self.send_response(200); self.send_header("Content-Length", "7"); self.end_headers(); self.wfile.write(b"Running")',
      '    def do_PUT(self):',
      '        b = self.rfile.read(int(self.headers["Content-Length"])); out = hashlib.md5(b).hexdigest().encode()',
      '        self.send_response(200); self.send_header("Content-Length", str(len(out))); self.end_headers(); self.wfile.write(out)',
      'HTTPServer(("0.0.0.0", 8000), H).serve_forever()',
    ].join('\n');
    const spec = runtimePythonSpec(server, 15000);
    const w = await startWorker(spec, makeCtx(dir));
    t.after(() => w.stop());
    const out = await w.transform(writeObject(dir, 'shard.in', SHARD_IN));
    assert.equal((await readAll(out.body)).toString(), SHARD_MD5);
  });

  it('the runtime_python image with the aistore SDK (docs §6.2 example) — opt-in: AISETL_TEST_PYPI_SDK=1', async (t) => {
    if (process.env.AISETL_TEST_PYPI_SDK !== '1') {
      t.skip('installs aistore from PyPI (slow); set AISETL_TEST_PYPI_SDK=1');
      return;
    }
    const dir = tmpDir(t);
    const wrapper = [
      'from aistore.sdk.etl.webserver.http_multi_threaded_server import HTTPMultiThreadedServer',
      'def transform(data):',
      '    return data.upper()',
      'class Srv(HTTPMultiThreadedServer):',
      '    def transform(self, data, path, etl_args):',
      '        return transform(data)',
      'Srv(port=8000).start()',
    ].join('\n');
    const spec = runtimePythonSpec(wrapper, 300000);
    const w = await startWorker(spec, makeCtx(dir, undefined, { venvCacheDir: path.join(dir, 'venvs') }));
    t.after(() => w.stop());
    const out = await w.transform(writeObject(dir, 'x', 'hello'));
    assert.equal((await readAll(out.body)).toString(), 'HELLO');
  });

  it('knows which packages a runtime_python command needs', () => {
    const b64 = (s: string): string => Buffer.from(s).toString('base64');
    assert.deepEqual(runtimePythonRequirements(['python', '-c', 'print(1)'], []), []);
    assert.deepEqual(
      runtimePythonRequirements(
        ['python', '-c', 'exec(x)'],
        [{ name: 'ETL_SRC', value: b64('from aistore.sdk.etl.webserver.http_multi_threaded_server import X') }],
      ),
      [`aistore==${AISTORE_SDK_VERSION}`],
    );
    assert.deepEqual(
      runtimePythonRequirements(
        ['python', '-c', 'import aistore, uvicorn'],
        [{ name: 'PACKAGES', value: 'numpy, pillow' }],
      ),
      [`aistore[etl]==${AISTORE_SDK_VERSION}`, 'numpy', 'pillow'],
    );
    assert.equal(isRuntimePythonImage('docker.io/aistorage/runtime_python:3.11v2'), true);
    assert.equal(isRuntimePythonImage('aistorage/runtime_python_extra:1'), false);
  });

  it("adds what a sh -c command's own pip installs, with options and their values left out", () => {
    // the extension's wrapper of a code.py with dependencies
    const wrapped = ['sh', '-c', `pip install --no-cache-dir 'humanize' 'six==1.16.0' && exec python -c "exec(x)"`];
    assert.deepEqual(runtimePythonRequirements(wrapped, []), ['humanize', 'six==1.16.0']);
    assert.deepEqual(
      shellPipInstalls(['/bin/bash', '-c', 'python -m pip install -i https://mirror/simple -U numpy; python s.py']),
      ['numpy'],
    );
    assert.deepEqual(shellPipInstalls(['sh', '-c', 'pip3 install --target=/x a && pip install -r req.txt b']), [
      'a',
      'b',
    ]);
    // not a shell: text that merely mentions pip install is no command
    assert.deepEqual(shellPipInstalls(['python', '-c', 'print("run pip install foo")']), []);
    assert.deepEqual(shellPipInstalls(['sh', 'start.sh']), []);
  });

  it('maps ports, addresses and paths of a command line', () => {
    assert.equal(substitutePort('80', 80, 5555), '5555');
    assert.equal(substitutePort('--port=80', 80, 5555), '--port=5555');
    assert.equal(substitutePort('0.0.0.0:80', 80, 5555), '0.0.0.0:5555');
    assert.equal(substitutePort('8080', 80, 5555), '8080');
    assert.equal(substitutePort('uvicorn app --port 80 --workers 4', 80, 5555), 'uvicorn app --port 5555 --workers 4');
    const cmd = hostCommand(['uvicorn', 'srv:app', '--host', '0.0.0.0', '--port', '8000'], {
      containerPort: 8000,
      hostPort: 4321,
      python: '/py',
    });
    assert.deepEqual([cmd.command, ...cmd.args], ['uvicorn', 'srv:app', '--host', '127.0.0.1', '--port', '4321']);
    const py = hostCommand(['python3', '/x.py'], { containerPort: 1, hostPort: 2, python: '/usr/bin/python3.11' });
    assert.deepEqual([py.command, ...py.args], ['/usr/bin/python3.11', '/x.py']);
  });
});

/** A runtime spec on the official runtime_python image whose command execs `src` from env ETL_SRC (etl-api.md §6.2). */
function runtimePythonSpec(src: string, initTimeoutMs: number): LocalEtlSpec {
  return {
    name: 'upper-etl',
    commType: 'hpush://',
    initTimeoutMs,
    objTimeoutMs: 10000,
    supportDirectPut: true,
    env: [],
    source: {
      type: 'container',
      image: 'aistorage/runtime_python:3.13',
      origin: 'runtime-spec',
      command: ['python', '-c', "import base64,os;exec(base64.b64decode(os.environ['ETL_SRC']).decode())"],
      env: [{ name: 'ETL_SRC', value: Buffer.from(src).toString('base64') }],
    },
  };
}
