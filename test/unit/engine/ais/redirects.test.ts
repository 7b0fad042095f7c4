import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { AisClient, AisError } from '../../../../src/engine/ais';
import { FakeAis } from './fake-ais';
import { fakeAisForSuite, fakeAisWithClient } from './helpers';
import { streamText } from './helpers';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** 5 MiB of non-repeating-ish bytes, produced in 64 KiB chunks by a one-shot stream */
function patternStream(total: number): { stream: Readable; digest: () => string } {
  const h = createHash('sha256');
  let sent = 0;
  const stream = new Readable({
    read() {
      if (sent >= total) return void this.push(null);
      const n = Math.min(65536, total - sent);
      const c = Buffer.alloc(n);
      for (let i = 0; i < n; i++) c[i] = ((sent + i) * 7) % 253;
      sent += n;
      h.update(c);
      this.push(c);
    },
  });
  return { stream, digest: () => h.digest('hex') };
}

describe('redirects', () => {
  let ais: FakeAis;
  let client: AisClient;
  fakeAisForSuite({ targets: 2, token: 'sekret-token' }, (x) => ({ ais, client } = x), { token: 'sekret-token' });

  it('follows the proxy 301 on GET to the target, keeping headers', async () => {
    ais.putObject('b1', 'dir/a b.txt', 'hello object');
    const r = await client.getObject('b1', 'dir/a b.txt', { range: { start: 6 } });
    const text = await streamText(r.body);
    assert.equal(text, 'object');
    assert.equal(r.status, 206);
    const hops = ais.requests.filter((q) => q.url.includes('/v1/objects/b1/'));
    assert.deepEqual(hops.map((q) => q.server)[0], 'proxy');
    assert.match(hops[1].server, /^t\d$/);
    assert.equal(hops[1].headers.range, 'bytes=6-', 'Range header kept across the redirect');
    assert.equal(hops[1].headers.authorization, 'Bearer sekret-token', 'token kept for AIS targets');
    assert.equal(hops[1].method, 'GET');
    assert.ok(hops[0].url.startsWith('/v1/objects/b1/dir/a%20b.txt?provider=ais'), hops[0].url);
  });

  it('PUT of a 5 MiB one-shot stream: resolves the 307 first, then the target receives every byte', async () => {
    ais.bucket('up');
    const before = ais.requests.length;
    const { stream, digest } = patternStream(5 * 1024 * 1024);
    await client.putObject('up', 'big.bin', stream);
    const stored = ais.buckets.get('up')!.get('big.bin')!;
    assert.equal(stored.length, 5 * 1024 * 1024);
    assert.equal(sha(stored), digest());
    const hops = ais.requests.slice(before);
    assert.equal(hops[0].server, 'proxy');
    assert.equal(hops[0].method, 'PUT');
    assert.equal(hops[0].bodyBytes, 0, 'the probe to the proxy carries no body');
    assert.match(hops[1].server, /^t\d$/);
    assert.equal(hops[1].bodyBytes, 5 * 1024 * 1024);
    assert.equal(hops.length, 2);
  });

  it('PUT of a Buffer is simply re-sent to the Location', async () => {
    ais.bucket('up');
    const before = ais.requests.length;
    await client.putObject('up', 'small.txt', Buffer.from('small body'));
    assert.equal(ais.buckets.get('up')!.get('small.txt')!.toString(), 'small body');
    const hops = ais.requests.slice(before);
    assert.deepEqual(
      hops.map((h) => h.bodyBytes),
      [10, 10],
    );
  });

  it('PUT from a file streams it to the target with Content-Length', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'ais-put-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const data = Buffer.alloc(300_000, 'x');
    await writeFile(join(dir, 'f.bin'), data);
    ais.bucket('up');
    const before = ais.requests.length;
    await client.putObject('up', 'from-file.bin', { file: join(dir, 'f.bin') });
    assert.equal(sha(ais.buckets.get('up')!.get('from-file.bin')!), sha(data));
    const target = ais.requests.slice(before).find((h) => h.server !== 'proxy')!;
    assert.equal(target.headers['content-length'], '300000');
  });

  it('PUT from a missing file says which file', async () => {
    await assert.rejects(client.putObject('up', 'x', { file: '/nonexistent/nope.bin' }), (e: AisError) => {
      assert.match(e.message, /nonexistent\/nope\.bin/);
      assert.equal(e.code, 'ENOENT');
      return true;
    });
  });

  it('hpull inline transform: 301 to the target, then 307 to the ETL pod; the token stays inside the cluster', async () => {
    ais.putObject('src', 'x.txt', 'abc');
    await client.initEtl({ name: 'pull-etl', communication: 'hpull://', runtime: { image: 'x' } });
    const before = ais.requests.length;
    const r = await client.getObject('src', 'x.txt', { etl: { name: 'pull-etl', args: 'a=1' } });
    assert.equal(await streamText(r.body), 'ABC');
    const hops = ais.requests.slice(before);
    assert.deepEqual(
      hops.map((h) => h.server.replace(/\d$/, '')),
      ['proxy', 't', 'etl'],
    );
    assert.equal(hops[2].headers.authorization, undefined, 'the ETL container must not receive the cluster token');
    assert.match(hops[2].url, /etl_args=a%3D1/);
  });

  it('a streamed PUT to a server that does not redirect: the probe is answered, then the body goes to the same URL', async (t) => {
    const { ais: direct, c } = await fakeAisWithClient(t, { targets: 0 });
    direct.bucket('d');
    const { stream, digest } = patternStream(1024 * 1024);
    await c.putObject('d', 'obj', stream, { size: 1024 * 1024 });
    assert.equal(sha(direct.buckets.get('d')!.get('obj')!), digest());
    const puts = direct.requests.filter((r) => r.method === 'PUT');
    assert.deepEqual(
      puts.map((r) => r.bodyBytes),
      [0, 1024 * 1024],
    );
    assert.equal(puts[1].headers['content-length'], String(1024 * 1024));
  });

  it('a target that redirects a streamed PUT again fails clearly instead of sending a truncated body', async () => {
    ais.bucket('up');
    ais.override((req, res, server) => {
      if (server === 'proxy' || req.method !== 'PUT' || !req.url?.includes('/bounce.bin')) return false;
      req.resume();
      res.writeHead(307, { Location: `${ais.targetUrls[0]}${req.url}` });
      res.end();
      return true;
    });
    const { stream } = patternStream(256 * 1024);
    await assert.rejects(client.putObject('up', 'bounce.bin', stream), (e: AisError) => {
      assert.equal(e.code, 'EREDIRECT_STREAM');
      assert.match(e.hint ?? '', /from a file or a buffer/);
      return true;
    });
    assert.equal(ais.buckets.get('up')!.has('bounce.bin'), false);
  });

  it('gives up after 5 hops with a clear error', async (t) => {
    const loop = http.createServer((req, res) => {
      res.writeHead(307, { Location: req.url! });
      res.end();
    });
    await new Promise<void>((r) => loop.listen(0, '127.0.0.1', () => r()));
    t.after(
      () =>
        new Promise<void>((r) => {
          loop.close(() => r());
          loop.closeAllConnections();
        }),
    );
    const c = new AisClient({ endpoint: `http://127.0.0.1:${(loop.address() as AddressInfo).port}` });
    t.after(() => c.close());
    await assert.rejects(c.getObject('b', 'o'), (e: AisError) => {
      assert.equal(e.code, 'EREDIRECTS');
      assert.match(e.message, /more than 5 redirects/);
      return true;
    });
  });
});
