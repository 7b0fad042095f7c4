import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { httpProbe, pollUntil } from '../../../../../src/engine/local/workers/health';
import { ManagedProcess } from '../../../../../src/engine/local/workers/managedProcess';
import { freePort } from '../../../../../src/engine/local/workers/ports';
import { HOST, ProcessWorker, type Launch } from '../../../../../src/engine/local/workers/processWorker';
import type { LocalEtlSpec } from '../../../../../src/engine/local/workers';
import { groupAlive } from '../../../../../src/engine/local/workers/managedProcess';
import { makeCtx, readAll, tmpDir, writeObject } from './helpers';

// A server that answers /health but has no WebSocket endpoint (like the SDK's HTTPMultiThreadedServer).
const NO_WS_SERVER = `
const http = require('node:http');
const srv = http.createServer((req, res) => { res.writeHead(req.url === '/health' ? 200 : 404); res.end('ok'); });
srv.on('upgrade', (req, sock) => { sock.end('HTTP/1.1 400 Bad Request\\r\\nContent-Length: 0\\r\\n\\r\\n'); });
srv.listen(Number(process.argv[1]), '127.0.0.1');
`;

// A good ws:// server: /health, and /ws answering each object (ctrl JSON, then bytes) with the bytes reversed.
const WS_SERVER = `
const http = require('node:http');
const { WebSocketServer } = require(process.argv[2]);
const srv = http.createServer((req, res) => { res.writeHead(req.url === '/health' ? 200 : 404); res.end('ok'); });
const wss = new WebSocketServer({ server: srv, path: '/ws' });
wss.on('connection', (ws) => {
  let ctrl;
  ws.on('message', (data) => {
    if (!ctrl) { ctrl = JSON.parse(data.toString()); return; }
    ctrl = undefined;
    ws.send(Buffer.from(data).reverse(), { binary: true });
  });
});
srv.listen(Number(process.argv[1]), '127.0.0.1');
`;

class NodeScriptWorker extends ProcessWorker {
  protected readonly passFqn = false;
  constructor(
    spec: LocalEtlSpec,
    dir: string,
    private readonly script: string,
  ) {
    super(spec, makeCtx(dir));
  }

  protected async launch(): Promise<Launch> {
    const port = await freePort();
    fs.mkdirSync(this.ctx.workDir, { recursive: true });
    const wsModule = path.dirname(require.resolve('ws/package.json'));
    const proc = new ManagedProcess({
      command: process.execPath,
      args: ['-e', this.script, String(port), wsModule],
      cwd: this.ctx.workDir,
      env: process.env,
      log: this.ring,
    });
    const ready = pollUntil(httpProbe(HOST, port, '/health'), () => proc.hasExited).then(() => port);
    return { proc, ready };
  }
}

function wsSpec(): LocalEtlSpec {
  return {
    name: 'no-ws-etl',
    commType: 'ws://',
    initTimeoutMs: 10000,
    objTimeoutMs: 10000,
    supportDirectPut: false,
    env: [],
    source: { type: 'container', image: 'local/test', env: [], origin: 'runtime-spec' },
  };
}

describe('ws:// worker init opens a WebSocket like AIS does', () => {
  it('fails init (and stops the process) when the server answers /health but refuses the upgrade on /ws', async (t) => {
    const dir = tmpDir(t);
    const w = new NodeScriptWorker(wsSpec(), dir, NO_WS_SERVER);
    t.after(() => w.stop());
    await assert.rejects(w.start(), (e: Error) => {
      assert.match(e.message, /ETL "no-ws-etl" on target tgt1/);
      assert.match(e.message, /refused the WebSocket upgrade on \/ws: HTTP 400/);
      assert.match(e.message, /FastAPIServer/);
      assert.match(e.message, /hpush:\/\/ or hpull:\/\//);
      return true;
    });
    assert.equal(w.state, 'failed');
    const pid = w.pid;
    assert.ok(pid);
    assert.equal(groupAlive(pid), false, 'the worker process group is gone');
  });

  it('still inits and transforms with a server that serves /ws', async (t) => {
    const dir = tmpDir(t);
    const w = new NodeScriptWorker({ ...wsSpec(), name: 'good-ws' }, dir, WS_SERVER);
    t.after(() => w.stop());
    await w.start();
    assert.equal(w.state, 'running');
    for (const name of ['a', 'b']) {
      const out = await w.transform(writeObject(dir, name, `hello ${name}`));
      assert.equal(out.status, 200);
      assert.equal((await readAll(out.body)).toString(), `${name} olleh`);
    }
  });
});
