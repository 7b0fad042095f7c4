// The Compute MD5 tutorial end to end through the engine client (AisClient) against a fresh 2-target local cluster
// with the real ETL workers (Python) and the tutorial's files verbatim (test/fixtures/tutorial).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AisClient } from '../../../../src/engine/ais';
import { buildLocalImage, startLocalCluster, type LocalCluster } from '../../../../src/engine/local';
import { pidAlive } from './helpers';

const FIX = join(__dirname, '..', '..', '..', 'fixtures', 'tutorial');
const MD5 = '393c6706efb128fbc442d3f7d084a426';
const b64 = (file: string) => readFileSync(join(FIX, file)).toString('base64');

let dir: string;
let cluster: LocalCluster;
let client: AisClient;
const seenPids = new Set<number>();
const prevHome = process.env.AISETL_HOME;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aisetl-tutorial-'));
  process.env.AISETL_HOME = join(dir, 'home'); // the local image store lives here
  cluster = await startLocalCluster({ dataDir: join(dir, 'data'), targets: 2, aisVersion: '3.29' }); // the tutorial's era
  client = new AisClient({ endpoint: cluster.endpoint, timeoutMs: 120_000 });
});
after(async () => {
  await client?.close();
  await cluster?.stop();
  for (const p of seenPids) assert.equal(pidAlive(p), false, `worker pid ${p} survived the cluster stop`);
  rmSync(dir, { recursive: true, force: true });
  if (prevHome === undefined) delete process.env.AISETL_HOME;
  else process.env.AISETL_HOME = prevHome;
});

async function text(s: { body: NodeJS.ReadableStream }): Promise<string> {
  let out = '';
  for await (const c of s.body) out += c.toString();
  return out;
}

test('create bucket transform and put shard.in', async () => {
  const info = await client.cluster();
  assert.equal(info.deployment, 'aisetl-local');
  await client.createBucket('transform');
  await client.putObject('transform', 'shard.in', 'some text :)\n');
  assert.equal((await client.headObject('transform', 'shard.in')).size, 13);
});

test('code.py as transformer-md5 over hpull:// → inline md5', async () => {
  const xid = await client.initEtl({
    name: 'transformer-md5',
    runtime: 'python3.11v2',
    communication: 'hpull://',
    init_timeout: '5m',
    obj_timeout: '45s',
    funcs: { transform: 'transform' },
    code: b64('code.py'),
    argument: '',
  });
  assert.match(xid, /^etl-/);
  for (const p of cluster.workerPids()) seenPids.add(p);
  assert.equal(cluster.workerPids().length, 2);
  const out = await client.getObject('transform', 'shard.in', { etl: { name: 'transformer-md5' } });
  assert.equal((await text(out)).trim(), MD5);
  await client.stopEtl('transformer-md5');
  await client.deleteEtl('transformer-md5');
  assert.deepEqual(cluster.workerPids(), []);
});

test("the io:// script verbatim → the inline GET fails with Python's TypeError, nothing hangs", async () => {
  await client.initEtl({
    name: 'compute-md5',
    runtime: 'python3.11v2',
    communication: 'io://',
    init_timeout: '5m',
    obj_timeout: '45s',
    code: b64('io/code.py'),
  });
  for (const p of cluster.workerPids()) seenPids.add(p);
  await assert.rejects(
    async () => {
      const s = await client.getObject('transform', 'shard.in', { etl: { name: 'compute-md5' } });
      await text(s);
    },
    (e: Error) =>
      /TypeError/.test(e.message) && /Traceback|object supporting the buffer API|bytes-like/.test(e.message),
  );
  await client.stopEtl('compute-md5');
  await client.deleteEtl('compute-md5');
});

test('aisetl build + spec.yaml over hpush:// → inline md5; bucket transform transform → transform-md5; stop', async () => {
  await buildLocalImage('docker.io/aistore/md5_server:v1', FIX);
  await client.initEtl({
    name: 'transformer-md5',
    communication: 'hpush://',
    init_timeout: '5m',
    obj_timeout: '45s',
    spec: b64('spec.yaml'),
  });
  for (const p of cluster.workerPids()) seenPids.add(p);
  const out = await client.getObject('transform', 'shard.in', { etl: { name: 'transformer-md5' } });
  assert.equal((await text(out)).trim(), MD5);
  const id = await client.startBucketTransform({
    src: 'transform',
    dst: 'transform-md5',
    etl: { name: 'transformer-md5' },
  });
  const p = await client.waitJob(id, 'etl-bck', { intervalMs: 100 });
  assert.equal(p.aborted, false, p.err);
  assert.equal((await text(await client.getObject('transform-md5', 'shard.in'))).trim(), MD5);
  const pids = cluster.workerPids();
  await client.stopEtl('transformer-md5');
  for (const pid of pids) assert.equal(pidAlive(pid), false, `worker pid ${pid} survived stop`);
  assert.deepEqual(cluster.workerPids(), []);
});
