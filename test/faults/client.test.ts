// Client faults: a client hanging up mid-GET and mid-PUT stream (the cluster releases the sockets and files, the old
// object stays intact, no temp file), and a bucket job cancelled at 50 % (aborted, counted, what was written is
// whole and exactly what the counts say, sockets released, the ETL still serves requests).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { request } from 'undici';
import { AisClient, AisError } from '../../src/engine/ais';
import type { LocalCluster } from '../../src/engine/local';
import {
  faultEtl,
  livePids,
  md5,
  openFds,
  report,
  sleep,
  startFaultCluster,
  stopFaultCluster,
  tempLeftovers,
  until,
  type FaultCluster,
} from './lib';

let f: FaultCluster | undefined, dir: string, cluster: LocalCluster, client: AisClient, pidDir: string;
const BIG = Buffer.alloc(32 << 20, 'big object ');

before(async () => {
  f = await startFaultCluster('cl');
  ({ dir, pidDir, cluster, client } = f);
  await client.createBucket('c');
  await client.putObject('c', 'big', BIG);
});
after(() => stopFaultCluster(f));

/** The target URL the gateway redirects `method` on c/<name> to. */
async function targetUrl(method: 'GET' | 'PUT', name: string): Promise<string> {
  const r = await request(`${cluster.endpoint}/v1/objects/c/${name}`, {
    method,
    ...(method === 'PUT' && { body: '' }),
  });
  await r.body.dump();
  return String(r.headers.location);
}

const settledFds = (base: number) =>
  until(() => openFds() <= base, 5000, `open fds back to ${base} (now ${openFds()})`);

test('a client hanging up mid-GET (32 MiB object, 5 times): sockets and files released, next GET whole', async () => {
  const url = await targetUrl('GET', 'big');
  const base = openFds();
  for (let i = 0; i < 5; i++) {
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(url, { agent: false }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', (e) =>
        e.message.includes('socket hang up') || (e as NodeJS.ErrnoException).code === 'ECONNRESET'
          ? resolve()
          : reject(e),
      );
      req.end();
    });
  }
  await settledFds(base);
  const got = Buffer.concat(await (await client.getObject('c', 'big')).body.toArray());
  assert.equal(md5(got), md5(BIG));
  report({
    fault: 'client disconnects mid-GET',
    runs: 5,
    acknowledged: 1,
    lost: 0,
    torn: 0,
    saw: `the next GET is whole; open fds back to ${base}`,
  });
});

test('a client hanging up mid-PUT stream (5 times, overwriting an object): the old object intact, no temp file', async () => {
  const url = await targetUrl('PUT', 'big');
  const base = openFds();
  for (let i = 0; i < 5; i++) {
    await new Promise<void>((resolve) => {
      const req = httpRequest(url, { method: 'PUT', agent: false, headers: { 'content-length': String(64 << 20) } });
      req.on('error', () => resolve());
      req.write(Buffer.alloc(4 << 20, 'new'), () =>
        setTimeout(() => {
          req.destroy();
          resolve();
        }, 50),
      );
    });
  }
  await settledFds(base);
  await until(
    () => tempLeftovers(join(dir, 'data')).length === 0,
    3000,
    'temp files of the aborted PUTs to be removed',
  );
  const got = Buffer.concat(await (await client.getObject('c', 'big')).body.toArray());
  const torn = md5(got) === md5(BIG) ? 0 : 1;
  await assert.rejects(client.headObject('c', 'never-finished'), (e: AisError) => e.status === 404);
  report({
    fault: 'client disconnects mid-PUT stream',
    runs: 5,
    acknowledged: 1,
    lost: 0,
    torn,
    saw: 'the old object stays whole; no temp file; fds released',
  });
  assert.equal(torn, 0);
});

test('a bucket job cancelled at 50 %: aborted, counted, outputs whole, sockets released, the ETL still answers', async () => {
  await client.initEtl(faultEtl(dir, 'fault-cancel', { env: { PID_DIR: pidDir, DELAY_MS: '15' } }));
  const N = 200;
  const body = (n: string) => `cancel me ${n}`;
  await client.createBucket('src');
  for (let i = 0; i < N; i += 50)
    await Promise.all(Array.from({ length: 50 }, (_, k) => client.putObject('src', `o-${i + k}`, body(`o-${i + k}`))));
  const procs = livePids(pidDir).length;
  // warm-up: a complete job of the same shape opens the connection pools a job uses; the cancel must not add to them
  const warm = await client.startBucketTransform({
    src: 'ais://src',
    dst: 'ais://warm',
    etl: { name: 'fault-cancel' },
    prefix: 'o-1',
    numWorkers: 4,
  });
  await client.waitJob(warm, 'etl-bck', { intervalMs: 50 });
  const base = openFds();
  const id = await client.startBucketTransform({
    src: 'ais://src',
    dst: 'ais://dst',
    etl: { name: 'fault-cancel' },
    numWorkers: 4,
  });
  await until(
    async () => ((await client.jobProgress(id, 'etl-bck')).written ?? 0) >= N / 2,
    30_000,
    'the job to reach 50 %',
  );
  await client.abortJob(id, 'etl-bck');
  const p = await client.waitJob(id, 'etl-bck', { intervalMs: 50 });
  assert.equal(p.aborted, true);
  assert.match(p.err ?? '', /aborted by user/);
  await sleep(300);
  const later = await client.jobProgress(id, 'etl-bck');
  assert.equal(later.written, p.written, 'nothing written after the abort');
  let present = 0,
    torn = 0;
  for await (const e of client.listObjects('dst')) {
    present++;
    if (Buffer.concat(await (await client.getObject('dst', e.name)).body.toArray()).toString() !== md5(body(e.name)))
      torn++;
  }
  assert.equal(present, p.written, 'the destination holds exactly what the job counts as written');
  assert.ok((p.written ?? 0) < N);
  await settledFds(base + 8); // keep-alive sockets of the pools may differ by a few
  assert.equal(livePids(pidDir).length, procs, 'no process started or lost by the cancel');
  const again = Buffer.concat(
    await (await client.getObject('src', 'o-1', { etl: { name: 'fault-cancel' } })).body.toArray(),
  ).toString();
  assert.equal(again, md5(body('o-1')), 'the ETL still transforms after the cancel');
  assert.deepEqual(tempLeftovers(join(dir, 'data')), []);
  report({
    fault: 'bucket job cancelled at 50 %',
    runs: 1,
    acknowledged: p.written ?? 0,
    lost: Math.max(0, (p.written ?? 0) - present),
    torn,
    saw: `job aborted ("${p.err}"): ${p.written} written, ${p.failed} failed of ${N}; fds and processes back to the start`,
  });
  assert.equal(torn, 0);
});
