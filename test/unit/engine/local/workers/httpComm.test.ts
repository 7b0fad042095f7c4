// hpush between a target and its worker: what each emulated release sends, the 3.29 POST fallback without races,
// and AIS's replay of a 503 + Ais-Etl-Retry-Reason.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { HttpComm } from '../../../../../src/engine/local/workers/httpComm';
import {
  classRequirements,
  runtimePythonVersion,
  sdkVersionFor,
} from '../../../../../src/engine/local/workers/classRuntime';
import { readAll, tmpDir, writeObject } from './helpers';

interface Seen {
  method: string;
  url: string;
  len: number;
}

async function server(
  t: { after(fn: () => void): void },
  answer: (req: http.IncomingMessage, n: number) => [number, Record<string, string>?],
): Promise<{ origin: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const srv = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', len: Buffer.concat(chunks).length });
      const [status, headers] = answer(req, seen.length);
      res.writeHead(status, headers ?? {});
      res.end(status === 200 ? `${req.method} ok` : `status ${status}`);
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  t.after(() => {
    srv.closeAllConnections();
    srv.close();
  });
  return { origin: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`, seen };
}

describe('HttpComm (target → worker, hpush)', () => {
  it('5.0: PUT /<bck>/<obj>?etl_fqn=<path> with an empty body', async (t) => {
    const dir = tmpDir(t);
    const s = await server(t, () => [200]);
    const c = new HttpComm(s.origin, { passFqn: true });
    t.after(() => c.close());
    const obj = writeObject(dir, 'a b', 'hello');
    await readAll((await c.push(obj)).body);
    assert.deepEqual(s.seen, [
      { method: 'PUT', url: `/transform/a%20b?etl_fqn=${encodeURIComponent(encodeURIComponent(obj.fqn))}`, len: 0 },
    ]);
  });

  it('3.29 lenient: 20 concurrent pushes to a POST-only server all succeed; the switch is reported once', async (t) => {
    const dir = tmpDir(t);
    const s = await server(t, (req) => [req.method === 'PUT' ? 501 : 200]);
    let notes = 0;
    const c = new HttpComm(s.origin, { passFqn: false, postFallback: true, onPostFallback: () => notes++ });
    t.after(() => c.close());
    const outs = await Promise.all(Array.from({ length: 20 }, (_, i) => c.push(writeObject(dir, `o${i}`, `x${i}`))));
    assert.deepEqual(
      outs.map((o) => o.status),
      Array(20).fill(200),
    );
    for (const o of outs) await readAll(o.body);
    assert.equal(notes, 1);
    assert.equal(s.seen.filter((x) => x.method === 'PUT').length, 1, 'only the first object was tried with PUT');
  });

  it('without the leniency a 501 is the answer', async (t) => {
    const dir = tmpDir(t);
    const s = await server(t, (req) => [req.method === 'PUT' ? 501 : 200]);
    const c = new HttpComm(s.origin, { passFqn: true });
    t.after(() => c.close());
    const out = await c.push(writeObject(dir, 'x', 'x'));
    assert.equal(out.status, 501);
    await readAll(out.body);
    assert.equal(s.seen.length, 1);
  });

  it('503 + Ais-Etl-Retry-Reason is replayed (as AIS does); a bare 503 is not', async (t) => {
    const dir = tmpDir(t);
    const s = await server(t, (_req, n) => (n < 3 ? [503, { 'Ais-Etl-Retry-Reason': 'direct-put-transient' }] : [200]));
    const c = new HttpComm(s.origin, { passFqn: true });
    t.after(() => c.close());
    const out = await c.push(writeObject(dir, 'x', 'x'));
    assert.equal(out.status, 200);
    await readAll(out.body);
    assert.equal(s.seen.length, 3);
    const bare = await server(t, () => [503]);
    const c2 = new HttpComm(bare.origin, { passFqn: true });
    t.after(() => c2.close());
    const o2 = await c2.push(writeObject(dir, 'y', 'y'));
    assert.equal(o2.status, 503);
    await readAll(o2.body);
    assert.equal(bare.seen.length, 1);
  });
});

describe('ETL class runtime (init_class payloads)', () => {
  it('reads the Python version from the image tag and picks the SDK the image would carry', () => {
    assert.equal(runtimePythonVersion('aistorage/runtime_python:3.11'), '3.11');
    assert.equal(runtimePythonVersion('docker.io/aistorage/runtime_python:3.13'), '3.13');
    assert.equal(runtimePythonVersion('aistorage/runtime_python:latest'), undefined);
    assert.equal(sdkVersionFor('3.9'), '1.25.0');
    assert.equal(sdkVersionFor('3.12'), '2.0.0');
    assert.deepEqual(classRequirements([{ name: 'PACKAGES', value: 'numpy, pillow==10.0' }], '3.11'), [
      'aistore[etl]==2.0.0',
      'numpy',
      'pillow==10.0',
    ]);
  });
});
