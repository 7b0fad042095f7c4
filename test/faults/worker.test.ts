// ETL worker faults under a bucket job, through real worker processes (a node server run by a runtime spec):
// killed mid-job, hanging past obj_timeout, answering 5xx, answering bytes that are not HTTP, closing the socket
// mid-body, and never becoming ready. Each time: what the user sees (job state, "N written, M failed", each failed
// object with its reason), nothing counted as written is missing, nothing in the destination is torn, no process left.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { AisClient, AisError, type JobProgress } from '../../src/engine/ais';
import {
  faultEtl,
  livePids,
  md5,
  report,
  startFaultCluster,
  stopFaultCluster,
  tempLeftovers,
  until,
  type FaultCluster,
} from './lib';

let f: FaultCluster | undefined, dir: string, client: AisClient, pidDir: string;
const OK = 40;

before(async () => {
  f = await startFaultCluster('w');
  ({ dir, pidDir, client } = f);
});
after(() => stopFaultCluster(f));

async function seed(bucket: string, names: string[]): Promise<Map<string, string>> {
  await client.createBucket(bucket);
  const bodies = new Map<string, string>();
  await Promise.all(
    names.map(async (n) => {
      const b = `${bucket}/${n} ${'x'.repeat(n.length * 7)}`;
      bodies.set(n, b);
      await client.putObject(bucket, n, b);
    }),
  );
  return bodies;
}

/** Lost = counted as written but missing; torn = in the destination with content that is not the transform's. */
async function audit(
  dst: string,
  bodies: Map<string, string>,
  p: JobProgress,
): Promise<{ lost: number; torn: number; present: number }> {
  let present = 0,
    torn = 0;
  for await (const e of client.listObjects(dst)) {
    present++;
    const body = bodies.get(e.name);
    const got = await (await client.getObject(dst, e.name)).body.toArray();
    if (!body || Buffer.concat(got).toString() !== md5(body)) torn++;
  }
  assert.deepEqual(tempLeftovers(join(dir, 'data')), [], 'no temp file left in the data folder');
  return { lost: Math.max(0, (p.written ?? 0) - (present - torn)), torn, present };
}

async function runJob(src: string, dst: string, etl: string): Promise<JobProgress> {
  const id = await client.startBucketTransform({
    src: `ais://${src}`,
    dst: `ais://${dst}`,
    etl: { name: etl },
    continueOnError: true,
  });
  return client.waitJob(id, 'etl-bck', { intervalMs: 50 });
}

const cases = [
  { fault: 'ETL worker answers 5xx', prefix: 'err-', n: 4, reason: /ETL error: boom: cannot transform err-/ },
  { fault: 'ETL worker answers garbage (not HTTP)', prefix: 'garb-', n: 4, reason: /ETL error: / },
  { fault: 'ETL worker closes the socket mid-body', prefix: 'cut-', n: 4, reason: /./ },
  { fault: 'ETL worker hangs past obj_timeout', prefix: 'hang-', n: 2, reason: /obj_timeout|timeout/i },
];

for (const c of cases) {
  test(`${c.fault}: those objects are listed failed with a reason, every other object written, nothing torn`, async () => {
    const etl = `fault-${c.prefix.slice(0, -1)}`;
    await client.initEtl(faultEtl(dir, etl, { objTimeout: '1s', env: { PID_DIR: pidDir } }));
    const names = [
      ...Array.from({ length: OK }, (_, i) => `ok-${i}`),
      ...Array.from({ length: c.n }, (_, i) => `${c.prefix}${i}`),
    ];
    const src = `src-${etl}`,
      dst = `dst-${etl}`;
    const bodies = await seed(src, names);
    const p = await runJob(src, dst, etl);
    assert.equal(p.aborted, false, p.err);
    assert.equal(p.written, OK, `written: ${JSON.stringify(p)}`);
    assert.equal(p.failed, c.n);
    assert.deepEqual(
      p.failedObjs!.map((f) => f.objName.split('/').pop()).sort(),
      names.filter((n) => n.startsWith(c.prefix)).sort(),
    );
    for (const f of p.failedObjs!) assert.match(f.message, c.reason);
    const a = await audit(dst, bodies, p);
    assert.equal(a.present, OK);
    report({
      fault: c.fault,
      runs: 1,
      acknowledged: p.written!,
      lost: a.lost,
      torn: a.torn,
      saw: `job finished: ${p.written} written, ${p.failed} failed ("${p.failedObjs![0].message.slice(0, 60)}")`,
    });
    assert.equal(a.lost + a.torn, 0);
    await client.deleteEtl(etl);
  });
}

test('ETL worker killed mid-job: the job is aborted with the reason, what it wrote is intact', async () => {
  const etl = 'f-killed';
  await client.initEtl(faultEtl(dir, etl, { env: { PID_DIR: pidDir, DIE_AFTER: '12', DELAY_MS: '5' } }));
  const names = Array.from({ length: 80 }, (_, i) => `ok-${i}`);
  const bodies = await seed('src-killed', names);
  const p = await runJob('src-killed', 'dst-killed', etl);
  assert.equal(p.aborted, true, 'never "done" with objects missing');
  assert.match(p.err ?? '', /f-killed.*(exit|killed|SIGKILL)/i);
  assert.ok((p.written ?? 0) < names.length);
  const a = await audit('dst-killed', bodies, p);
  report({
    fault: 'ETL worker killed (SIGKILL) mid-job',
    runs: 1,
    acknowledged: p.written!,
    lost: a.lost,
    torn: a.torn,
    saw: `job aborted: ${p.written} written, ${p.failed} failed; "${(p.err ?? '').slice(0, 70)}"`,
  });
  assert.equal(a.lost + a.torn, 0);
  const etls = await client.listEtls();
  assert.equal(etls.find((e) => e.name === etl)?.stage, 'Aborted');
  await client.deleteEtl(etl);
});

test('ETL worker never ready: init fails after init_timeout with a message that says why; no process left', async () => {
  const before = new Set(livePids(pidDir));
  const t0 = Date.now();
  let err: unknown;
  try {
    await client.initEtl(faultEtl(dir, 'f-never', { initTimeout: '2s', env: { PID_DIR: pidDir, NEVER_READY: '1' } }));
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof AisError, `init must fail: ${String(err)}`);
  const msg = (err as AisError).message;
  assert.match(msg, /health|ready|503|timeout/i);
  assert.ok(Date.now() - t0 < 15_000);
  await until(
    () => livePids(pidDir).filter((p) => !before.has(p)).length === 0,
    5000,
    'the never-ready worker to be gone',
  );
  report({
    fault: 'ETL worker never becomes ready',
    runs: 1,
    acknowledged: 0,
    lost: 0,
    torn: 0,
    saw: `init failed (HTTP ${(err as AisError).status}): "${(err as AisError).aisMessage.split('\n')[0].slice(0, 80)}"`,
  });
});
