// The engine's AisClient against the local cluster: the same client that talks to real AIS must work unchanged.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AisClient, AisError } from '../../../../src/engine/ais';
import { startFixture, stopFixture, type Fixture } from './helpers';

let f: Fixture;
let c: AisClient;
before(async () => {
  f = await startFixture();
  c = new AisClient({ endpoint: f.ep });
});
after(async () => {
  await c.close();
  await stopFixture(f);
});

async function text(s: { body: NodeJS.ReadableStream }): Promise<string> {
  let out = '';
  for await (const ch of s.body) out += ch.toString();
  return out;
}

test('cluster info marks the local cluster and its dialect', async () => {
  const info = await c.cluster();
  assert.equal(info.deployment, 'aisetl-local');
  assert.equal(info.local, true);
  assert.equal(info.version.major, 5); // the default: the newest release
  assert.equal(info.version.minor, 0);
  assert.equal(info.dialect, 'v5.0');
  assert.equal(info.codeInit, false);
  const smap = await c.clusterMap();
  assert.equal(smap.targets.length, 2);
  assert.equal(smap.primaryUrl, f.ep);
  assert.deepEqual(smap.targets.map((t) => t.url).sort(), f.cluster.targets.map((t) => t.url).sort());
  assert.equal(await c.health(), true);
});

test('buckets, objects, listing pages and one-level listing through AisClient', async () => {
  await c.createBucket('cc');
  await assert.rejects(c.createBucket('cc'), (e: AisError) => e.status === 409);
  for (let i = 0; i < 25; i++) await c.putObject('cc', `dir/${String(i).padStart(2, '0')}`, `v${i}`);
  await c.putObject('cc', 'top', 'x');
  const page = await c.listObjectsPage('cc', { pageSize: 10 });
  assert.equal(page.entries.length, 10);
  assert.notEqual(page.continuationToken, '');
  const all: string[] = [];
  for await (const e of c.listObjects('cc', { pageSize: 7 })) all.push(e.name);
  assert.equal(all.length, 26);
  assert.deepEqual(all, [...all].sort());
  const level = await c.listObjectsPage('cc', { noRecursion: true });
  assert.deepEqual(
    level.entries.map((e) => [e.name, !!e.isDir]),
    [
      ['dir/', true],
      ['top', false],
    ],
  );
  const props = await c.headObject('cc', 'dir/03');
  assert.equal(props.size, 2);
  assert.equal(await text(await c.getObject('cc', 'dir/03')), 'v3');
  assert.equal(await text(await c.getObject('cc', 'dir/13', { range: { start: 1 } })), '13');
  await c.deleteObject('cc', 'top');
  await assert.rejects(
    c.getObject('cc', 'top'),
    (e: AisError) => e.status === 404 && /ais:\/\/cc\/top does not exist/.test(e.aisMessage),
  );
  await assert.rejects(c.headObject('cc', 'top'), (e: AisError) => e.status === 404);
  await c.destroyBucket('cc');
  assert.equal(
    (await c.listBuckets()).some((b) => b.name === 'cc'),
    false,
  );
});
