import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { HEAD_BYTES, removeStaleResultDirs, resultFileName, saveStream } from '../../../src/editors/resultFiles';
import { mkdir } from 'node:fs/promises';

test('a result is streamed to a file; only a head sample stays in memory', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'res-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const chunks = Array.from({ length: 50 }, (_, i) => Buffer.alloc(1000, 65 + (i % 26)));
  const seen: number[] = [];
  const r = await saveStream(Readable.from(chunks), dir, 'out.bin', { onBytes: (n) => seen.push(n) });
  assert.equal(r.size, 50_000);
  assert.equal(r.head.length, HEAD_BYTES);
  assert.deepEqual(r.head, Buffer.concat(chunks).subarray(0, HEAD_BYTES));
  assert.deepEqual(await readFile(r.file), Buffer.concat(chunks));
  assert.equal(seen.at(-1), 50_000);
});

test('a failing stream leaves no partial file', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'res-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const body = new Readable({
    read() {
      this.push(Buffer.from('partial'));
      this.destroy(new Error('ETL worker died'));
    },
  });
  await assert.rejects(saveStream(body, dir, 'x.out'), /ETL worker died/);
  assert.deepEqual(await readdir(dir), []);
});

test('result file names are safe', () => {
  assert.equal(resultFileName(3, 'dir/sub/shard in.tar', 'md5'), '3-md5-shard_in.tar');
  assert.equal(resultFileName(1, 'a/', 'e'), '1-e-object');
});

test('result folders of dead windows are removed; live ones and foreign folders stay', async (t) => {
  const parent = await mkdtemp(join(tmpdir(), 'stale-'));
  t.after(() => rm(parent, { recursive: true, force: true }));
  const dead = 2 ** 22 + 12345; // above Linux's default pid_max: never a live process
  for (const n of [`res-${dead}`, `res-${process.pid}`, `res-${process.ppid}`, 'res-notapid', 'other-1'])
    await mkdir(join(parent, n, 'x'), { recursive: true });
  await removeStaleResultDirs(parent, 'res-');
  assert.deepEqual(
    (await readdir(parent)).sort(),
    ['other-1', `res-${process.pid}`, `res-${process.ppid}`, 'res-notapid'].sort(),
  );
});
