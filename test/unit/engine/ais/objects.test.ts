import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { AisClient } from '../../../../src/engine/ais';
import { FakeAis, md5 } from './fake-ais';
import { fakeAisForSuite } from './helpers';
import { streamText } from './helpers';

describe('buckets and objects', () => {
  let ais: FakeAis;
  let client: AisClient;
  fakeAisForSuite({ targets: 2 }, (x) => ({ ais, client } = x));

  it('lists 2,500 objects with page size 1000 lazily, one request per page', async () => {
    const b = ais.bucket('many');
    for (let i = 0; i < 2500; i++) b.set(`obj-${String(i).padStart(5, '0')}`, Buffer.alloc(i % 7));
    const listCalls = (): typeof ais.requests => ais.requests.filter((r) => r.url.startsWith('/v1/buckets/many'));
    const it = client.listObjects('many', { pageSize: 1000 })[Symbol.asyncIterator]();
    assert.equal(listCalls().length, 0, 'nothing is fetched before the first next()');
    const first = await it.next();
    assert.equal(first.value?.name, 'obj-00000');
    assert.equal(listCalls().length, 1);
    const names = [first.value!.name];
    let sizeSum = first.value!.size;
    for (let r = await it.next(); !r.done; r = await it.next()) {
      names.push(r.value.name);
      sizeSum += r.value.size;
      if (names.length === 1000) assert.equal(listCalls().length, 1, 'page 2 is fetched only when page 1 is used up');
    }
    assert.equal(names.length, 2500);
    assert.equal(new Set(names).size, 2500);
    assert.equal(typeof sizeSum, 'number');
    assert.equal(
      sizeSum,
      [...b.values()].reduce((a, d) => a + d.length, 0),
      'string sizes are parsed to numbers',
    );
    const calls = listCalls();
    assert.equal(calls.length, 3);
    const bodies = calls.map((c) => JSON.parse(c.body.toString()));
    assert.deepEqual(bodies[0], {
      action: 'list',
      name: '',
      value: { prefix: '', pagesize: 1000, uuid: '', props: '', continuation_token: '', flags: '0', target: '' },
    });
    assert.equal(bodies[1].value.continuation_token, 'obj-00999');
    assert.ok(bodies[1].value.uuid, 'the listing session uuid is passed back');
    assert.equal(calls[0].headers.accept, undefined, 'JSON, not msgpack, is requested');
    assert.equal(calls[0].headers['content-type'], 'application/json');
    assert.equal(calls[0].method, 'GET');
  });

  it('one-level listing: flag LsNoRecursion (as a string) and directories as entries', async () => {
    ais.putObject('tree', 'top.txt', 'a');
    ais.putObject('tree', 'd1/x.txt', 'b');
    ais.putObject('tree', 'd1/sub/y.txt', 'c');
    ais.putObject('tree', 'd2/z.txt', 'd');
    const page = await client.listObjectsPage('tree', { noRecursion: true, prefix: '' });
    assert.deepEqual(
      page.entries.map((e) => [e.name, !!e.isDir]),
      [
        ['d1/', true],
        ['d2/', true],
        ['top.txt', false],
      ],
    );
    assert.equal(page.continuationToken, '');
    const sent = JSON.parse(ais.requests.at(-1)!.body.toString());
    assert.equal(sent.value.flags, String(1 << 11));
    const inner = await client.listObjectsPage('tree', { noRecursion: true, prefix: 'd1/' });
    assert.deepEqual(
      inner.entries.map((e) => e.name),
      ['d1/sub/', 'd1/x.txt'],
    );
  });

  it('range GET and size', async () => {
    ais.putObject('r', 'digits', '0123456789');
    const part = await client.getObject('r', 'digits', { range: { start: 2, end: 4 } });
    assert.equal(part.status, 206);
    assert.equal(part.size, 3);
    assert.equal(await streamText(part.body), '234');
    const whole = await client.getObject('ais://r', 'digits');
    assert.equal(whole.size, 10);
    assert.equal(await streamText(whole.body), '0123456789');
  });

  it('streams a 64 MiB object incrementally: the server only sends what the reader pulled', async () => {
    const size = 64 * 1024 * 1024;
    ais.putGenerated('gen', 'huge.bin', size);
    const r = await client.getObject('gen', 'huge.bin');
    assert.equal(r.size, size);
    const [first] = (await once(r.body, 'data')) as [Buffer];
    r.body.pause();
    // wait until the server stops making progress: every buffer on the way is full
    const written = await settled(() => ais.generated.get('gen/huge.bin')!.written);
    assert.ok(
      written < size / 4,
      `server wrote ${written} bytes while the reader held one chunk: something buffers the object`,
    );
    let n = first.length;
    let ok = first[0] === 0 && first[1] === 1;
    let pos = first.length;
    r.body.resume();
    for await (const c of r.body) {
      const b = c as Buffer;
      ok &&= b[0] === (pos % 65536) % 251 && b[b.length - 1] === ((pos + b.length - 1) % 65536) % 251;
      pos += b.length;
      n += b.length;
    }
    assert.equal(n, size);
    assert.ok(ok, 'bytes arrive in order');
  });

  it('head object: props from headers', async () => {
    ais.putObject('h', 'p.txt', 'props please');
    const p = await client.headObject('h', 'p.txt');
    assert.equal(p.size, 12);
    assert.equal(p.checksumType, 'md5');
    assert.equal(p.checksumValue, md5(Buffer.from('props please')));
    assert.equal(p.version, '1');
    assert.equal(p.present, true);
    assert.deepEqual(p.customMd, { source: 'test', owner: 'me' });
    assert.equal(p.headers['ais-atime'], '1764064800000000000');
  });

  it('put a string, delete, and bucket create / head / list / destroy', async () => {
    await client.createBucket('fresh');
    await client.putObject('fresh', 'a/b.txt', 'text body');
    assert.equal(ais.buckets.get('fresh')!.get('a/b.txt')!.toString(), 'text body');
    const heads = await client.headBucket('fresh');
    assert.equal(heads['ais-bucket-props'], '{"provider":"ais"}');
    const list = await client.listBuckets();
    assert.ok(list.some((b) => b.name === 'fresh' && b.provider === 'ais'));
    const listReq = ais.requests.filter((r) => r.url.startsWith('/v1/buckets?')).at(-1)!;
    assert.deepEqual(JSON.parse(listReq.body.toString()), { action: 'list', name: '', value: null });
    await client.deleteObject('fresh', 'a/b.txt');
    assert.equal(ais.buckets.get('fresh')!.has('a/b.txt'), false);
    await client.destroyBucket('fresh');
    assert.equal(ais.buckets.has('fresh'), false);
    const create = ais.requests.find((r) => r.url.startsWith('/v1/buckets/fresh') && r.method === 'POST')!;
    assert.deepEqual(JSON.parse(create.body.toString()), { action: 'create-bck', name: '', value: null });
  });
});

/** Poll `read` until it returns the same value three times in a row (no speed assumption; gives up after 20 s). */
async function settled(read: () => number): Promise<number> {
  let last = -1;
  let same = 0;
  for (let i = 0; i < 400 && same < 2; i++) {
    await new Promise((r) => setTimeout(r, 50));
    const v = read();
    same = v === last ? same + 1 : 0;
    last = v;
  }
  return last;
}
