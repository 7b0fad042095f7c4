// The name index after a crash (storage/indexJournal.ts, persisted.ts recoverIndex): the last snapshot plus the
// journal of every change since give the names without reading the folder; a journal that lost its tail, or files
// changed behind the cluster's back, are corrected by a background re-read; a broken chain means a fresh read.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { persistStats } from '../../../../../src/engine/local/storage/listing';
import { listJournals, readJournal } from '../../../../../src/engine/local/storage/indexJournal';
import { TargetStore } from '../../../../../src/engine/local/storage/target-store';
import { listAll, openStore, tempRoot } from './helpers';

// a background snapshot write may still be finishing: the folder is removed 300 ms after the test
const tmp = (t: TestContext) => tempRoot(t, 'crashix', 300);
/** What a crash leaves: the in-memory index is gone and nothing is saved (the journal was flushed as it went). */
const crash = (s: TargetStore) => s.dropIndexes();
const onDisk = (dir: string) =>
  readdirSync(dir)
    .filter((n) => !n.startsWith('.aisetl-tmp-'))
    .sort();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function seeded(root: string, n = 3000): Promise<TargetStore> {
  const s = await openStore(root);
  for (let i = 0; i < n; i++) await s.put('b', `o-${String(i).padStart(5, '0')}`, Buffer.from('x'), undefined, false);
  await s.saveIndexes();
  s.dropIndexes();
  return openStore(root); // exact load of the clean-stop snapshot, journal open
}

test('after a crash the index comes from snapshot + journal, equal to the folder, without reading it', async (t) => {
  const root = tmp(t);
  const s = await seeded(root);
  for (let i = 0; i < 50; i++) await s.put('b', `new-${i}`, Buffer.from('y'), undefined, false);
  for (let i = 0; i < 10; i++) await s.delete('b', `o-${String(i).padStart(5, '0')}`);
  await s.put('b', 'o-00003', Buffer.from('back'), undefined, false); // deleted, then written again: last op wins
  crash(s);
  const recovered = persistStats.recovered;
  const s2 = await openStore(root);
  assert.equal(persistStats.recovered, recovered + 1, 'recovered from the journal');
  const dir = s2.bucketDir('b');
  assert.deepEqual(await listAll(dir), onDisk(dir));
  assert.ok((await listAll(dir)).includes('o-00003'));
  s2.dropIndexes();
});

test('a crash that cut the journal short, or files copied in meanwhile: the background re-read corrects the index', async (t) => {
  const root = tmp(t);
  const s = await seeded(root);
  await s.put('b', 'journaled', Buffer.from('y'), undefined, false);
  crash(s);
  const dir = s.bucketDir('b');
  writeFileSync(join(dir, 'not-journaled'), 'z'); // as if its journal record was lost with the crash
  unlinkSync(join(dir, 'o-00001'));
  const s2 = await openStore(root);
  let got = await listAll(dir);
  assert.ok(got.includes('journaled'));
  for (let i = 0; i < 160 && (got.includes('o-00001') || !got.includes('not-journaled')); i++) {
    await sleep(50);
    got = await listAll(dir);
  }
  assert.deepEqual(got, onDisk(dir), 'reconciled with the folder within 8 s');
  s2.dropIndexes();
});

test('a torn last journal record is ignored; a missing generation means a fresh read', async (t) => {
  const root = tmp(t);
  const s = await seeded(root);
  await s.put('b', 'kept', Buffer.from('y'), undefined, false);
  crash(s);
  const dir = s.bucketDir('b');
  const [j] = await listJournals(dir);
  appendFileSync(j.file, '+torn-reco'); // no terminating NUL
  assert.deepEqual(
    (await readJournal(j.file)).map((o) => o.key),
    ['kept'],
  );
  const s2 = await openStore(root);
  assert.deepEqual(await listAll(dir), onDisk(dir));
  await s2.put('b', 'later', Buffer.from('y'), undefined, false);
  crash(s2);
  await sleep(100); // the recovered index writes a new generation's snapshot in the background
  for (const x of await listJournals(dir)) unlinkSync(x.file); // break the chain
  writeFileSync(join(dir, 'copied'), 'c');
  const recovered = persistStats.recovered;
  const s3 = await openStore(root);
  assert.equal(persistStats.recovered, recovered, 'no journal: not a crash recovery');
  assert.deepEqual(await listAll(dir), onDisk(dir), 'read from the folder');
  s3.dropIndexes();
});

test('a clean stop leaves one exact snapshot and no journal', async (t) => {
  const root = tmp(t);
  const s = await seeded(root, 100);
  await s.put('b', 'x', Buffer.from('y'), undefined, false);
  assert.equal((await listJournals(s.bucketDir('b'))).length, 1, 'journaling while running');
  await s.saveIndexes();
  s.dropIndexes();
  assert.equal((await listJournals(s.bucketDir('b'))).length, 0);
  const loaded = persistStats.loaded;
  const s2 = await openStore(root);
  assert.equal(persistStats.loaded, loaded + 1);
  s2.dropIndexes();
});
