// Offline jobs account for every selected object: each is written or listed as failed with its reason, the REST
// progress (snap ext) and the engine's JobProgress say "N written, M failed", a worker that silently drops objects
// of a batch cannot make a job look complete, and a job cut short by a crash is reported aborted after a restart.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AisClient } from '../../../../src/engine/ais';
import { startLocalCluster } from '../../../../src/engine/local';
import { CRASHED_JOB_ERR } from '../../../../src/engine/local/jobs/records';
import type { WorkerFactory } from '../../../../src/engine/local/worker-contract';
import { call, codeInit, standInFactory, startFixture, stopFixture } from './helpers';

const N = 60;
const bck = (name: string) => `ais://${name}`;

async function seed(ep: string, names: string[]): Promise<void> {
  await call('POST', ep + '/v1/buckets/src', { json: { action: 'create-bck' } });
  for (const n of names)
    assert.equal((await call('PUT', `${ep}/v1/objects/src/${n}`, { body: `object ${n}` })).status, 200);
  assert.equal((await call('PUT', ep + '/v1/etl', { json: codeInit('acct-md5') })).status, 200);
}

/** Seeds `names` into src and runs acct-md5 over it into dst, continuing on errors, to the job's end. */
async function transformSeeded(t: TestContext, ep: string, names: string[]) {
  await seed(ep, names);
  const client = new AisClient({ endpoint: ep });
  t.after(() => client.close());
  const id = await client.startBucketTransform({
    src: bck('src'),
    dst: bck('dst'),
    etl: { name: 'acct-md5' },
    continueOnError: true,
  });
  return { client, id, p: await client.waitJob(id, 'etl-bck', { intervalMs: 50 }) };
}

for (const batch of [false, true]) {
  test(`${batch ? 'batch' : 'per-object'} path: failures are listed one by one with their reason; totals add up`, async (t) => {
    const f = await startFixture({ worker: { batch }, aisVersion: '3.29' }); // code ETLs: 3.29;
    t.after(() => stopFixture(f));
    const names = Array.from({ length: N }, (_, i) => (i % 10 === 3 ? `fail-${i}` : `ok-${i}`));
    const { client, id, p } = await transformSeeded(t, f.ep, names);
    assert.equal(p.aborted, false);
    assert.equal(p.written, N - 6);
    assert.equal(p.failed, 6);
    assert.deepEqual(
      p.failedObjs!.map((x) => x.objName).sort(),
      names
        .filter((n) => n.startsWith('fail'))
        .map((n) => `ais://src/${n}`)
        .sort(),
    );
    for (const x of p.failedObjs!) assert.match(x.message, /ETL error: .*boom/);
    assert.equal(p.objs, p.written);
    const listed = await client.listObjectsPage('dst', { pageSize: 1000 });
    assert.equal(listed.entries.length, p.written, 'every object counted as written is in the destination');
    assert.ok(
      f.logs.some((l) => l.includes(`etl-bck[${id}] finished: ${N - 6} written, 6 failed`)),
      f.logs.join('\n'),
    );
  });
}

test('a batch worker that silently drops objects: the job lists them as failed instead of ending "done"', async (t) => {
  const inner = standInFactory({ batch: true });
  // answers every object of each batch except those named "lost-*": no result, no error (a lost response)
  const factory: WorkerFactory = async (spec, ctx) => {
    const w = await inner(spec, ctx);
    const tb = w.transformBatch!.bind(w);
    return Object.assign(Object.create(w) as typeof w, {
      transformBatch: (inputs: Parameters<typeof tb>[0], onResult: Parameters<typeof tb>[1], signal?: AbortSignal) =>
        tb(
          inputs,
          (i, out) => {
            if (!inputs[i].objName.startsWith('lost-')) onResult(i, out);
          },
          signal,
        ),
    });
  };
  const f = await startFixture({ factory, aisVersion: '3.29' });
  t.after(() => stopFixture(f));
  const names = Array.from({ length: 40 }, (_, i) => (i % 8 === 0 ? `lost-${i}` : `ok-${i}`));
  const { p } = await transformSeeded(t, f.ep, names);
  assert.equal(p.written, 35);
  assert.equal(p.failed, 5, 'the 5 dropped objects are failures, not a silent gap');
  assert.ok(p.failedObjs!.every((x) => /returned no result/.test(x.message)));
});

test('a job recorded as running when the cluster was killed is shown aborted after the restart, with its counts', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'aisetl-jobrec-'));
  mkdirSync(join(dir, 'jobs'));
  writeFileSync(join(dir, 'cluster.json'), JSON.stringify({ proxyId: 'P1', targets: ['T1'] }));
  const perTarget = {
    T1: { locObjs: 7, locBytes: 70, outObjs: 0, outBytes: 0, inObjs: 0, inBytes: 0, failed: [], failedObjs: 0 },
  };
  const spec = {
    kind: 'etl-bck',
    src: 'a',
    dst: 'b',
    etlName: 'x',
    pipeline: [],
    prefix: '',
    prepend: '',
    ext: {},
    dryRun: false,
    coer: false,
    numWorkers: 0,
  };
  writeFileSync(
    join(dir, 'jobs', 'J1.json'),
    JSON.stringify({ id: 'J1', spec, startTime: new Date().toISOString(), aborted: false, err: '', perTarget }),
  );
  const logs: string[] = [];
  const c = await startLocalCluster({
    dataDir: dir,
    targets: 1,
    workerFactory: standInFactory(),
    log: (l) => logs.push(l),
  });
  const client = new AisClient({ endpoint: c.endpoint });
  t.after(async () => {
    await client.close();
    await c.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const p = await client.jobProgress('J1', 'etl-bck');
  assert.equal(p.running, false);
  assert.equal(p.aborted, true);
  assert.equal(p.err, CRASHED_JOB_ERR);
  assert.equal(p.written, 7);
  assert.ok(
    logs.some((l) => l.includes('etl-bck[J1] aborted') && l.includes('7 written, 0 failed')),
    logs.join('\n'),
  );
});
