// The cluster killed with SIGKILL (an `aisetl local start` child process) mid-PUT, mid-bucket-job and mid-index-save,
// then restarted on the same folder: every acknowledged object intact, no torn object, the job shown as aborted
// (never "done" with objects missing), no ETL process left, no temp file left, the listing equal to the disk.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AisClient } from '../../src/engine/ais';
import { hrwNode, hrwSelect, uname } from '../../src/engine/local/hrw';
import { CRASHED_JOB_ERR } from '../../src/engine/local/jobs/records';
import {
  faultEtl,
  kill9,
  livePids,
  md5,
  report,
  sleep,
  startCli,
  stopCli,
  tempLeftovers,
  until,
  type CliCluster,
} from './lib';

let dir: string;
const running: CliCluster[] = [];
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'aisetl-faults-c-'));
});
after(async () => {
  for (const c of running) await kill9(c);
  rmSync(dir, { recursive: true, force: true });
});

async function start(data: string): Promise<{ c: CliCluster; client: AisClient }> {
  const c = await startCli(data, join(dir, 'home'));
  running.push(c);
  return { c, client: new AisClient({ endpoint: c.endpoint }) };
}

const bodyOf = (name: string, size = 120 * 1024) => Buffer.alloc(size, md5(name));

/** Every listed object is whole (its full body); `acked` objects must all be listed. */
async function audit(
  client: AisClient,
  bucket: string,
  acked: Set<string>,
  expected: (name: string) => string,
): Promise<{ lost: number; torn: number }> {
  const seen = new Set<string>();
  let torn = 0;
  for await (const e of client.listObjects(bucket)) {
    seen.add(e.name);
    const got = Buffer.concat(await (await client.getObject(bucket, e.name)).body.toArray());
    if (md5(got) !== expected(e.name)) torn++;
  }
  let lost = 0;
  for (const n of acked) if (!seen.has(n)) lost++;
  return { lost, torn };
}

const sweptAndClean = (data: string) =>
  until(() => tempLeftovers(data).length === 0, 10_000, `no temp files under ${data}`);

test('SIGKILL mid-PUT (8 parallel streams of 120 KiB objects), restart: acknowledged intact, nothing torn, temp files swept', async () => {
  const data = join(dir, 'put');
  let acknowledged = 0,
    lost = 0,
    torn = 0;
  const runs = 2;
  for (let run = 0; run < runs; run++) {
    const { c, client } = await start(data);
    if (run === 0) await client.createBucket('c');
    const acked = new Set<string>();
    let stop = false;
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        const name = `r${run}/w${w}/${i}`;
        try {
          await client.putObject('c', name, bodyOf(name));
          acked.add(name);
        } catch {
          return;
        }
      }
    });
    await until(() => acked.size >= 40, 30_000, '40 acknowledged PUTs'); // then kill while the streams are busy
    await kill9(c);
    stop = true;
    await Promise.all(writers);
    await client.close();
    const again = await start(data);
    const a = await audit(again.client, 'c', acked, (n) => md5(bodyOf(n)));
    await sweptAndClean(data);
    acknowledged += acked.size;
    lost += a.lost;
    torn += a.torn;
    assert.ok(acked.size > 10, `some PUTs were acknowledged before the kill (${acked.size})`);
    await again.client.close();
    await stopCli(again.c);
  }
  report({
    fault: 'cluster SIGKILL mid-PUT (8 streams), restart',
    runs,
    acknowledged,
    lost,
    torn,
    saw: 'in-flight PUTs fail (connection reset); after restart all acknowledged objects listed and intact',
  });
  assert.equal(lost + torn, 0);
});

test('SIGKILL mid-bucket-job, restart: the job is shown aborted with the reason, no ETL process left, outputs whole', async () => {
  const data = join(dir, 'job');
  const pidDir = join(dir, 'job-pids');
  mkdirSync(pidDir, { recursive: true });
  const { c, client } = await start(data);
  await client.createBucket('src');
  const N = 240;
  const srcBody = (n: string) => `source ${n} ${'y'.repeat(500)}`;
  for (let i = 0; i < N; i += 40)
    await Promise.all(
      Array.from({ length: 40 }, (_, k) => client.putObject('src', `o-${i + k}`, srcBody(`o-${i + k}`))),
    );
  await client.initEtl(faultEtl(dir, 'fault-crashjob', { env: { PID_DIR: pidDir, DELAY_MS: '25' } }));
  assert.equal(livePids(pidDir).length, 2, 'one ETL process per target');
  const id = await client.startBucketTransform({
    src: 'ais://src',
    dst: 'ais://dst',
    etl: { name: 'fault-crashjob' },
    numWorkers: 2,
  });
  await until(
    async () => ((await client.jobProgress(id, 'etl-bck')).written ?? 0) >= N * 0.3,
    20_000,
    'the job to reach 30 %',
  );
  await sleep(1100); // at least one saved progress record (every second)
  const before = await client.jobProgress(id, 'etl-bck');
  await kill9(c);
  await client.close();
  await until(() => livePids(pidDir).length === 0, 5000, 'the ETL processes of the killed cluster to be gone');
  const again = await start(data);
  const p = await again.client.jobProgress(id, 'etl-bck');
  assert.equal(p.running, false);
  assert.equal(p.aborted, true, 'never "done" with objects missing');
  assert.equal(p.err, CRASHED_JOB_ERR);
  const a = await audit(again.client, 'dst', new Set(), (n) => md5(md5(srcBody(n))));
  let present = 0;
  for await (const _ of again.client.listObjects('dst')) present++;
  const lost = Math.max(0, (p.written ?? 0) - present);
  assert.ok(
    (p.written ?? 0) <= (before.written ?? 0) && (p.written ?? 0) > 0,
    `recorded ${p.written}, seen before the kill ${before.written}`,
  );
  assert.notEqual((await again.client.listEtls()).find((e) => e.name === 'fault-crashjob')?.stage, 'Running');
  await sweptAndClean(data);
  report({
    fault: 'cluster SIGKILL mid-bucket-job, restart',
    runs: 1,
    acknowledged: p.written ?? 0,
    lost,
    torn: a.torn,
    saw: `job aborted after restart: ${p.written} written, ${p.failed} failed; "${CRASHED_JOB_ERR.slice(0, 60)}…"; ETL Aborted; 0 ETL processes left`,
  });
  assert.equal(lost + a.torn, 0);
  await again.client.close();
  await stopCli(again.c);
});

test('SIGKILL mid-index-save (SIGTERM, then SIGKILL 0-120 ms later), restart: the listing equals the disk', async () => {
  const data = join(dir, 'index');
  const N = 5000;
  {
    const { c, client } = await start(data);
    await client.createBucket('big');
    await client.close();
    await stopCli(c);
  }
  // many names straight into the targets' folders (as B3 does): a save that takes a few ms
  const ids = (JSON.parse(readFileSync(join(data, 'cluster.json'), 'utf8')) as { targets: string[] }).targets;
  const nodes = ids.map((id) => ({ ...hrwNode(id), dir: join(data, id, 'big') }));
  for (let i = 0; i < N; i++) writeFileSync(join(hrwSelect(nodes, uname('big', `f-${i}`)).dir, `f-${i}`), 'f');
  const delays = [0, 40, 120];
  let acknowledged = 0,
    lost = 0,
    torn = 0;
  for (const [run, d] of delays.entries()) {
    const { c, client } = await start(data);
    const acked = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const n = `p${run}-${i}`;
      await client.putObject('big', n, n);
      acked.add(n);
    }
    await client.close();
    c.proc.kill('SIGTERM');
    if (d) await sleep(d);
    await kill9(c);
    const again = await start(data);
    const names = new Set<string>();
    for await (const e of again.client.listObjects('big')) names.add(e.name);
    for (let r = 0; r <= run; r++) for (let i = 0; i < 30; i++) if (!names.has(`p${r}-${i}`)) lost++;
    assert.equal(names.size, N + 30 * (run + 1), `run ${run} (kill ${d} ms after SIGTERM): listing = disk`);
    for (const n of acked)
      if (Buffer.concat(await (await again.client.getObject('big', n)).body.toArray()).toString() !== n) torn++;
    acknowledged += acked.size;
    await again.client.close();
    await stopCli(again.c);
  }
  await sweptAndClean(data);
  report({
    fault: 'cluster SIGKILL mid-index-save, restart',
    runs: delays.length,
    acknowledged,
    lost,
    torn,
    saw: `listing after restart = disk (${N} + PUT names), no temp files`,
  });
  assert.equal(lost + torn, 0);
});
