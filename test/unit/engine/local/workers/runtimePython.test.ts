// Which packages a runtime_python command needs when the SDK import is in the Python file it runs (or next to it),
// which images count as runtime_python (by name, or built FROM it), and that a plain Python image gets no SDK.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  buildLocalImage,
  hostPathFor,
  resolveLocalImage,
  type LocalImage,
} from '../../../../../src/engine/local/images';
import { startWorker, type LocalEtlSpec } from '../../../../../src/engine/local/workers';
import { findPython } from '../../../../../src/engine/local/workers/python';
import {
  AISTORE_SDK_VERSION,
  builtOnRuntimePython,
  runtimePythonRequirements,
} from '../../../../../src/engine/local/workers/runtimePython';
import { makeCtx, tmpDir } from './helpers';

const SDK = `aistore==${AISTORE_SDK_VERSION}`;
const SDK_ETL = `aistore[etl]==${AISTORE_SDK_VERSION}`;
const STDLIB_SERVER = 'from aistore.sdk.etl.webserver.http_multi_threaded_server import HTTPMultiThreadedServer\n';

function write(dir: string, name: string, text: string): string {
  const f = path.join(dir, name);
  fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(f, text);
  return f;
}

describe('runtime_python requirements from the file the command runs', () => {
  it('a file importing the SDK: the SDK; without knowing where files are, the command text alone decides', (t) => {
    const dir = tmpDir(t);
    const file = write(dir, 'srv_echo.py', `import sys\n${STDLIB_SERVER}`);
    assert.deepEqual(runtimePythonRequirements(['python', file], [], { cwd: dir }), [SDK]);
    assert.deepEqual(runtimePythonRequirements(['python3', '-u', '-X', 'dev', 'srv_echo.py'], [], { cwd: dir }), [SDK]);
    assert.deepEqual(runtimePythonRequirements(['python', file], []), []);
    const plain = write(dir, 'other/plain.py', 'import hashlib\nprint("no sdk")\n');
    assert.deepEqual(runtimePythonRequirements(['python', plain], [], { cwd: dir }), []);
  });

  it("FastAPIServer, or a web framework the image has through the SDK's etl extra: the etl extra", (t) => {
    const dir = tmpDir(t);
    const fastapi = write(dir, 'a/srv.py', 'from aistore.sdk.etl.webserver.fastapi_server import FastAPIServer\n');
    assert.deepEqual(runtimePythonRequirements(['python', fastapi], [], { cwd: dir }), [SDK_ETL]);
    const flask = write(dir, 'b/app.py', 'import hashlib\nfrom flask import Flask\n');
    assert.deepEqual(runtimePythonRequirements(['python', flask], [], { cwd: dir }), [SDK_ETL]);
    // `uvicorn module:app` runs the module's file from the working folder
    write(dir, 'c/api.py', 'import fastapi\napp = fastapi.FastAPI()\n');
    const uvicorn = ['uvicorn', 'api:app', '--host', '0.0.0.0', '--port', '8000'];
    assert.deepEqual(runtimePythonRequirements(uvicorn, [], { cwd: path.join(dir, 'c') }), [SDK_ETL]);
  });

  it('a module next to the file imports the SDK; `python -m`; a shell running python; PACKAGES kept', (t) => {
    const dir = tmpDir(t);
    write(dir, 'app/impl.py', STDLIB_SERVER);
    const main = write(dir, 'app/server.py', 'from impl import Md5\nMd5().start()\n');
    assert.deepEqual(runtimePythonRequirements(['python', main], [{ name: 'PACKAGES', value: 'six' }], { cwd: dir }), [
      SDK,
      'six',
    ]);
    // `python -m` starts imports at the working folder
    write(dir, 'app/mserver.py', 'from app.impl import Md5\n');
    assert.deepEqual(runtimePythonRequirements(['python', '-m', 'app.mserver'], [], { cwd: dir }), [SDK]);
    // modules imported relatively, or as a package, from the file's own folder
    write(dir, 'pkg/srv/__init__.py', '');
    write(dir, 'pkg/srv/base.py', STDLIB_SERVER);
    write(dir, 'pkg/srv/main.py', 'from .base import HTTPMultiThreadedServer as B\n');
    const runPkg = write(dir, 'pkg/run.py', 'import os, srv.main as m  # the server\n');
    assert.deepEqual(runtimePythonRequirements(['python', runPkg], [], { cwd: dir }), [SDK]);
    // a file next to it that it does not import is not run: it adds nothing
    write(dir, 'lone/other_etl.py', 'from aistore.sdk.etl.webserver.fastapi_server import FastAPIServer\n');
    const lone = write(dir, 'lone/server.py', 'import hashlib\n');
    assert.deepEqual(runtimePythonRequirements(['python', lone], [], { cwd: dir }), []);
    const sh = ['/bin/sh', '-c', `cd /x && PYTHONUNBUFFERED=1 exec python "${main}" --port 8000`];
    assert.deepEqual(runtimePythonRequirements(sh, [], { cwd: '/' }), [SDK]);
    // inline code runs no file: only its own text counts
    assert.deepEqual(runtimePythonRequirements(['python', '-c', 'print(1)', main], [], { cwd: dir }), []);
  });

  it('reads a bounded head of each file and survives files that are not there', (t) => {
    const dir = tmpDir(t);
    const big = write(dir, 'big/big.py', `${'# padding\n'.repeat(40_000)}${STDLIB_SERVER}`);
    assert.deepEqual(runtimePythonRequirements(['python', big], [], { cwd: dir }), []);
    assert.deepEqual(runtimePythonRequirements(['python', path.join(dir, 'missing.py')], [], { cwd: dir }), []);
    // a script run by its name is Python only with a python #! line
    const py = write(dir, 'bin/serve', `#!/usr/bin/env python3\n${STDLIB_SERVER}`);
    const sh = write(dir, 'bin2/serve', `#!/bin/sh\necho "${STDLIB_SERVER.trim()}"\n`);
    assert.deepEqual(runtimePythonRequirements([py], [], { cwd: dir }), [SDK]);
    assert.deepEqual(runtimePythonRequirements([sh], [], { cwd: dir }), []);
  });
});

describe('images that ship the SDK', () => {
  async function build(t: { after(fn: () => void): void }, from: string, store: string, tag: string) {
    const ctx = tmpDir(t);
    write(ctx, 'impl.py', STDLIB_SERVER);
    write(ctx, 'server.py', 'from impl import Md5\nMd5(port=8000).start()\n');
    write(ctx, 'Dockerfile', `FROM ${from}\nCOPY server.py impl.py /code/\nCMD python /code/server.py\n`);
    return buildLocalImage(tag, ctx, { storeDir: store });
  }

  it('an image built FROM runtime_python (directly, with --platform, or via another local image) ships it', async (t) => {
    const store = tmpDir(t);
    const lookup = (tag: string): LocalImage | undefined => resolveLocalImage(tag, { storeDir: store });
    const direct = await build(t, 'aistorage/runtime_python:3.11', store, 'x/direct:v1');
    assert.equal(builtOnRuntimePython(direct, lookup), true);
    const platform = await build(t, '--platform=linux/amd64 aistorage/runtime_python:3.11 AS base', store, 'x/p:1');
    assert.equal(platform.from, 'aistorage/runtime_python:3.11');
    assert.equal(builtOnRuntimePython(platform, lookup), true);
    assert.equal(builtOnRuntimePython(await build(t, 'x/direct:v1', store, 'x/derived:v1'), lookup), true);
    const plain = await build(t, 'python:3.11-slim', store, 'x/plain:v1');
    assert.equal(builtOnRuntimePython(plain, lookup), false);
    // the CMD's file (mapped from /code) and its sibling are what decide the requirements
    const argv = plain.cmd ?? [];
    const where = { hostPath: (p: string) => hostPathFor(direct, p), cwd: direct.dir };
    assert.deepEqual(runtimePythonRequirements(argv, [], where), [SDK]);
  });

  it('a plain Python image whose file imports the SDK gets no SDK: it fails as the image would', async (t) => {
    const py = await findPython();
    if (spawnSync(py.exe, ['-c', 'import aistore']).status === 0) {
      return t.skip(`${py.exe} has the aistore SDK itself: a missing SDK cannot be seen`);
    }
    const store = tmpDir(t);
    await build(t, 'python:3.11-slim', store, 'x/plain:v1');
    const spec: LocalEtlSpec = {
      name: 'plain-sdk',
      commType: 'hpush://',
      initTimeoutMs: 15000,
      objTimeoutMs: 10000,
      supportDirectPut: false,
      env: [],
      source: { type: 'container', image: 'x/plain:v1', env: [], port: 8000, origin: 'pod-spec' },
    };
    await assert.rejects(
      startWorker(spec, makeCtx(tmpDir(t), undefined, { imageStoreDir: store })),
      /No module named 'aistore'/,
    );
  });
});
