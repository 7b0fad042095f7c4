import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  parseEtlFile,
  serverContractDiagnostics,
  serverUsageFromSpec,
  type ServerUsage,
} from '../../../../src/engine/etl';
import { applyFix, only, textAt, tutorial } from './helpers';

const POD: ServerUsage = { specKind: 'pod-spec', specFile: 'spec.yaml' };
const RUNTIME: ServerUsage = { specKind: 'runtime-spec', specFile: 'etl_spec.yaml' };

function applyAll(text: string, usage: ServerUsage): string {
  for (let i = 0; i < 10; i++) {
    const fixable = serverContractDiagnostics(text, usage).find((d) => d.fix);
    if (!fixable) return text;
    text = applyFix(text, fixable.fix!);
  }
  throw new Error('fixes do not converge');
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

function call(port: number, method: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { 'Content-Length': '0' } }, (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('server contract (a server run by a spec)', () => {
  it('the tutorial server.py: POST only, reads the body, no /health — each at its line', () => {
    const text = tutorial('server.py');
    const d = serverContractDiagnostics(text, POD);
    assert.deepEqual(
      d.map((x) => x.code),
      ['server-post-only', 'server-reads-body', 'server-no-health'],
    );
    assert.match(textAt(text, only(d, 'server-post-only')), /def do_POST/);
    assert.match(textAt(text, only(d, 'server-reads-body')), /post_data = self\.rfile\.read/);
    assert.match(only(d, 'server-no-health').message, /spec\.yaml/);
    for (const x of d) assert.ok(x.fix, `${x.code} has a fix`);
  });

  it(
    'the fixed tutorial server answers what AIS 5.0 sends: GET /health, PUT with etl_fqn and an empty body',
    { timeout: 30_000 },
    async (t) => {
      if (spawnSync('python3', ['--version']).status !== 0) return t.skip('no python3');
      const fixed = applyAll(tutorial('server.py'), POD);
      assert.deepEqual(serverContractDiagnostics(fixed, POD), []);
      const dir = mkdtempSync(join(tmpdir(), 'aisetl-server-'));
      t.after(() => rmSync(dir, { recursive: true, force: true }));
      writeFileSync(join(dir, 'server.py'), fixed);
      writeFileSync(join(dir, 'obj'), 'some text :)\n');
      const port = await freePort();
      const child = spawn('python3', [join(dir, 'server.py'), '--listen', '127.0.0.1', '--port', String(port)], {
        stdio: 'ignore',
      });
      t.after(() => child.kill());
      let health = { status: 0, body: '' };
      for (let i = 0; i < 100 && health.status !== 200; i++) {
        health = await call(port, 'GET', '/health').catch(() => ({ status: 0, body: '' }));
        if (health.status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(health.status, 200);
      const put = await call(
        port,
        'PUT',
        `/bck/obj?etl_fqn=${encodeURIComponent(encodeURIComponent(join(dir, 'obj')))}`,
      );
      assert.equal(put.status, 200);
      assert.equal(put.body, '393c6706efb128fbc442d3f7d084a426');
    },
  );

  it("a runtime spec without --port: the server's default port must be 8000", () => {
    const text =
      'import argparse\nparser = argparse.ArgumentParser()\nparser.add_argument("--port", type=int, default=80)\n' +
      'class H:\n    def do_PUT(self):\n        pass\n    def do_GET(self):\n        if self.path == "/health": pass\n';
    const d = only(serverContractDiagnostics(text, RUNTIME), 'server-port');
    assert.equal(textAt(text, d), '80');
    assert.match(applyFix(text, d.fix!), /default=8000/);
    assert.deepEqual(serverContractDiagnostics(text, { ...RUNTIME, commandPort: 8000 }), []);
    assert.deepEqual(serverContractDiagnostics(text, POD), []);
  });

  it('Flask methods lists and FastAPI decorators get PUT added', () => {
    const flask =
      'from flask import Flask, request\napp = Flask(__name__)\n@app.route("/<path:p>", methods=["POST"])\ndef ' +
      't(p):\n    return request.get_data()\n@app.route("/health")\ndef h():\n    return "ok"\n';
    const f = only(serverContractDiagnostics(flask, POD), 'server-post-only');
    assert.match(applyFix(flask, f.fix!), /methods=\["POST", "PUT"\]/);
    assert.equal(only(serverContractDiagnostics(flask, POD), 'server-reads-body').fix, undefined);
    const fast =
      'from fastapi import FastAPI\napp = FastAPI()\n\n@app.post("/{p:path}")\nasync def t(p):\n    return ' +
      '1\n@app.get("/health")\ndef h():\n    return 1\n';
    const g = only(serverContractDiagnostics(fast, POD), 'server-post-only');
    assert.match(applyFix(fast, g.fix!), /@app\.put\("\/\{p:path\}"\)\n@app\.post/);
  });

  it('SDK ETLServer classes and non-servers are not checked', () => {
    assert.deepEqual(
      serverContractDiagnostics(
        'from aistore.sdk.etl.webserver.fastapi_server import FastAPIServer\nclass S(FastAPIServer):\n    def ' +
          'transform(self, d, p, a):\n        return d\n',
        POD,
      ),
      [],
    );
    assert.deepEqual(serverContractDiagnostics('print("hi")\n', POD), []);
  });

  it('which spec runs a server: named in its command, or in the Dockerfile next to it', () => {
    const spec = {
      fileName: '/x/spec.yaml',
      text: tutorial('spec.yaml'),
      ...parseEtlFile('spec.yaml', tutorial('spec.yaml')),
    };
    assert.deepEqual(serverUsageFromSpec('/x/server.py', spec), { specKind: 'pod-spec', specFile: 'spec.yaml' });
    assert.equal(serverUsageFromSpec('/x/other.py', spec), undefined);
    const rt = 'name: md5-etl\nruntime:\n  image: img\n  command: ["python", "/code/app.py", "--port", "8000"]\n';
    const rspec = { fileName: 'etl_spec.yaml', text: rt, ...parseEtlFile('etl_spec.yaml', rt) };
    assert.deepEqual(serverUsageFromSpec('app.py', rspec), {
      specKind: 'runtime-spec',
      specFile: 'etl_spec.yaml',
      commandPort: 8000,
    });
    const noCmd = 'name: md5-etl\nruntime:\n  image: img\n';
    const nspec = { fileName: 'etl_spec.yaml', text: noCmd, ...parseEtlFile('etl_spec.yaml', noCmd) };
    assert.equal(serverUsageFromSpec('app.py', nspec), undefined);
    assert.deepEqual(
      serverUsageFromSpec('app.py', nspec, 'FROM python\nCOPY app.py /code/\nENTRYPOINT ["python", "/code/app.py"]\n'),
      { specKind: 'runtime-spec', specFile: 'etl_spec.yaml' },
    );
  });
});
