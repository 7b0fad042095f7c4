import assert from 'node:assert/strict';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import { LocalRunError, runTransformLocally, type LocalRunRequest } from '../../../../src/engine/run';
import {
  CLASS_MD5,
  FQN_SERVER,
  IO_MD5,
  SHARD_IN,
  TUTORIAL,
  md5,
  processesMentioning,
  readAll,
  tempDir,
  useSharedPythonCache,
} from './helpers';
import { prereqSkip } from './testPython';

const tmp = tempDir();
useSharedPythonCache();
before(() => useSharedPythonCache());
const NO_SDK = prereqSkip('sdk');
after(() => tmp.remove());

type Exit = Awaited<Awaited<ReturnType<typeof runTransformLocally>>['exitInfo']>;

async function run(file: string, extra: Partial<LocalRunRequest> = {}): Promise<{ out: string; exit: Exit }> {
  const r = await runTransformLocally({ file, input: SHARD_IN, objectName: 'transform/shard.in', ...extra });
  const out = (await readAll(r.output)).toString();
  return { out, exit: await r.exitInfo };
}

test('code: transform(bytes) of the tutorial code.py gives the md5 of shard.in', async () => {
  const { out, exit } = await run(path.join(TUTORIAL, 'code.py'));
  assert.deepEqual(exit, { ok: true });
  assert.equal(out, md5(SHARD_IN));
});

test('code: a second parameter receives etl_args', async () => {
  const code = 'def transform(data, args):\n    return data.upper() + b"|" + (args or "none").encode()\n';
  const file = tmp.write('args.py', code);
  assert.equal((await run(file, { etlArgs: 'x=1' })).out, 'SOME TEXT :)\n|x=1');
  assert.equal((await run(file)).out, 'SOME TEXT :)\n|none');
});

test('io: the script gets the object on stdin and its stdout is the result, streamed for big objects', async () => {
  assert.equal((await run(tmp.write('io_md5.py', IO_MD5))).out, md5(SHARD_IN));
  const copier = 'import sys, shutil\nshutil.copyfileobj(sys.stdin.buffer, sys.stdout.buffer, 1 << 16)\n';
  const copy = tmp.write('io_copy.py', copier);
  const chunk = Buffer.alloc(1 << 20, 7);
  const big = Readable.from(
    (function* () {
      for (let i = 0; i < 32; i++) yield chunk;
    })(),
  );
  const r = await runTransformLocally({ file: copy, input: big });
  let bytes = 0;
  for await (const c of r.output) bytes += (c as Buffer).length;
  assert.equal(bytes, 32 << 20);
  assert.deepEqual(await r.exitInfo, { ok: true });
});

test('a crashing transform fails with the traceback at the user file and line, and a hint', async () => {
  const file = path.join(TUTORIAL, 'io', 'code.py'); // the tutorial io:// script iterates ints: TypeError on line 6
  const { exit } = await run(file);
  assert.equal(exit.ok, false);
  const err = (exit as { ok: false; error: LocalRunError }).error;
  assert.ok(err instanceof LocalRunError);
  assert.match(err.message, /TypeError/);
  assert.ok(err.message.includes(`${file}:6`), err.message);
  assert.match(err.traceback, new RegExp(`File "${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}", line 6`));
  assert.doesNotMatch(err.traceback, /aisetl_run\.py|runpy\.py/);
  assert.ok(err.hint.length > 0);
});

test('server: the tutorial Pod spec on AIS 3.29 gets the bytes (PUT answered 501, retried with POST)', async () => {
  const notes: string[] = [];
  const { out, exit } = await run(path.join(TUTORIAL, 'spec.yaml'), { aisVersion: '3.29', log: (l) => notes.push(l) });
  assert.deepEqual(exit, { ok: true });
  assert.equal(out, md5(SHARD_IN));
  assert.ok(
    notes.some((n) => /501/.test(n) && /do_PUT/.test(n)),
    notes.join('\n'),
  );
});

test('server: on AIS 5.0 the server gets etl_fqn and an empty body', async () => {
  const file = tmp.write('fqn_server.py', FQN_SERVER);
  const { out, exit } = await run(file, { aisVersion: '5.0' });
  assert.deepEqual(exit, { ok: true });
  assert.equal(out, md5(SHARD_IN));
  assert.deepEqual(processesMentioning(file), []);
});

test(
  'etl-class: an ETLServer subclass served by the SDK itself answers the md5',
  { timeout: 600_000, skip: NO_SDK },
  async () => {
    const file = tmp.write('md5_server.py', CLASS_MD5);
    const { out, exit } = await run(file);
    assert.deepEqual(exit, { ok: true });
    assert.equal(out, md5(SHARD_IN));
    assert.deepEqual(processesMentioning(file), []);
  },
);

test(
  'etl-class: a raising transform gives its traceback at the user line',
  { timeout: 600_000, skip: NO_SDK },
  async () => {
    const file = tmp.write('bad_server.py', CLASS_MD5.replace('md5.update(data)', 'md5.update(data.decode())'));
    const { exit } = await run(file);
    assert.equal(exit.ok, false);
    const err = (exit as { ok: false; error: LocalRunError }).error;
    assert.ok(err.traceback.includes(`File "${file}", line 8`), err.traceback);
    assert.match(err.message, /500/);
  },
);

test('abort and timeout stop the whole run: no process is left behind', async () => {
  const file = tmp.write('sleepy.py', 'import time\ndef transform(data):\n    time.sleep(60)\n    return data\n');
  const ac = new AbortController();
  const r = await runTransformLocally({ file, input: SHARD_IN, signal: ac.signal });
  await new Promise((res) => setTimeout(res, 300));
  assert.ok(processesMentioning(file).length > 0);
  ac.abort();
  const exit = await r.exitInfo;
  assert.equal(exit.ok, false);
  assert.match((exit as { ok: false; error: Error }).error.message, /cancelled/);
  assert.deepEqual(processesMentioning(file), []);
  const t = await run(file, { timeoutMs: 500 });
  assert.match((t.exit as { ok: false; error: Error }).error.message, /did not finish within 500 ms/);
  assert.deepEqual(processesMentioning(file), []);
});

test('a file that is no ETL is refused with what the runner expects', async () => {
  const file = tmp.write('notes.py', 'x = 1\n');
  await assert.rejects(runTransformLocally({ file, input: SHARD_IN }), /not an ETL this can run/);
});
