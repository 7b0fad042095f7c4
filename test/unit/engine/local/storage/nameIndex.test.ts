// The in-memory name index behind listings (storage/listing.ts, storage/sortedKeys.ts): it must agree with the disk
// after writes and deletes, survive writes that race its build, and keep pagination exact while objects come and go.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SortedKeys } from '../../../../../src/engine/local/storage/sortedKeys';
import { dropIndexesUnder, indexStats, walkOneLevel, warmIndex } from '../../../../../src/engine/local/storage/listing';
import { TargetStore } from '../../../../../src/engine/local/storage/target-store';
import { call, startFixture, stopFixture } from '../helpers';
import { listAll, tempRoot } from './helpers';

const tmp = (t: TestContext) => tempRoot(t, 'index');

/** A tiny deterministic PRNG so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

test('SortedKeys agrees with a sorted Set under random inserts and deletes (many block splits)', () => {
  const r = rng(7);
  const ref = new Set<string>();
  const init = Array.from({ length: 3000 }, (_, i) => `k${String(i * 3).padStart(6, '0')}`);
  for (const k of init) ref.add(k);
  const s = SortedKeys.fromSorted([...init]);
  for (let i = 0; i < 20_000; i++) {
    const k = `k${String(Math.floor(r() * 12_000)).padStart(6, '0')}`;
    if (r() < 0.6) assert.equal(s.add(k), !ref.has(k) && !!ref.add(k));
    else assert.equal(s.delete(k), ref.delete(k));
  }
  const want = [...ref].sort();
  assert.equal(s.size, want.length);
  assert.deepEqual(s.toArray(), want);
  assert.deepEqual(
    [...s.from('k005000')],
    want.filter((k) => k >= 'k005000'),
  );
  assert.equal(s.has(want[17]), true);
  assert.equal(s.has('k5'), false);
});

test('a SortedKeys loaded packed (from a saved index) answers and changes exactly like one built from strings', () => {
  const r = rng(23);
  const init = Array.from({ length: 5000 }, (_, i) => `p${String(i * 2).padStart(6, '0')}/é`);
  const packed = SortedKeys.fromPacked(Buffer.from(init.join('\0')), init.length)!;
  const eager = SortedKeys.fromSorted([...init]);
  assert.equal(packed.size, 5000);
  assert.deepEqual([...packed.from('p004000')].slice(0, 3), [...eager.from('p004000')].slice(0, 3));
  for (let i = 0; i < 5000; i++) {
    const k = `p${String(Math.floor(r() * 12_000)).padStart(6, '0')}/é`;
    if (r() < 0.3) assert.equal(packed.has(k), eager.has(k));
    else if (r() < 0.6) assert.equal(packed.add(k), eager.add(k));
    else assert.equal(packed.delete(k), eager.delete(k));
  }
  assert.equal(packed.size, eager.size);
  assert.deepEqual(packed.toArray(), eager.toArray());
  assert.deepEqual([...packed.from()], eager.toArray());
});

test('SortedKeys.fromPacked refuses a body that is not exactly `count` non-empty keys', () => {
  const ok = (body: string, count: number) => SortedKeys.fromPacked(Buffer.from(body), count)?.toArray();
  assert.deepEqual(ok('a\0b\0c', 3), ['a', 'b', 'c']);
  assert.deepEqual(ok('', 0), []);
  assert.equal(ok('a\0b\0c', 2), undefined, 'count too small');
  assert.equal(ok('a\0b', 3), undefined, 'count too big');
  assert.equal(ok('a\0\0c', 3), undefined, 'an empty key');
  assert.equal(ok('\0a\0b', 3), undefined, 'a leading NUL');
  assert.equal(ok('a\0b\0', 3), undefined, 'a trailing NUL');
  assert.equal(ok('x', 0), undefined, 'bytes for no keys');
});

test('a SortedKeys cursor never repeats or skips a key that stays present while the set changes under it', () => {
  const r = rng(11);
  const stable = Array.from({ length: 2000 }, (_, i) => `s${String(i).padStart(5, '0')}`);
  const s = SortedKeys.fromSorted([...stable]);
  const seen: string[] = [];
  for (const k of s.from()) {
    seen.push(k);
    for (let j = 0; j < 3; j++) {
      // churn around and ahead of the cursor, forcing splits and merges
      const c = `s${String(Math.floor(r() * 2000)).padStart(5, '0')}x${j}`;
      if (r() < 0.5) s.add(c);
      else s.delete(c);
    }
  }
  for (let i = 1; i < seen.length; i++)
    assert.ok(seen[i - 1] < seen[i], `out of order or repeated at ${i}: ${seen[i - 1]} ${seen[i]}`);
  const got = new Set(seen);
  for (const k of stable) assert.ok(got.has(k), `missing ${k}`);
});

function diskNames(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const d of readdirSync(join(root, rel), { withFileTypes: true })) {
    if (d.name.startsWith('.aisetl-tmp-')) continue;
    if (d.isDirectory()) out.push(...diskNames(root, rel + d.name + '/'));
    else out.push(rel + d.name);
  }
  return out;
}

test('the index follows the store: PUT adds names and folders, DELETE removes them and pruned folders', async (t) => {
  const store = new TargetStore('TTTTTTTT', tmp(t));
  const root = store.bucketDir('b');
  mkdirSync(root, { recursive: true });
  for (let i = 0; i < 2500; i++) writeFileSync(join(root, `o${String(i).padStart(5, '0')}`), 'x'); // before the index exists
  await store.createBucketDir('b');
  await store.indexed.get('b');
  assert.equal(indexStats(root).keys, 2500);
  await store.put('b', 'a/deep/x', Buffer.from('1'));
  await store.put('b', 'o00000-new', Buffer.from('2'));
  assert.ok(await store.delete('b', 'o00001'));
  let names = await listAll(root);
  assert.deepEqual(names, diskNames(root).sort());
  assert.ok(names.includes('a/deep/x') && names.includes('o00000-new') && !names.includes('o00001'));
  const level: string[] = [];
  for await (const e of walkOneLevel(root, '', '')) if (e.isDir) level.push(e.name);
  assert.deepEqual(level, ['a/']);
  assert.ok(await store.delete('b', 'a/deep/x')); // prunes a/deep and a
  level.length = 0;
  for await (const e of walkOneLevel(root, '', '')) if (e.isDir) level.push(e.name);
  assert.deepEqual(level, [], 'a pruned virtual folder must leave the one-level listing');
  names = await listAll(root);
  assert.deepEqual(names, diskNames(root).sort());
});

test('writes and deletes that race the index build are neither lost nor resurrected', async (t) => {
  const store = new TargetStore('TTTTTTTT', tmp(t));
  const root = store.bucketDir('b');
  mkdirSync(root, { recursive: true });
  for (let i = 0; i < 6000; i++) writeFileSync(join(root, `o${String(i).padStart(5, '0')}`), 'x');
  for (let round = 0; round < 5; round++) {
    dropIndexesUnder(root);
    const building = warmIndex(root);
    // these complete while (or just after) the folder is being read
    await Promise.all([
      ...Array.from({ length: 40 }, (_, i) => store.put('b', `r${round}-${i}`, Buffer.from('n'))),
      ...Array.from({ length: 40 }, (_, i) => store.delete('b', `o${String(round * 40 + i).padStart(5, '0')}`)),
    ]);
    await building;
    assert.equal(indexStats(root).building, 0);
    assert.deepEqual(await listAll(root), diskNames(root).sort(), `round ${round}: index and disk disagree`);
  }
});

test('paging through a big bucket while objects are added and deleted: no duplicates, nothing stable missing', async (t) => {
  process.env.AISETL_FSYNC = '0';
  const f = await startFixture();
  t.after(async () => {
    delete process.env.AISETL_FSYNC;
    await stopFixture(f);
  });
  await call('POST', f.ep + '/v1/buckets/churn', { json: { action: 'create-bck' } });
  const stable: string[] = [],
    doomed: string[] = [];
  for (let i = 0; i < 4000; i++) (i % 4 === 3 ? doomed : stable).push(`o${String(i).padStart(5, '0')}`);
  let next = 0;
  const all = [...stable, ...doomed];
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < all.length) {
        const n = all[next++];
        assert.equal((await call('PUT', f.ep + `/v1/objects/churn/${n}`, { body: 'x' })).status, 200);
      }
    }),
  );
  let victims = 0; // each DELETE takes the next doomed object (over both rounds)
  for (const oneLevel of [false, true]) {
    let stop = false;
    let added = 0,
      deleted = 0;
    const waiters: (() => void)[] = []; // pages wait for a churn request, so the churn overlaps however fast listing is
    const churn = (async () => {
      let i = 0;
      while (!stop) {
        const victim = i % 2 ? doomed[victims++ % doomed.length] : '';
        const r = await call(
          i % 2 ? 'DELETE' : 'PUT',
          f.ep + `/v1/objects/churn/${i % 2 ? victim : `n${oneLevel ? 1 : 0}-${String(i).padStart(5, '0')}`}`,
          i % 2 ? {} : { body: 'y' },
        );
        if (r.status === 200) {
          if (i % 2) deleted++;
          else added++;
        }
        i++;
        for (const w of waiters.splice(0)) w();
      }
    })();
    const seen: string[] = [];
    let token = '';
    do {
      const r = await call('GET', f.ep + '/v1/buckets/churn?provider=ais', {
        json: {
          action: 'list',
          name: '',
          value: {
            prefix: '',
            pagesize: 97,
            continuation_token: token,
            flags: oneLevel ? String(1 << 11) : '0',
            props: 'name,size',
          },
        },
      });
      assert.equal(r.status, 200);
      const page = JSON.parse(r.body.toString()) as { entries: { name: string }[]; continuation_token: string };
      seen.push(...page.entries.map((e) => e.name));
      token = page.continuation_token;
      await new Promise<void>((res) => waiters.push(res)); // let the churn run between pages
    } while (token);
    stop = true;
    await churn;
    assert.ok(added > 10 && deleted > 10, `the churn must overlap the listing (added ${added}, deleted ${deleted})`);
    for (let i = 1; i < seen.length; i++)
      assert.ok(
        seen[i - 1] < seen[i],
        `oneLevel=${oneLevel}: out of order or duplicate at ${i}: ${seen[i - 1]}, ${seen[i]}`,
      );
    const got = new Set(seen);
    const missing = stable.filter((n) => !got.has(n));
    assert.deepEqual(missing, [], `oneLevel=${oneLevel}: objects that existed throughout are missing`);
  }
});
