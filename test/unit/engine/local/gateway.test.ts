// REST shapes of the local cluster's gateway and targets: daemon info, buckets, objects, redirects, errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { call, md5, rawCall, startFixture, stopFixture, type Fixture } from './helpers';

let f: Fixture;
before(async () => {
  f = await startFixture();
});
after(async () => {
  await stopFixture(f);
});

const json = (r: { body: Buffer }) => JSON.parse(r.body.toString());

test('smap lists the proxy and 2 targets with 8-letter IDs and direct URLs', async () => {
  for (const path of ['/v1/daemon?what=smap', '/v1/cluster?what=smap']) {
    const r = await call('GET', f.ep + path);
    assert.equal(r.status, 200);
    const smap = json(r);
    assert.equal(smap.proxy_si.public_net.direct_url, f.ep);
    const tids = Object.keys(smap.tmap);
    assert.equal(tids.length, 2);
    for (const id of tids) {
      assert.match(id, /^[A-Za-z]{8}$/);
      assert.equal(smap.tmap[id].daemon_type, 'target');
      assert.ok(f.cluster.targets.some((t) => t.url === smap.tmap[id].public_net.direct_url));
    }
  }
});

test('node_status, software_version and health identify the local cluster', async () => {
  const ns = json(await call('GET', f.ep + '/v1/daemon?what=node_status'));
  assert.equal(ns.ais_version, '5.0.aisetl-local'); // the default: the newest release
  assert.equal(ns.deployment, 'aisetl-local');
  const sv = await call('GET', f.ep + '/v1/daemon?what=software_version');
  assert.equal(sv.body.toString(), '5.0.aisetl-local');
  assert.equal((await call('GET', f.ep + '/v1/health')).status, 200);
  const bad = await call('GET', f.ep + '/v1/daemon?what=nope');
  assert.equal(bad.status, 400);
  assert.match(json(bad).message, /unrecognized 'what=nope'/);
});

test('buckets: create, duplicate 409, list, head, destroy, 404 shapes', async () => {
  const create = await call('POST', f.ep + '/v1/buckets/bk1?provider=ais', { json: { action: 'create-bck' } });
  assert.equal(create.status, 200);
  const dup = await call('POST', f.ep + '/v1/buckets/bk1', { json: { action: 'create-bck' } });
  assert.equal(dup.status, 409);
  assert.equal(json(dup).message, 'bucket "ais://bk1" already exists');
  const list = json(await call('GET', f.ep + '/v1/buckets?provider=ais', { json: { action: 'list' } }));
  assert.deepEqual(
    list.filter((b: { name: string }) => b.name === 'bk1'),
    [{ name: 'bk1', provider: 'ais', namespace: { uuid: '', name: '' } }],
  );
  const head = await call('HEAD', f.ep + '/v1/buckets/bk1');
  assert.equal(head.status, 200);
  const props = JSON.parse(String(head.headers['ais-bucket-props']));
  assert.equal(props.provider, 'ais');
  // AIS marshals `created` as a string of Unix nanoseconds; the Go CLI fails to decode a number
  assert.match(props.created, /^\d{19}$/);
  assert.ok(Math.abs(Number(BigInt(props.created) / 1_000_000n) - Date.now()) < 3_600_000, 'created is now, in ns');
  const headMissing = await call('HEAD', f.ep + '/v1/buckets/nope');
  assert.equal(headMissing.status, 404);
  assert.equal(JSON.parse(String(headMissing.headers['ais-error'])).message, 'bucket "ais://nope" does not exist');
  const del = await call('DELETE', f.ep + '/v1/buckets/bk1', { json: { action: 'destroy-bck' } });
  assert.equal(del.status, 200);
  const gone = await call('GET', f.ep + '/v1/buckets/bk1', { json: { action: 'list', value: {} } });
  assert.equal(gone.status, 404);
  const e = json(gone);
  assert.equal(e.tcode, 'ErrBckNotFound');
  assert.equal(e.message, 'bucket "ais://bk1" does not exist');
  assert.equal(e.status, 404);
  assert.match(e.node, /^p\[[A-Za-z]{8}\]$/);
  const badName = await call('POST', f.ep + '/v1/buckets/.hidden', { json: { action: 'create-bck' } });
  assert.equal(badName.status, 400);
});

test('objects: PUT 307 and GET 301 to the HRW target with the original query + pid; GET, range, HEAD, DELETE', async () => {
  await call('POST', f.ep + '/v1/buckets/ob', { json: { action: 'create-bck' } });
  const put = await request(f.ep + '/v1/objects/ob/dir/a.txt?provider=ais', { method: 'PUT', body: 'x' });
  await put.body.dump();
  assert.equal(put.statusCode, 307);
  const loc = new URL(String(put.headers.location));
  assert.equal(loc.pathname, '/v1/objects/ob/dir/a.txt');
  assert.equal(loc.searchParams.get('provider'), 'ais');
  assert.match(String(loc.searchParams.get('pid')), /^[A-Za-z]{8}$/);
  const data = 'hello world, this is the object body\n';
  const r = await call('PUT', f.ep + '/v1/objects/ob/dir/a.txt', { body: data });
  assert.equal(r.status, 200);
  assert.equal(r.hops.length, 1);
  const g0 = await request(f.ep + '/v1/objects/ob/dir/a.txt');
  await g0.body.dump();
  assert.equal(g0.statusCode, 301);
  const g = await call('GET', f.ep + '/v1/objects/ob/dir/a.txt');
  assert.equal(g.body.toString(), data);
  assert.equal(g.headers['ais-checksum-type'], 'md5');
  assert.equal(g.headers['ais-checksum-value'], md5(data));
  const rg = await call('GET', f.ep + '/v1/objects/ob/dir/a.txt', { headers: { range: 'bytes=6-10' } });
  assert.equal(rg.status, 206);
  assert.equal(rg.body.toString(), 'world');
  const h = await call('HEAD', f.ep + '/v1/objects/ob/dir/a.txt');
  assert.equal(h.status, 200);
  assert.equal(h.headers['content-length'], String(data.length));
  assert.equal(h.headers['ais-present'], 'true');
  assert.match(String(h.headers['ais-atime']), /^\d+$/);
  assert.equal((await call('DELETE', f.ep + '/v1/objects/ob/dir/a.txt')).status, 200);
  const miss = await call('GET', f.ep + '/v1/objects/ob/dir/a.txt');
  assert.equal(miss.status, 404);
  assert.match(json(miss).message, /^t\[[A-Za-z]{8}\]: ais:\/\/ob\/dir\/a\.txt does not exist$/);
  const hmiss = await call('HEAD', f.ep + '/v1/objects/ob/dir/a.txt');
  assert.equal(hmiss.status, 404);
  assert.match(JSON.parse(String(hmiss.headers['ais-error'])).message, /ais:\/\/ob\/dir\/a\.txt does not exist/);
  const nob = await call('GET', f.ep + '/v1/objects/nobucket/x');
  assert.equal(json(nob).message, 'bucket "ais://nobucket" does not exist');
});

test('objects spread over both targets by HRW, and the same name always lands on the same target', async () => {
  await call('POST', f.ep + '/v1/buckets/spread', { json: { action: 'create-bck' } });
  const seen = new Map<string, number>();
  for (let i = 0; i < 40; i++) {
    const r = await call('PUT', f.ep + `/v1/objects/spread/o${i}`, { body: String(i) });
    const t = new URL(r.hops[0]).port;
    seen.set(t, (seen.get(t) ?? 0) + 1);
    const again = await request(f.ep + `/v1/objects/spread/o${i}`, { method: 'HEAD' });
    await again.body.dump();
    assert.equal(new URL(String(again.headers.location)).port, t);
  }
  assert.equal(seen.size, 2);
});

test('bad object names get 400 AIS errors', async () => {
  await call('POST', f.ep + '/v1/buckets/names', { json: { action: 'create-bck' } });
  for (const bad of [
    'a/../b',
    '%2E%2E/x',
    '..',
    'a//b',
    'x%00y',
    'a%5Cb',
    'a\\b',
    '.aisetl-tmp-123',
    'd/.aisetl-tmp-x/y',
    'a'.repeat(300),
    '%2Fetc%2Fpasswd',
  ]) {
    const r = await rawCall('PUT', f.ep, `/v1/objects/names/${bad}`, 'x');
    assert.equal(r.status, 400, bad);
    assert.match(json(r).message, /invalid object name/);
  }
});

test('a name that is both an object and a virtual directory is a 409, not a crash', async () => {
  await call('POST', f.ep + '/v1/buckets/clash', { json: { action: 'create-bck' } });
  // force both names onto the same target by trying pairs until the owner matches
  assert.equal((await call('PUT', f.ep + '/v1/objects/clash/p', { body: 'file' })).status, 200);
  const r = await call('PUT', f.ep + '/v1/objects/clash/p/q', { body: 'nested' });
  assert.ok(r.status === 200 || r.status === 409, `status ${r.status}`);
  if (r.status === 409) assert.match(json(r).message, /collides/);
});

test('append and multipart PUTs are refused (501 ErrUnsupp) and leave the object as it was', async () => {
  assert.equal((await call('POST', f.ep + '/v1/buckets/apnd', { json: { action: 'create-bck' } })).status, 200);
  assert.equal((await call('PUT', f.ep + '/v1/objects/apnd/o', { body: '0123456789' })).status, 200);
  for (const q of [
    'append_type=append&append_handle=',
    'append_type=flush&append_handle=h1',
    'appendty=append',
    'uploadId=u1&partNumber=1',
  ]) {
    const r = await call('PUT', `${f.ep}/v1/objects/apnd/o?${q}`, { body: 'xx' });
    assert.equal(r.status, 501, q);
    const err = json(r) as { message: string; tcode?: string };
    assert.match(err.message, /not supported by the local cluster \(it would overwrite the object\)/, q);
    assert.equal((await call('GET', f.ep + '/v1/objects/apnd/o')).body.toString(), '0123456789', q);
  }
});
