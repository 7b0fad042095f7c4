// Storage: atomic writes (an aborted PUT leaves nothing), lazy ordered listing, name rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { TargetStore } from '../../../../../src/engine/local/storage/target-store';
import { walkObjects, walkOneLevel } from '../../../../../src/engine/local/storage/listing';
import { objNameError } from '../../../../../src/engine/local/storage/names';
import { call, startFixture, stopFixture } from '../helpers';

function tmp(t: { after(fn: () => void): void }): string {
  const d = mkdtempSync(join(tmpdir(), 'aisetl-store-'));
  t.after(() => rmSync(d, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 }));
  return d;
}

test('a failing body stream leaves neither the object nor a temp file', async (t) => {
  const store = new TargetStore('TTTTTTTT', tmp(t));
  await store.put('b', 'keep', Buffer.from('old'));
  const body = new Readable({
    read() {
      this.push(Buffer.alloc(64 << 10, 1));
      this.destroy(new Error('client went away'));
    },
  });
  await assert.rejects(store.put('b', 'keep', body), /client went away/);
  await assert.rejects(
    store.put(
      'b',
      'new/obj',
      new Readable({
        read() {
          this.destroy(new Error('boom'));
        },
      }),
    ),
    /boom/,
  );
  assert.deepEqual(
    readdirSync(store.bucketDir('b')).filter((n) => n !== 'new'),
    ['keep'],
  );
  assert.deepEqual(
    existsSync(join(store.bucketDir('b'), 'new')) ? readdirSync(join(store.bucketDir('b'), 'new')) : [],
    [],
  );
  const st = await store.stat('b', 'keep');
  assert.equal(st?.size, 3, 'the old object must survive a failed overwrite');
});

test('a PUT aborted mid-body over HTTP leaves no object and no temp file', async (t) => {
  const f = await startFixture();
  t.after(() => stopFixture(f));
  await call('POST', f.ep + '/v1/buckets/atom', { json: { action: 'create-bck' } });
  const first = await call('PUT', f.ep + '/v1/objects/atom/big.bin', { body: 'tiny' }); // learn the owning target
  const target = new URL(first.hops[0]);
  await call('DELETE', f.ep + '/v1/objects/atom/big.bin');
  await new Promise<void>((resolve) => {
    const req = httpRequest({
      host: target.hostname,
      port: target.port,
      method: 'PUT',
      path: '/v1/objects/atom/big.bin',
      headers: { 'content-length': 10 << 20 },
    });
    req.on('error', () => resolve());
    req.write(Buffer.alloc(1 << 20, 7), () =>
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 100),
    );
  });
  // the server notices the reset asynchronously: poll (no timing assertion) until the temp file is gone
  const tid = f.cluster.targets.find((x) => x.url === `${target.protocol}//${target.host}`)!.id;
  const dir = join(f.dir, tid, 'atom');
  for (let i = 0; i < 200 && readdirSync(dir).length > 0; i++) await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(readdirSync(dir), []);
  assert.equal((await call('GET', f.ep + '/v1/objects/atom/big.bin')).status, 404);
});

test('listing walks in object-name byte order ("a-c" < "a/b" < "a0") and resumes after a token', async (t) => {
  const store = new TargetStore('TTTTTTTT', tmp(t));
  const names = ['a/b', 'a-c', 'a0', 'a/b/c'.replace('/c', 'x'), 'z', 'a/a/a', 'b.txt', 'a/c'];
  for (const n of names) await store.put('b', n, Buffer.from(n));
  const all: string[] = [];
  for await (const e of walkObjects(store.bucketDir('b'))) all.push(e.name);
  assert.deepEqual(all, [...names].sort());
  const after: string[] = [];
  for await (const e of walkObjects(store.bucketDir('b'), '', 'a/a/a')) after.push(e.name);
  assert.deepEqual(
    after,
    [...names].sort().filter((n) => n > 'a/a/a'),
  );
  const pref: string[] = [];
  for await (const e of walkObjects(store.bucketDir('b'), 'a/')) pref.push(e.name);
  assert.deepEqual(
    pref,
    [...names].sort().filter((n) => n.startsWith('a/')),
  );
  const level: string[] = [];
  for await (const e of walkOneLevel(store.bucketDir('b'), '')) level.push(e.name + (e.isDir ? ' (dir)' : ''));
  assert.deepEqual(level, ['a-c', 'a/ (dir)', 'a0', 'b.txt', 'z']);
});

test('the first page of a big flat bucket needs only one directory read, not a walk of all objects', async (t) => {
  const store = new TargetStore('TTTTTTTT', tmp(t));
  for (let i = 0; i < 300; i++) await store.put('b', `d${i % 30}/o${i}`, Buffer.from('x'), undefined, false);
  const it = walkObjects(store.bucketDir('b'));
  const first: string[] = [];
  for await (const e of it) {
    first.push(e.name);
    if (first.length === 10) break;
  }
  assert.equal(first.length, 10);
  assert.ok(
    first.every((n) => n.startsWith('d0/')),
    'the walk starts in the first folder and stops there',
  );
});

test('object name rules', () => {
  for (const ok of ['a', 'a/b/c.txt', 'dir.with.dots/x', 'ünï/😀', 'a..b', '...'])
    assert.equal(objNameError(ok), undefined, ok);
  for (const bad of [
    '',
    '/abs',
    'a/',
    'a//b',
    '../x',
    'a/./b',
    'a\\b',
    'a\0b',
    '.aisetl-tmp-x',
    'x/' + 'y'.repeat(256),
    'z'.repeat(1025),
  ])
    assert.ok(objNameError(bad), JSON.stringify(bad));
});
