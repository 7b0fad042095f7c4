import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { AisClient, AisError, isAbortError } from '../../../../src/engine/ais';
import { firstLine, parseErrorBody } from '../../../../src/engine/ais/errors';
import { FakeAis } from './fake-ais';
import { fakeAisForSuite, fakeAisWithClient } from './helpers';
import { drain } from './helpers';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** A one-off loopback server; closed (and its sockets cut) after the test. */
async function tinyServer(t: { after(fn: () => unknown): void }, handler: Handler): Promise<string> {
  const srv = http.createServer(handler);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  t.after(
    () =>
      new Promise<void>((r) => {
        srv.close(() => r());
        srv.closeAllConnections();
      }),
  );
  return `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
}

function expectAisError(check: (e: AisError) => void): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof AisError, `expected AisError, got ${String(e)}`);
    check(e);
    return true;
  };
}

describe('errors from a fake AIS', () => {
  let ais: FakeAis;
  let client: AisClient;
  fakeAisForSuite({ targets: 1 }, (x) => ({ ais, client } = x));

  it('JSON ErrHTTP: status, message, tcode, method, url and a hint for a missing object', async () => {
    ais.bucket('eb');
    await assert.rejects(
      client.getObject('eb', 'missing.txt'),
      expectAisError((e) => {
        assert.equal(e.status, 404);
        assert.equal(e.tcode, 'ErrNotFound');
        assert.equal(e.aisMessage, 't[t0]: ais://eb/missing.txt does not exist');
        assert.equal(e.method, 'GET');
        assert.match(e.url, /\/v1\/objects\/eb\/missing\.txt/);
        assert.match(e.hint ?? '', /object "missing\.txt" does not exist in bucket "eb"/);
        assert.match(e.message, /does not exist/);
      }),
    );
  });

  it('missing bucket gets the bucket hint', async () => {
    await assert.rejects(
      client.listObjectsPage('nobucket'),
      expectAisError((e) => {
        assert.equal(e.status, 404);
        assert.match(e.hint ?? '', /bucket "nobucket" does not exist: create it/);
      }),
    );
  });

  it('HEAD errors are read from the Hdr-Error header (AIS) …', async () => {
    ais.bucket('hb');
    await assert.rejects(
      client.headObject('hb', 'nope'),
      expectAisError((e) => {
        assert.equal(e.status, 404);
        assert.equal(e.tcode, 'ErrNotFound');
        assert.equal(e.aisMessage, 't[t0]: ais://hb/nope does not exist');
      }),
    );
  });

  it('… and from an Ais-Error header', async (t) => {
    const { ais: other, c } = await fakeAisWithClient(t, { targets: 1, headErrorHeader: 'Ais-Error' });
    other.bucket('hb');
    await assert.rejects(
      c.headObject('hb', 'gone'),
      expectAisError((e) => assert.equal(e.aisMessage, 't[t0]: ais://hb/gone does not exist')),
    );
  });

  it('409 on init says the name is taken and what to do', async () => {
    await client.initEtl({ name: 'dup-etl', runtime: { image: 'x' } });
    await assert.rejects(
      client.initEtl({ name: 'dup-etl', runtime: { image: 'x' } }),
      expectAisError((e) => {
        assert.equal(e.status, 409);
        assert.equal(e.hint, 'an ETL with this name exists (maybe Aborted): start or delete it');
        assert.match(e.message, /start or delete it/);
      }),
    );
  });

  it('404 for an ETL says to deploy it first', async () => {
    await assert.rejects(
      client.stopEtl('ghost-etl'),
      expectAisError((e) => {
        assert.equal(e.status, 404);
        assert.equal(
          e.hint,
          'no running ETL named "ghost-etl": deploy it first, or start it if it is stopped (Aborted)',
        );
      }),
    );
  });

  it('a missing object in a bucket whose name contains "etl" still gets the object hint during a transform', async () => {
    await client.initEtl({ name: 'hint-etl', runtime: { image: 'x' } });
    ais.bucket('etl-src');
    await assert.rejects(
      client.getObject('etl-src', 'nope.txt', { etl: { name: 'hint-etl' } }),
      expectAisError((e) => {
        assert.equal(e.status, 404);
        assert.match(e.hint ?? '', /object "nope\.txt" does not exist in bucket "etl-src"/);
      }),
    );
  });

  it('inline transform with an ETL that is not running → ETL hint, not object hint', async () => {
    ais.putObject('eb', 'o.txt', 'x');
    await assert.rejects(
      client.getObject('eb', 'o.txt', { etl: { name: 'not-running' } }),
      expectAisError((e) => {
        assert.equal(e.status, 404);
        assert.equal(
          e.hint,
          'no running ETL named "not-running": deploy it first, or start it if it is stopped (Aborted)',
        );
      }),
    );
  });
});

describe('errors from odd servers', () => {
  it('501 without ETL build, 400 requires Kubernetes, 401', async (t) => {
    const notBuilt = await FakeAis.start({ etl: 'not-built', targets: 0 });
    const noK8s = await FakeAis.start({ etl: 'no-k8s', targets: 0 });
    const authed = await FakeAis.start({ token: 'right', targets: 0 });
    const clients = [
      new AisClient({ endpoint: notBuilt.url }),
      new AisClient({ endpoint: noK8s.url }),
      new AisClient({ endpoint: authed.url, token: 'wrong' }),
    ];
    t.after(async () => {
      await Promise.all(clients.map((c) => c.close()));
      await Promise.all([notBuilt, noK8s, authed].map((f) => f.close()));
    });
    await assert.rejects(
      clients[0].listEtls(),
      expectAisError((e) => {
        assert.equal(e.status, 501);
        assert.equal(e.tcode, 'ErrUnsupp');
        assert.equal(e.hint, 'this cluster was built without ETL; deploy the -etl image');
      }),
    );
    await assert.rejects(
      clients[1].initEtl({ name: 'some-etl' }),
      expectAisError((e) => {
        assert.equal(e.status, 400);
        assert.equal(e.hint, 'ETL needs AIS on Kubernetes; use the local cluster to try ETLs');
      }),
    );
    await assert.rejects(
      clients[2].listBuckets(),
      expectAisError((e) => {
        assert.equal(e.status, 401);
        assert.match(e.hint ?? '', /set a token/);
        assert.doesNotMatch(e.message + e.url, /wrong/, 'the token never appears in errors');
      }),
    );
  });

  it('an HTML error page becomes its first meaningful line', async (t) => {
    const url = await tinyServer(t, (_req, res) => {
      res.writeHead(502, { 'Content-Type': 'text/html' });
      res.end(
        '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>',
      );
    });
    const c = new AisClient({ endpoint: url });
    t.after(() => c.close());
    await assert.rejects(
      c.listEtls(),
      expectAisError((e) => {
        assert.equal(e.status, 502);
        assert.equal(e.aisMessage, '502 Bad Gateway');
      }),
    );
  });

  it('plain-text and title-less HTML bodies', () => {
    assert.equal(parseErrorBody('first line\nsecond line').message, 'first line');
    assert.equal(
      firstLine('<html><body>\n<p>Service &amp; more unavailable</p></body></html>'),
      'Service & more unavailable',
    );
    assert.deepEqual(parseErrorBody('{"message":"boom","tcode":"ErrETL","status":400}'), {
      message: 'boom',
      tcode: 'ErrETL',
    });
    assert.equal(parseErrorBody('{not json').message, '{not json');
  });

  it('a 200 that is not JSON says the endpoint is probably not AIS', async (t) => {
    const url = await tinyServer(t, (_req, res) => res.end('<html>welcome to nginx</html>'));
    const c = new AisClient({ endpoint: url });
    t.after(() => c.close());
    await assert.rejects(
      c.listEtls(),
      expectAisError((e) => {
        assert.equal(e.code, 'EBADJSON');
        assert.match(e.message, /not JSON/);
        assert.match(e.hint ?? '', /AIStore proxy/);
      }),
    );
  });

  it('a server that hangs → timeout naming the endpoint and the call', async (t) => {
    const url = await tinyServer(t, () => {
      /* never answers */
    });
    const c = new AisClient({ endpoint: url, timeoutMs: 200 });
    t.after(() => c.close());
    await assert.rejects(
      c.listEtls(),
      expectAisError((e) => {
        assert.equal(e.code, 'ETIMEDOUT');
        assert.ok(e.message.includes(url), e.message);
        assert.match(e.message, /list ETLs failed: no answer .* within 200 ms for GET \/v1\/etl/);
      }),
    );
  });

  it('a body that stalls mid-stream times out on the stream', async (t) => {
    const url = await tinyServer(t, (_req, res) => {
      res.writeHead(200, { 'Content-Length': 1000 });
      res.write(Buffer.alloc(100));
    });
    const c = new AisClient({ endpoint: url, timeoutMs: 300 });
    t.after(() => c.close());
    const r = await c.getObject('b', 'o');
    await assert.rejects(
      drain(r.body),
      expectAisError((e) => assert.equal(e.code, 'ETIMEDOUT')),
    );
  });

  it('a socket reset before the answer', async (t) => {
    const url = await tinyServer(t, (req) => req.socket.destroy());
    const c = new AisClient({ endpoint: url });
    t.after(() => c.close());
    await assert.rejects(
      c.listEtls(),
      expectAisError((e) => {
        assert.equal(e.code, 'ECONNRESET');
        assert.ok(e.message.includes(url));
      }),
    );
  });

  it('a reset mid-body errors the stream (no silent truncation)', async (t) => {
    const url = await tinyServer(t, (req, res) => {
      res.writeHead(200, { 'Content-Length': 1_000_000 });
      res.write(Buffer.alloc(200_000), () => setTimeout(() => req.socket.destroy(), 20));
    });
    const c = new AisClient({ endpoint: url });
    t.after(() => c.close());
    const r = await c.getObject('b', 'o');
    assert.equal(r.size, 1_000_000);
    await assert.rejects(
      drain(r.body),
      expectAisError((e) => assert.equal(e.code, 'ECONNRESET')),
    );
  });

  it('ECONNREFUSED says which endpoint and what to check', async (t) => {
    const url = await tinyServer(t, () => undefined);
    const c = new AisClient({ endpoint: url });
    t.after(() => c.close());
    // a port that was free a moment ago: take the server's and close it
    const srv = http.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const dead = new AisClient({ endpoint: `127.0.0.1:${port}` });
    t.after(() => dead.close());
    await assert.rejects(
      dead.health(),
      expectAisError((e) => {
        assert.equal(e.code, 'ECONNREFUSED');
        assert.match(e.message, new RegExp(`cannot connect to http://127\\.0\\.0\\.1:${port}: connection refused`));
        assert.match(e.hint ?? '', /cluster is running/);
      }),
    );
  });

  it('abort via signal: before the answer and in the middle of the body', async (t) => {
    const url = await tinyServer(t, (req, res) => {
      if (req.url?.startsWith('/v1/etl')) return; // hang
      res.writeHead(200, { 'Content-Length': 10_000_000 });
      res.write(Buffer.alloc(65536));
    });
    const c = new AisClient({ endpoint: url });
    t.after(() => c.close());
    const ac = new AbortController();
    const pending = c.listEtls({ signal: ac.signal });
    setImmediate(() => ac.abort());
    await assert.rejects(pending, (e) => isAbortError(e));

    const ac2 = new AbortController();
    const r = await c.getObject('b', 'o', { signal: ac2.signal });
    const reading = drain(r.body);
    setImmediate(() => ac2.abort());
    await assert.rejects(reading, (e) => isAbortError(e));

    const pre = new AbortController();
    pre.abort();
    await assert.rejects(c.health({ signal: pre.signal }), (e) => isAbortError(e));
  });
});

describe('AisError', () => {
  it('keeps the fields it was given, composes the message from them and chains the cause', () => {
    const cause = new Error('socket hang up');
    const e = new AisError({
      status: 404,
      aisMessage: 'bucket "ais://x" does not exist.',
      method: 'GET',
      url: 'http://127.0.0.1:1/v1/buckets/x',
      hint: 'create the bucket first',
      call: 'list objects',
      cause,
    });
    assert.equal(e.name, 'AisError');
    assert.equal(
      e.message,
      'list objects failed: bucket "ais://x" does not exist (HTTP 404, GET http://127.0.0.1:1/v1/buckets/x). ' +
        'Create the bucket first.',
    );
    assert.deepEqual(
      { status: e.status, aisMessage: e.aisMessage, method: e.method, url: e.url, hint: e.hint, code: e.code },
      {
        status: 404,
        aisMessage: 'bucket "ais://x" does not exist.',
        method: 'GET',
        url: 'http://127.0.0.1:1/v1/buckets/x',
        hint: 'create the bucket first',
        code: undefined,
      },
    );
    assert.equal(e.cause, cause);
    assert.equal(Object.hasOwn(e, 'call'), false, 'call only shapes the message');
  });
});
