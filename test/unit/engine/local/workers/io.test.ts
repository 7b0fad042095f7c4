import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { startWorker } from '../../../../../src/engine/local/workers';
import {
  IO_MD5_FIXED,
  makeCtx,
  pidAlive,
  readAll,
  SHARD_IN,
  SHARD_MD5,
  tmpDir,
  tutorialFile,
  writeObject,
} from './helpers';

const ioSpec = (code: string, objTimeoutMs = 10000) => ({
  name: 'compute-md5',
  commType: 'io://' as const,
  initTimeoutMs: 10000,
  objTimeoutMs,
  supportDirectPut: false,
  source: { type: 'io' as const, code, runtime: 'python3.11v2' },
  env: [],
});

/** Python processes whose command line mentions `dir` (the per-object scripts of this test). */
function scriptPids(dir: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(dir);
      } catch {
        return false;
      }
    })
    .map(Number)
    .filter(pidAlive);
}

describe('io:// worker', () => {
  it('runs the script per object with the object on stdin (fixed tutorial script → md5)', async (t) => {
    const dir = tmpDir(t);
    const w = await startWorker(ioSpec(IO_MD5_FIXED), makeCtx(dir));
    t.after(() => w.stop());
    assert.equal(w.state, 'running');
    const out = await w.transform(writeObject(dir, 'shard.in', SHARD_IN));
    assert.equal(out.status, 200);
    assert.equal((await readAll(out.body)).toString(), SHARD_MD5);
  });

  it('the tutorial io script as printed fails with its TypeError traceback as a 500 body', async (t) => {
    const dir = tmpDir(t);
    const w = await startWorker(ioSpec(tutorialFile('io/code.py')), makeCtx(dir));
    t.after(() => w.stop());
    const out = await w.transform(writeObject(dir, 'shard.in', SHARD_IN));
    assert.equal(out.status, 500);
    const body = (await readAll(out.body)).toString();
    assert.match(body, /Traceback \(most recent call last\)/);
    assert.match(body, /TypeError: object supporting the buffer API required/);
    assert.match(w.logs(), /TypeError/);
  });

  it('large output is streamed (more than the hold buffer)', async (t) => {
    const dir = tmpDir(t);
    const code = 'import sys\ndata = sys.stdin.buffer.read()\nfor _ in range(40):\n    sys.stdout.buffer.write(data)\n';
    const w = await startWorker(ioSpec(code), makeCtx(dir));
    t.after(() => w.stop());
    const chunk = Buffer.alloc(64 * 1024, 7);
    const out = await w.transform(writeObject(dir, 'big', chunk));
    assert.equal(out.status, 200);
    assert.equal((await readAll(out.body)).length, 40 * chunk.length);
  });

  it('a script that hangs is killed at obj_timeout (504) and leaves no process', async (t) => {
    const dir = tmpDir(t);
    const w = await startWorker(ioSpec('import time\ntime.sleep(3600)\n', 400), makeCtx(dir));
    t.after(() => w.stop());
    const out = await w.transform(writeObject(dir, 'x', 'y'));
    assert.equal(out.status, 504);
    assert.match((await readAll(out.body)).toString(), /obj_timeout \(400 ms\)/);
    assert.deepEqual(scriptPids(dir), []);
  });

  it('stop() kills scripts still running', async (t) => {
    const dir = tmpDir(t);
    const w = await startWorker(ioSpec('import time\ntime.sleep(3600)\n', 60000), makeCtx(dir));
    const pending = w.transform(writeObject(dir, 'x', 'y'));
    for (let i = 0; i < 100 && scriptPids(dir).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(scriptPids(dir).length, 1);
    await w.stop();
    assert.deepEqual(scriptPids(dir), []);
    assert.equal(w.state, 'stopped');
    await pending.then(
      (o) => assert.ok(o.status >= 400),
      () => undefined,
    );
  });
});
