// Small job outputs are written on worker threads (storage/smallWriter.ts): same atomicity and error reporting as
// writeAtomic, and idle threads must never keep a process alive.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TargetStore } from '../../../../../src/engine/local/storage/target-store';
import { tempRoot } from './helpers';

const tmp = (t: TestContext) => tempRoot(t, 'sw');

test('non-durable small PUTs land whole, in new folders too, and report md5 and size', async (t) => {
  const store = new TargetStore('TTTTTTTT', tmp(t));
  const names = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? `deep/${i % 7}/o${i}` : `o${i}`));
  const res = await Promise.all(names.map((n) => store.put('b', n, Buffer.from(`body ${n}`), undefined, false)));
  assert.equal(res[5].size, Buffer.byteLength(`body ${names[5]}`));
  assert.equal(res[5].md5, require('node:crypto').createHash('md5').update(`body ${names[5]}`).digest('hex'));
  for (const n of names) assert.equal(readFileSync(store.objPath('b', n), 'utf8'), `body ${n}`);
  assert.deepEqual(
    readdirSync(store.bucketDir('b')).filter((n) => n.startsWith('.aisetl-tmp-')),
    [],
    'no temp file may remain',
  );
});

test('a small write that collides with a virtual folder fails with 409 and leaves no temp file', async (t) => {
  const store = new TargetStore('TTTTTTTT', tmp(t));
  mkdirSync(join(store.bucketDir('b'), 'a', 'b'), { recursive: true });
  await assert.rejects(
    store.put('b', 'a', Buffer.from('x'), undefined, false),
    (e: Error & { status?: number }) => e.status === 409 && /cannot both exist/.test(e.message),
  );
  await store.put('b', 'f', Buffer.from('x'), undefined, false);
  await assert.rejects(
    store.put('b', 'f/g', Buffer.from('x'), undefined, false),
    (e: Error & { status?: number }) => e.status === 409,
  );
  assert.deepEqual(readdirSync(store.bucketDir('b')).sort(), ['a', 'f']);
});

test('the writer threads do not keep a finished process alive', async (t) => {
  const dir = tmp(t);
  const script =
    `require(${JSON.stringify(join(__dirname, '../../../../../src/engine/local/storage/smallWriter.ts'))})` +
    `.writeSmallAtomic(process.argv[1] + '/.t', process.argv[1] + '/done', Buffer.from('ok')).then(() => console.log('written'));`;
  const out = await new Promise<{ err: Error | null; stdout: string }>((resolve) => {
    // the timeout only turns a hang into a failure; how fast it exits is not asserted
    execFile(process.execPath, ['--import', 'tsx', '-e', script, dir], { timeout: 60_000 }, (err, stdout) =>
      resolve({ err, stdout }),
    );
  });
  assert.equal(out.err, null, `the process did not exit by itself: ${String(out.err)}`);
  assert.equal(out.stdout.trim(), 'written');
  assert.equal(readFileSync(join(dir, 'done'), 'utf8'), 'ok');
});
