// Answers the local cluster must give exactly as aisnode v1.5.0 does (found by test/conformance): status, tcode and
// message texts taken from AIS's source (cmn/err.go, cmn/cos/uuid.go, cmn/http.go, ais/utils.go, api/apc/lsmsg.go).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { decode } from '@msgpack/msgpack';
import { call, rawCall, startFixture, stopFixture, type Fixture } from './helpers';
import { parseRange } from '../../../../src/engine/local/cluster/target-objects';
import { aisBucketNameError } from '../../../../src/engine/local/cluster/bucket-name';
import { formatRfc822 } from '../../../../src/engine/local/cluster/list-objects';

const BODY = 'hello world 0123456789'; // 22 bytes, as in the conformance suite
let f: Fixture;
const json = (b: Buffer) => JSON.parse(b.toString());
/** The error as the conformance suite compares it: status, tcode (absent when AIS sends none), message. */
const err = (r: { status: number; body: Buffer }) => {
  const j = json(r.body);
  return { status: r.status, ...(j.tcode ? { tcode: j.tcode } : {}), message: j.message };
};

before(async () => {
  f = await startFixture();
  assert.equal((await call('POST', f.ep + '/v1/buckets/b', { json: { action: 'create-bck' } })).status, 200);
  for (const n of ['a/b.txt', 'top.txt', 'z1', 'z2', 'z3'])
    assert.equal((await call('PUT', f.ep + `/v1/objects/b/${n}`, { body: n === 'a/b.txt' ? BODY : n })).status, 200);
});
after(async () => {
  await stopFixture(f);
});

test('create an existing bucket: 409 ErrBucketAlreadyExists, AIS text', async () => {
  const r = await call('POST', f.ep + '/v1/buckets/b', { json: { action: 'create-bck' } });
  assert.deepEqual(err(r), {
    status: 409,
    tcode: 'ErrBucketAlreadyExists',
    message: 'bucket "ais://b" already exists',
  });
});

test('invalid bucket names: 400 without tcode, texts of cmn/cos CheckAlphaPlus and Bck.ValidateName', async () => {
  const only = 'bucket name is invalid: may only contain letters, numbers, dashes (-), underscores (_), and dots (.)';
  const cases: [string, string][] = [
    ['bad%20name', only],
    ['a'.repeat(100), 'bucket name is too long: 100 > 64(max length)'],
    ['a..b', only],
    ['.hidden', 'reserved bucket name ".hidden" (unknown system bucket)'],
  ];
  for (const [raw, message] of cases) {
    const r = await call('POST', f.ep + `/v1/buckets/${raw}`, { json: { action: 'create-bck' } });
    assert.deepEqual(err(r), { status: 400, message }, raw);
  }
  // the object path checks the bucket name the same way
  assert.deepEqual(err(await call('PUT', f.ep + '/v1/objects/bad%20name/x', { body: 'x' })), {
    status: 400,
    message: only,
  });
  assert.equal(aisBucketNameError('a'.repeat(64)), undefined);
  assert.equal(aisBucketNameError('a.b-c_D9'), undefined);
  assert.equal(aisBucketNameError(''), 'bucket name is missing');
});

test('DELETE a missing object: 404 without tcode or node prefix', async () => {
  const r = await call('DELETE', f.ep + '/v1/objects/b/nope');
  assert.deepEqual(err(r), { status: 404, message: "ais://b/nope doesn't exist" });
});

test('unsatisfiable range: 416 ErrRangeNotSatisfiable, AIS text and Content-Range bytes */size', async () => {
  const r = await call('GET', f.ep + '/v1/objects/b/a/b.txt', { headers: { range: 'bytes=100-' } });
  assert.deepEqual(err(r), {
    status: 416,
    tcode: 'ErrRangeNotSatisfiable',
    message: 'size=22: not satisfiable range [100-]',
  });
  assert.equal(r.headers['content-range'], 'bytes */22');
  // ranges that still work
  const ok = await call('GET', f.ep + '/v1/objects/b/a/b.txt', { headers: { range: 'bytes=-5' } });
  assert.equal(ok.status, 206);
  assert.equal(ok.body.toString(), BODY.slice(-5));
  assert.equal(ok.headers['content-range'], 'bytes 17-21/22');
  const malformed = await call('GET', f.ep + '/v1/objects/b/a/b.txt', { headers: { range: 'items=1-2' } });
  assert.deepEqual(err(malformed), { status: 416, message: 'read range "items=1-2" is invalid (prefix)' });
});

test('parseRange follows ais/utils.go parseMultiRange', () => {
  assert.equal(parseRange(undefined, 22), undefined);
  assert.deepEqual(parseRange('bytes=2-5', 22), { start: 2, end: 5 });
  assert.deepEqual(parseRange('bytes=10-', 22), { start: 10, end: 21 });
  assert.deepEqual(parseRange('bytes=10-1000', 22), { start: 10, end: 21 });
  assert.deepEqual(parseRange('bytes=-100', 22), { start: 0, end: 21 });
  assert.throws(() => parseRange('bytes=100-,200-', 22), {
    status: 416,
    tcode: 'ErrRangeNotSatisfiable',
    message: 'size=22: not satisfiable ranges [100- 200-]',
  });
  assert.throws(() => parseRange('bytes=5-2', 22), {
    status: 416,
    tcode: undefined,
    message: 'read range "5-2" is invalid (end)',
  });
  assert.throws(() => parseRange('bytes=x-2', 22), { message: 'read range "x-2" is invalid (start)' });
  assert.throws(() => parseRange('bytes=5', 22), { message: 'read range "bytes=5" is invalid (-)' });
  assert.throws(() => parseRange('bytes=-', 22), { message: 'read range "-" is invalid as per RFC 7233 Section 2.1' });
  assert.throws(() => parseRange('bytes=0-1,3-4', 22, 'ais://b/o'), {
    status: 416,
    tcode: 'ErrUnsupp',
    message: 'cannot multi-range read ais://b/o - operation not supported',
  });
});

test('HEAD object: ais-mirror-copies 1 and ais-mirror-paths like AIS', async () => {
  const r = await call('HEAD', f.ep + '/v1/objects/b/a/b.txt');
  assert.equal(r.status, 200);
  assert.equal(r.headers['ais-mirror-copies'], '1');
  assert.match(String(r.headers['ais-mirror-paths']), /^\[.+\]$/);
});

const list = async (value: Record<string, unknown>, accept?: string) => {
  const r = await call('GET', f.ep + '/v1/buckets/b', {
    json: { action: 'list', value },
    headers: accept ? { accept } : {},
  });
  assert.equal(r.status, 200, r.body.toString());
  return accept ? (decode(r.body) as Record<string, unknown>) : json(r.body);
};

test('list: every page carries a session uuid; a uuid sent back is echoed and the token continues the listing', async () => {
  const p1 = await list({ pagesize: 2 });
  assert.match(p1.uuid, /^[A-Za-z][A-Za-z0-9]{5,}$/);
  assert.deepEqual(
    p1.entries.map((e: { name: string }) => e.name),
    ['a/b.txt', 'top.txt'],
  );
  const p2 = await list({ pagesize: 2, uuid: p1.uuid, continuation_token: p1.continuation_token });
  assert.equal(p2.uuid, p1.uuid);
  assert.deepEqual(
    p2.entries.map((e: { name: string }) => e.name),
    ['z1', 'z2'],
  );
  const p3 = await list({ pagesize: 2, uuid: p1.uuid, continuation_token: p2.continuation_token });
  assert.equal(p3.uuid, p1.uuid);
  assert.deepEqual(
    p3.entries.map((e: { name: string }) => e.name),
    ['z3'],
  );
  assert.equal(p3.continuation_token, '');
  // the Python SDK reads the msgpack form: UUID must be there too
  const m = await list({ pagesize: 2 }, 'application/msgpack');
  assert.match(String(m.UUID), /^[A-Za-z]/);
  assert.notEqual((await list({ pagesize: 2 })).uuid, p1.uuid, 'a new listing gets a new session id');
});

test('list props: empty = name, size, flags only; LsCached = + checksum, atime; atime as Go time.RFC822 in UTC', async () => {
  const dflt = await list({});
  for (const e of dflt.entries) assert.deepEqual(Object.keys(e).sort(), ['flags', 'name', 'size'], JSON.stringify(e));
  const cached = await list({ flags: '1' });
  assert.ok(cached.entries.every((e: { atime?: string }) => typeof e.atime === 'string'));
  const withAtime = await list({ props: 'name,size,atime' });
  for (const e of withAtime.entries) {
    assert.match(e.atime, /^\d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d\d \d\d:\d\d UTC$/);
    assert.equal(e.checksum, undefined);
  }
  // LsNameSize (1 << 5) drops every other prop even when asked
  const ns = await list({ props: 'name,size,atime', flags: String(1 << 5) });
  for (const e of ns.entries) assert.equal(e.atime, undefined);
  assert.equal(formatRfc822(new Date(Date.UTC(2026, 10, 25, 13, 0, 40))), '25 Nov 26 13:00 UTC');
  assert.equal(formatRfc822(new Date(Date.UTC(2009, 0, 2, 3, 4, 5))), '02 Jan 09 03:04 UTC');
});

test('object URL with fewer than 4 items: 400 "URL ... is too short" (cmn.ParseURL), not a bucket lookup', async () => {
  // what a client sends for PUT /v1/objects/b/../x once its URL library normalised the path
  const r = await rawCall('PUT', f.ep, '/v1/objects/x', 'abc');
  assert.deepEqual(err(r), { status: 400, message: "URL 'v1/objects/x' is too short: expected 4 items, got 3" });
  const empty = await rawCall('GET', f.ep, '/v1/objects/b/');
  assert.deepEqual(err(empty), { status: 400, message: "URL 'v1/objects/b/' is too short: expected 4 items, got 3" });
  // a full path still reaches the object
  assert.equal((await call('GET', f.ep + '/v1/objects/b/top.txt')).body.toString(), 'top.txt');
});
