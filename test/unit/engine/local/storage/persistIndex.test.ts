// The persistent name index (storage/listing.ts persistIndex/loadPersisted): saved at clean stop next to the bucket
// folder, loaded at the next start only while the folder is unchanged; anything stale or damaged means a fresh read.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  dropIndexesUnder,
  indexFileFor,
  persistStats,
  walkOneLevel,
} from '../../../../../src/engine/local/storage/listing';
import { bucketNameError, objNameError } from '../../../../../src/engine/local/storage/names';
import { TargetStore } from '../../../../../src/engine/local/storage/target-store';
import { startLocalCluster } from '../../../../../src/engine/local/cluster/start';
import { listAll, openStore, tempRoot } from './helpers';

const tmp = (t: TestContext) => tempRoot(t, 'pindex');
async function stop(s: TargetStore): Promise<void> {
  await s.saveIndexes();
  s.dropIndexes();
}

async function listTop(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of walkOneLevel(dir)) out.push(e.name);
  return out;
}
/** What a fresh read of the folder (no index) lists. */
async function freshScan(dir: string): Promise<string[]> {
  dropIndexesUnder(dir);
  return listAll(dir);
}

async function seeded(root: string, n = 3000): Promise<TargetStore> {
  const s = await openStore(root);
  for (let i = 0; i < n; i++) await s.put('b', `o-${String(i).padStart(5, '0')}`, Buffer.from('x'), undefined, false);
  await s.put('b', 'dir/inner', Buffer.from('y'), undefined, false);
  await s.delete('b', 'o-00007');
  return s;
}

test('saved at stop, loaded at restart (no folder read); listing equals a fresh scan; the file is never an object', async (t) => {
  const root = tmp(t);
  const s = await seeded(root);
  const before = await listAll(s.bucketDir('b'));
  await stop(s);
  const file = indexFileFor(s.bucketDir('b'));
  assert.ok(existsSync(file), 'index file written');
  assert.equal(basename(file).startsWith('.aisetl-tmp-'), true);
  assert.ok(
    readdirSync(root).every((n) => !n.startsWith('.aisetl-tmp-') || n === basename(file)),
    'no temp file left',
  );
  // its name can be neither a bucket nor an object
  assert.ok(bucketNameError(basename(file)));
  assert.ok(objNameError(basename(file)));
  assert.ok(objNameError(`x/${basename(file)}`));

  const loaded = persistStats.loaded;
  const s2 = await openStore(root);
  assert.equal(persistStats.loaded, loaded + 1, 'the index was loaded from the file');
  const after = await listAll(s2.bucketDir('b'));
  assert.deepEqual(after, before);
  assert.ok(!after.some((n) => n.includes('.aisetl-tmp-')));
  assert.ok(!(await listTop(s2.bucketDir('b'))).some((n) => n.includes('.aisetl-tmp-')));
  // the loaded index keeps up with writes and deletes
  await s2.put('b', 'o-00007', Buffer.from('z'), undefined, false);
  await s2.delete('b', 'o-00001');
  const live = await listAll(s2.bucketDir('b'));
  assert.deepEqual(live, await freshScan(s2.bucketDir('b')));
  s2.dropIndexes();
});

test('a folder changed while the cluster was down (file added, file removed) is read again', async (t) => {
  for (const change of ['add', 'remove'] as const) {
    const root = tmp(t);
    const s = await seeded(root);
    await stop(s);
    const dir = s.bucketDir('b');
    if (change === 'add') writeFileSync(join(dir, 'copied-in'), 'c');
    else unlinkSync(join(dir, 'o-00002'));
    const loaded = persistStats.loaded,
      rejected = persistStats.rejected;
    const s2 = await openStore(root);
    assert.equal(persistStats.loaded, loaded, `${change}: stale file not loaded`);
    assert.equal(persistStats.rejected, rejected + 1);
    const got = await listAll(dir);
    assert.equal(got.includes('copied-in'), change === 'add');
    assert.equal(got.includes('o-00002'), change === 'add');
    // the new generation's base snapshot is written in the background (before freshScan drops this index: a
    // rotation that finds its index dropped leaves nothing behind)
    const headerOf = () => {
      try {
        return JSON.parse(readFileSync(indexFileFor(dir), 'utf8').split('\n')[0]) as { ino: string; gen: number };
      } catch {
        return undefined;
      }
    };
    for (let i = 0; i < 100 && headerOf()?.ino !== '0'; i++) await new Promise((r) => setTimeout(r, 50));
    const header = headerOf()!;
    console.error('DEBUG header', JSON.stringify(headerOf()), require('node:fs').readdirSync(join(dir, '..')));
    assert.equal(header.ino, '0', 'the stale file was replaced by the base of a new journal generation, never exact');
    assert.ok(header.gen >= 1);
    assert.deepEqual(got, await freshScan(dir));
    s2.dropIndexes();
  }
});

test('files copied in behind a running store are not hidden by the saved index', async (t) => {
  const root = tmp(t);
  const s = await seeded(root);
  writeFileSync(join(s.bucketDir('b'), 'sneaked'), 's'); // not in the in-memory index
  await stop(s);
  const s2 = await openStore(root);
  assert.ok((await listAll(s2.bucketDir('b'))).includes('sneaked'));
  s2.dropIndexes();
});

test('a corrupt or truncated index file means a fresh read, not a crash', async (t) => {
  const damages: [string, (f: string) => void][] = [
    ['truncated', (f) => truncateSync(f, Math.floor(readFileSync(f).length / 2))],
    ['cut inside the header', (f) => truncateSync(f, 10)],
    ['empty', (f) => writeFileSync(f, '')],
    ['garbage', (f) => writeFileSync(f, Buffer.from([0xff, 0x00, 0x0a, 0x7b, 0x22]))],
    [
      'unsorted body',
      (f) => {
        const b = readFileSync(f);
        const nl = b.indexOf(10);
        const keys = b.toString('utf8', nl + 1).split('\0');
        [keys[0], keys[1]] = [keys[1], keys[0]];
        writeFileSync(f, Buffer.concat([b.subarray(0, nl + 1), Buffer.from(keys.join('\0'))]));
      },
    ],
    [
      'one byte changed (the CRC no longer matches)',
      (f) => {
        const b = readFileSync(f);
        b[b.length - 1] ^= 1;
        writeFileSync(f, b);
      },
    ],
    [
      'count off by one',
      (f) => {
        const b = readFileSync(f);
        const nl = b.indexOf(10);
        const h = JSON.parse(b.toString('utf8', 0, nl));
        h.count++;
        writeFileSync(f, Buffer.concat([Buffer.from(JSON.stringify(h) + '\n'), b.subarray(nl + 1)]));
      },
    ],
  ];
  for (const [what, damage] of damages) {
    const root = tmp(t);
    const s = await seeded(root, 500);
    const want = await listAll(s.bucketDir('b'));
    await stop(s);
    damage(indexFileFor(s.bucketDir('b')));
    const loaded = persistStats.loaded;
    const s2 = await openStore(root);
    assert.equal(persistStats.loaded, loaded, `${what}: not loaded`);
    assert.deepEqual(await listAll(s2.bucketDir('b')), want, what);
    s2.dropIndexes();
  }
});

test('an index file written before CRCs (version 2) is still loaded, each key checked', async (t) => {
  const root = tmp(t);
  const s = await seeded(root, 700);
  const want = await listAll(s.bucketDir('b'));
  await stop(s);
  const f = indexFileFor(s.bucketDir('b'));
  const b = readFileSync(f);
  const nl = b.indexOf(10);
  const h = JSON.parse(b.toString('utf8', 0, nl)) as { v: number; crc?: number };
  assert.equal(typeof h.crc, 'number', 'new files carry a CRC');
  delete h.crc;
  h.v = 2;
  writeFileSync(f, Buffer.concat([Buffer.from(JSON.stringify(h) + '\n'), b.subarray(nl + 1)]));
  const loaded = persistStats.loaded;
  const s2 = await openStore(root);
  assert.equal(persistStats.loaded, loaded + 1);
  assert.deepEqual(await listAll(s2.bucketDir('b')), want);
  s2.dropIndexes();
});

test('cluster: stop saves the indexes, a restart lists the same objects from them; destroying a bucket removes its file', async (t) => {
  const dataDir = tmp(t);
  // two targets over the same folder each time, no ETL workers: the test only stores and lists
  const start = () =>
    startLocalCluster({
      dataDir,
      targets: 2,
      log: () => undefined,
      workerFactory: (() => {
        throw new Error('no workers');
      }) as never,
    });
  const c1 = await start();
  const post = (path: string, body: unknown) =>
    fetch(`${c1.endpoint}${path}`, { method: 'POST', body: JSON.stringify(body) });
  assert.equal((await post('/v1/buckets/pb', { action: 'create-bck' })).status, 200);
  for (let i = 0; i < 50; i++) {
    const r = await fetch(`${c1.endpoint}/v1/objects/pb/n-${i}`, { method: 'PUT', body: 'v', redirect: 'follow' });
    assert.equal(r.status, 200);
  }
  const ids = c1.targets.map((x) => x.id);
  const before = (await Promise.all(ids.map((id) => listAll(join(dataDir, id, 'pb'))))).flat().sort();
  await c1.stop();
  for (const id of ids) assert.ok(existsSync(indexFileFor(join(dataDir, id, 'pb'))), 'saved at stop');
  const loaded = persistStats.loaded;
  const c2 = await start();
  try {
    const after = (await Promise.all(ids.map((id) => listAll(join(dataDir, id, 'pb'))))).flat().sort();
    assert.equal(persistStats.loaded, loaded + 2);
    assert.deepEqual(after, before);
    assert.equal(after.length, 50);
    const r = await fetch(`${c2.endpoint}/v1/buckets/pb`, {
      method: 'DELETE',
      body: JSON.stringify({ action: 'destroy-bck' }),
    });
    assert.equal(r.status, 200);
    for (const id of ids) assert.equal(existsSync(indexFileFor(join(dataDir, id, 'pb'))), false);
  } finally {
    await c2.stop();
  }
});
