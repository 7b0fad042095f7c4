// Object listing: pagination across targets, JSON and msgpack (Python SDK shape), prefixes, one-level listing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { decode } from '@msgpack/msgpack';
import { call, startFixture, stopFixture, type Fixture } from './helpers';

let f: Fixture;
const N = 2500;
const names: string[] = [];
before(async () => {
  process.env.AISETL_FSYNC = '0'; // setup speed only; durability is not what this file tests
  f = await startFixture();
  await call('POST', f.ep + '/v1/buckets/big', { json: { action: 'create-bck' } });
  // names with nested dirs and tricky sort neighbours ("a-c" < "a/b" in byte order)
  for (let i = 0; i < N; i++)
    names.push(
      i % 5 === 0
        ? `d${i % 7}/sub/o${String(i).padStart(5, '0')}`
        : i % 5 === 1
          ? `d${i % 7}-x${i}`
          : `o${String(i).padStart(5, '0')}`,
    );
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < N) {
        const n = names[next++];
        const r = await call('PUT', f.ep + `/v1/objects/big/${n}`, { body: n });
        assert.equal(r.status, 200);
      }
    }),
  );
  names.sort();
  delete process.env.AISETL_FSYNC;
});
after(async () => {
  await stopFixture(f);
});

async function listAll(pageSize: number, accept?: string, extra: Record<string, unknown> = {}) {
  const out: { name: string; size: number; flags: number }[] = [];
  let token = '';
  let pages = 0;
  do {
    const r = await call('GET', f.ep + '/v1/buckets/big?provider=ais', {
      json: {
        action: 'list',
        name: '',
        value: {
          prefix: '',
          pagesize: pageSize,
          uuid: '',
          props: '',
          continuation_token: token,
          flags: '0',
          target: '',
          ...extra,
        },
      },
      headers: accept ? { accept } : {},
    });
    assert.equal(r.status, 200);
    pages++;
    if (accept) {
      assert.equal(r.headers['content-type'], 'application/msgpack');
      const m = decode(r.body) as {
        UUID: string;
        ContinuationToken: string;
        Flags: number;
        Entries: { n: string; s: number; f: number }[];
      };
      assert.deepEqual(Object.keys(m).sort(), ['ContinuationToken', 'Entries', 'Flags', 'UUID']);
      out.push(...m.Entries.map((e) => ({ name: e.n, size: e.s, flags: e.f })));
      token = m.ContinuationToken;
    } else {
      const j = JSON.parse(r.body.toString()) as {
        continuation_token: string;
        entries: { name: string; size: string; flags: number }[];
      };
      for (const e of j.entries) assert.equal(typeof e.size, 'string');
      out.push(...j.entries.map((e) => ({ name: e.name, size: Number(e.size), flags: e.flags })));
      token = j.continuation_token;
    }
    assert.ok(pages < 1000, 'pagination does not terminate');
  } while (token !== '');
  return { out, pages };
}

test('JSON pages of 1000 return every object once, in name order, with sizes', async () => {
  const { out, pages } = await listAll(1000);
  assert.equal(pages, 3);
  assert.deepEqual(
    out.map((e) => e.name),
    names,
  );
  for (const e of out) assert.equal(e.size, Buffer.byteLength(e.name));
});

test('msgpack pages of 10 (Python SDK shape) return every object once, in name order', async () => {
  const { out, pages } = await listAll(10, 'application/msgpack');
  assert.equal(pages, N / 10);
  assert.deepEqual(
    out.map((e) => e.name),
    names,
  );
  assert.ok(
    out.every((e) => (e.flags & 0x1f) === 0),
    'entry status bits must be ok',
  );
});

test('prefix selects a subtree; trailing * is ignored', async () => {
  const r = await call('GET', f.ep + '/v1/buckets/big', {
    json: { action: 'list', value: { prefix: 'd3/*', pagesize: 0 } },
  });
  const got = JSON.parse(r.body.toString()).entries.map((e: { name: string }) => e.name);
  assert.deepEqual(
    got,
    names.filter((n) => n.startsWith('d3/')),
  );
  assert.ok(got.length > 0);
});

test('LsNoRecursion lists one level with virtual directories flagged 1<<8', async () => {
  const r = await call('GET', f.ep + '/v1/buckets/big', {
    json: { action: 'list', value: { prefix: '', pagesize: 0, flags: String(1 << 11) } },
  });
  const entries = JSON.parse(r.body.toString()).entries as { name: string; flags: number }[];
  const dirs = entries.filter((e) => e.flags & (1 << 8)).map((e) => e.name);
  assert.deepEqual(dirs, ['d0/', 'd1/', 'd2/', 'd3/', 'd4/', 'd5/', 'd6/']);
  const files = entries.filter((e) => !(e.flags & (1 << 8))).map((e) => e.name);
  assert.deepEqual(
    files,
    names.filter((n) => !n.includes('/')),
  );
  const sub = await call('GET', f.ep + '/v1/buckets/big', {
    json: { action: 'list', value: { prefix: 'd2/', flags: String(1 << 11) } },
  });
  assert.deepEqual(
    JSON.parse(sub.body.toString()).entries.map((e: { name: string }) => e.name),
    ['d2/sub/'],
  );
});

test('the continuation token resumes exactly after the previous page', async () => {
  const first = JSON.parse(
    (await call('GET', f.ep + '/v1/buckets/big', { json: { action: 'list', value: { pagesize: 7 } } })).body.toString(),
  );
  assert.equal(first.continuation_token, names[6]);
  const second = JSON.parse(
    (
      await call('GET', f.ep + '/v1/buckets/big', {
        json: { action: 'list', value: { pagesize: 7, continuation_token: first.continuation_token } },
      })
    ).body.toString(),
  );
  assert.deepEqual(
    second.entries.map((e: { name: string }) => e.name),
    names.slice(7, 14),
  );
});
