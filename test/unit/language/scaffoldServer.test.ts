// The scaffolded HTTP server (tutorial flow 3) really serves AIS's requests: hpush PUT/POST with a body or with
// etl_fqn, hpull GET through AIS_TARGET_URL, /health, and errors as status 500. Loopback only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { renderScaffold } from '../../../src/language/scaffoldTemplates';

const md5 = (s: string | Buffer) => createHash('md5').update(s).digest('hex');
const OBJECT = 'some text :)\n';
let dir = '';
let etl: ChildProcess | undefined;
let target: Server | undefined;
let base = '';
let targetRequests: string[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
      .listen(0, '127.0.0.1', () => {
        const { port } = s.address() as AddressInfo;
        s.close(() => resolve(port));
      })
      .on('error', reject);
  });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ais-server-'));
  const server = renderScaffold('http-server', 'md5-etl').find((f) => f.path === 'server.py')!;
  writeFileSync(join(dir, 'server.py'), server.content);
  writeFileSync(join(dir, 'object.bin'), OBJECT);
  // A stand-in for the target's /v1/etl/_object endpoint (hpull without etl_fqn fetches from there).
  target = createServer((req, res) => {
    targetRequests.push(req.url ?? '');
    res.end(OBJECT);
  });
  await new Promise<void>((r) => target!.listen(0, '127.0.0.1', r));
  const targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/v1/etl/_object/md5-etl/secret`;
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  etl = spawn('python3', [join(dir, 'server.py'), '--listen', '127.0.0.1', '--port', String(port)], {
    env: { ...process.env, AIS_TARGET_URL: targetUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  etl.stderr!.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<never>((_, reject) =>
    etl!.once('exit', (code) => reject(new Error(`server.py exited (${code}): ${stderr}`))),
  );
  // Readiness the way AIS does it: poll GET /health until 200 (bounded, and stopped if the process dies).
  let dead = false;
  etl.once('exit', () => {
    dead = true;
  });
  const ready = (async () => {
    for (let attempt = 0; attempt < 400 && !dead; attempt++) {
      try {
        if ((await fetch(`${base}/health`)).status === 200) return;
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`server.py never answered GET /health: ${stderr}`);
  })();
  exited.catch(() => {
    /* after(): the kill is expected */
  });
  await Promise.race([ready, exited]);
});

after(async () => {
  if (etl && etl.exitCode === null) {
    const gone = new Promise((r) => etl!.once('exit', r));
    etl.kill();
    await gone;
  }
  await new Promise<void>((r) => (target ? target.close(() => r()) : r()));
  rmSync(dir, { recursive: true, force: true });
});

test('/health answers 200 Running', async () => {
  const res = await fetch(`${base}/health`);
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'Running');
});

test('hpush: PUT and POST with the object as body return its md5', async () => {
  for (const method of ['PUT', 'POST']) {
    const res = await fetch(`${base}/bck/shard.in`, { method, body: OBJECT });
    assert.equal(res.status, 200, method);
    assert.equal(await res.text(), md5(OBJECT), method);
  }
  assert.equal(md5(OBJECT), '393c6706efb128fbc442d3f7d084a426', "the tutorial's value");
});

test('hpush (AIS >= 4.0): empty body and etl_fqn read the object from disk', async () => {
  const fqn = encodeURIComponent(encodeURIComponent(join(dir, 'object.bin')).replace(/%2F/g, '/'));
  const res = await fetch(`${base}/bck/shard.in?etl_fqn=${fqn}`, { method: 'PUT', body: '' });
  assert.equal(res.status, 200);
  assert.equal(await res.text(), md5(OBJECT));
});

test('hpull: GET fetches the object from AIS_TARGET_URL + path', async () => {
  targetRequests = [];
  const res = await fetch(`${base}/ais%2F@%23%2Fbck%2Fshard.in`);
  assert.equal(res.status, 200);
  assert.equal(await res.text(), md5(OBJECT));
  assert.deepEqual(targetRequests, ['/v1/etl/_object/md5-etl/secret/ais%2F@%23%2Fbck%2Fshard.in']);
});

test('a failing object becomes a 500 with the reason, and the server keeps serving', async () => {
  const res = await fetch(`${base}/bck/missing?etl_fqn=${encodeURIComponent(join(dir, 'nope.bin'))}`, {
    method: 'PUT',
    body: '',
  });
  assert.equal(res.status, 500);
  assert.match(await res.text(), /transform failed: FileNotFoundError/);
  assert.equal((await fetch(`${base}/health`)).status, 200);
});
