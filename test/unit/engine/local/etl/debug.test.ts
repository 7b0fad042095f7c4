// Attaching a debugger to an ETL running on the local cluster: POST /v1/etl/<name>/debug restarts the workers under
// debugpy, a breakpoint in the user's own copy of the tutorial code.py (mapped onto the worker's copy) stops the next
// inline transform with the object's bytes in view, and disabling brings back normal workers with no debugpy left.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { LocalCluster } from '../../../../../src/engine/local';
import { tcpAccepts } from '../../../../../src/engine/local/workers/ports';
import type { DebugAnswer } from '../../../../../src/engine/local/etl/debug';
import { SHARD_IN, TUTORIAL, md5, tempDir } from '../../run/helpers';
import { prereqSkip, useSharedPythonCache } from '../../run/testPython';
import { b64, call, pidAlive } from '../helpers';
import {
  attach,
  childrenOf,
  etlLog,
  firstStop,
  locals,
  startDebugCluster,
  setDebug as setEtlDebug,
} from './debugHelpers';

useSharedPythonCache();
const NO_DEBUGPY = prereqSkip('debugpy');
const ETL = 'md5-debug';
const tmp = tempDir();
let cluster: LocalCluster;
let ep: string;

before(async () => {
  if (NO_DEBUGPY) return;
  cluster = await startDebugCluster(tmp.dir, 2, '3.29');
  ep = cluster.endpoint;
});
after(async () => {
  await cluster?.stop();
  tmp.remove();
});

const userCode = (): string => tmp.write('code.py', fs.readFileSync(path.join(TUTORIAL, 'code.py'), 'utf8'));

const setDebug = (enable: boolean): Promise<DebugAnswer> => setEtlDebug(ep, ETL, enable);

async function objectWhenThere(bucket: string, name: string): Promise<string> {
  for (let i = 0; i < 400; i++) {
    const r = await call('GET', `${ep}/v1/objects/${bucket}/${name}`);
    if (r.status === 200) return r.body.toString().trim();
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`${bucket}/${name} was not written`);
}

const inlineMd5 = async (): Promise<{ status: number; text: string }> => {
  const r = await call('GET', `${ep}/v1/objects/transform/shard.in?etl_name=${ETL}`);
  return { status: r.status, text: r.body.toString().trim() };
};

test(
  'attach to the local ETL: breakpoint in the user code.py stops the inline transform and a bucket job',
  { timeout: 300_000, skip: NO_DEBUGPY },
  async () => {
    assert.equal((await call('POST', `${ep}/v1/buckets/transform`, { json: { action: 'create-bck' } })).status, 200);
    assert.equal((await call('PUT', `${ep}/v1/objects/transform/shard.in`, { body: SHARD_IN })).status, 200);
    const init = {
      name: ETL,
      runtime: 'python3.11v2',
      communication: 'hpush://',
      init_timeout: '5m',
      obj_timeout: '45s',
      funcs: { transform: 'transform' },
      code: b64(fs.readFileSync(userCode(), 'utf8')),
      argument: '',
    };
    assert.equal((await call('PUT', `${ep}/v1/etl`, { json: init })).status, 200);
    const normalPids = cluster.workerPids();

    const on = await setDebug(true);
    assert.equal(on.enabled, true);
    assert.equal(on.obj_timeout_suspended, true);
    assert.equal(on.targets.length, 2);
    assert.ok(
      normalPids.every((p) => !pidAlive(p)),
      'the normal workers were replaced',
    );
    const userFile = path.join(tmp.dir, 'code.py');
    const daps = await Promise.all(on.targets.map((t) => attach(t.port, userFile, t.code_file as string, 5)));
    const debugPids = cluster.workerPids();
    const helpers = debugPids.flatMap(childrenOf); // debugpy's adapter processes

    const result = inlineMd5();
    const stopped = await firstStop(daps);
    const seen = await locals(stopped.d, stopped.m);
    assert.equal(seen.line, 5);
    assert.equal(seen.file, userFile);
    assert.equal(seen.vars.get('input_bytes'), String.raw`b'some text :)\n'`);
    assert.match(await etlLog(ep, ETL), /obj_timeout .* suspended/);
    await stopped.d.request('continue', { threadId: stopped.m.body?.threadId });
    assert.deepEqual(await result, { status: 200, text: md5(SHARD_IN) });

    // a bucket job stops at the same breakpoint for its object, then writes the md5
    const bckTo = encodeURIComponent('ais/@#/transform-md5/');
    const job = await call('POST', `${ep}/v1/buckets/transform?provider=ais&bck_to=${bckTo}`, {
      json: { action: 'etl-bck', value: { id: ETL } },
    });
    assert.equal(job.status, 200, job.body.toString());
    const again = await firstStop(daps);
    assert.equal((await locals(again.d, again.m)).vars.get('input_bytes'), String.raw`b'some text :)\n'`);
    await again.d.request('continue', { threadId: again.m.body?.threadId });
    assert.equal(await objectWhenThere('transform-md5', 'shard.in'), md5(SHARD_IN));
    for (const d of daps) d.close();

    const off = await setDebug(false);
    assert.equal(off.enabled, false);
    assert.deepEqual(await inlineMd5(), { status: 200, text: md5(SHARD_IN) });
    for (const p of [...debugPids, ...helpers]) assert.equal(pidAlive(p), false, `debug process ${p} survived`);
    for (const t of on.targets) assert.equal(await tcpAccepts(t.host, t.port), false, `port ${t.port} still listens`);
    for (const p of cluster.workerPids())
      assert.doesNotMatch(fs.readFileSync(`/proc/${p}/environ`, 'utf8'), /AISETL_DEBUGPY_LISTEN/);
  },
);

test(
  'debug of an unknown ETL is a 404, a body without a boolean "enable" a 400 saying what to send',
  { skip: NO_DEBUGPY },
  async () => {
    const r = await call('POST', `${ep}/v1/etl/nope-etl/debug`, { json: { enable: true } });
    assert.equal(r.status, 404);
    const bad = await call('POST', `${ep}/v1/etl/${ETL}/debug`, { json: { enable: 'yes' } });
    assert.equal(bad.status, 400);
    assert.match((JSON.parse(bad.body.toString()) as { message: string }).message, /"enable": true/);
  },
);

test('an ETL that is not running cannot be debugged: the answer says to start it', { skip: NO_DEBUGPY }, async () => {
  assert.equal((await call('POST', `${ep}/v1/etl/${ETL}/stop`)).status, 200);
  const r = await call('POST', `${ep}/v1/etl/${ETL}/debug`, { json: { enable: true } });
  assert.equal(r.status, 400);
  assert.match((JSON.parse(r.body.toString()) as { message: string }).message, /not running: start it/);
  const off = await call('POST', `${ep}/v1/etl/${ETL}/debug`, { json: { enable: false } });
  assert.equal(off.status, 200, 'ending debugging of an ETL stopped meanwhile is no error');
  assert.equal((JSON.parse(off.body.toString()) as DebugAnswer).enabled, false);
});
