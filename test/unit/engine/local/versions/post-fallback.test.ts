// The tutorial's server.py implements only do_POST. AIS always PUTs for hpush://; on a 3.29 local cluster the POST
// fallback is a recorded leniency that must be race-free (every object of a bucket job arrives) and the same for
// inline and offline paths. On 5.0 there is no leniency: the spec needs a probe, and server.py never passes it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AisClient } from '../../../../../src/engine/ais';
import { buildLocalImage, startLocalCluster, type LocalCluster } from '../../../../../src/engine/local';

const FIX = join(__dirname, '..', '..', '..', '..', 'fixtures', 'tutorial');
const N = 200;
const dirs: string[] = [];
const prevHome = process.env.AISETL_HOME;
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  if (prevHome === undefined) delete process.env.AISETL_HOME;
  else process.env.AISETL_HOME = prevHome;
});

// The tutorial's Pod spec verbatim (no readinessProbe: accepted on 3.29 only, as a recorded leniency).
const SPEC = `apiVersion: v1
kind: Pod
metadata:
  name: transformer-md5
spec:
  containers:
    - name: server
      image: docker.io/aistore/md5_server:v1
      ports:
        - name: default
          containerPort: 80
      command: ['/code/server.py', '--listen', '0.0.0.0', '--port', '80']
`;

async function fixture(version: '3.29' | '5.0'): Promise<{ cluster: LocalCluster; client: AisClient }> {
  const dir = mkdtempSync(join(tmpdir(), `aisetl-post-${version}-`));
  dirs.push(dir);
  process.env.AISETL_HOME = join(dir, 'home');
  await buildLocalImage('docker.io/aistore/md5_server:v1', FIX);
  const cluster = await startLocalCluster({ dataDir: join(dir, 'data'), targets: 2, aisVersion: version });
  const client = new AisClient({ endpoint: cluster.endpoint, timeoutMs: 120_000 });
  await client.createBucket('src');
  await Promise.all(Array.from({ length: N }, (_, i) => client.putObject('src', `o-${i}`, `object ${i}\n`)));
  await client.initEtl({
    name: 'transformer-md5',
    communication: 'hpush://',
    init_timeout: '2m',
    obj_timeout: '30s',
    spec: Buffer.from(SPEC).toString('base64'),
  });
  return { cluster, client };
}

async function count(client: AisClient, bucket: string): Promise<number> {
  let n = 0;
  for await (const e of client.listObjects(bucket)) {
    void e;
    n++;
  }
  return n;
}

test(
  '3.29: a bucket job through a POST-only server writes every object; the leniency is logged once and listed',
  { timeout: 180_000 },
  async () => {
    const { cluster, client } = await fixture('3.29');
    try {
      const id = await client.startBucketTransform({ src: 'src', dst: 'dst', etl: { name: 'transformer-md5' } });
      const p = await client.waitJob(id, 'etl-bck', { intervalMs: 100 });
      assert.equal(p.aborted, false, p.err);
      assert.equal(await count(client, 'dst'), N);
      const out = await client.getObject('src', 'o-7', { etl: { name: 'transformer-md5' } });
      let text = '';
      for await (const c of out.body) text += c.toString();
      assert.match(text, /^[0-9a-f]{32}$/);
      const list = await listRaw(cluster.endpoint);
      assert.deepEqual(
        list[0]?.local_leniencies?.map((l) => l.id),
        ['pod-spec-no-readiness-probe', 'hpush-post-fallback'],
      );
      assert.match(list[0]?.local_leniencies?.[1]?.note ?? '', /works locally only/);
      const logs = (await client.etlLogs('transformer-md5')).map((l) => l.logs).join('\n');
      assert.equal(logs.split('retried with POST').length - 1, 1, 'one note per ETL, not per object or target');
    } finally {
      await client.close();
      await cluster.stop();
    }
  },
);

test(
  '5.0: the tutorial spec is refused without a probe; with one, server.py never becomes ready',
  { timeout: 120_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aisetl-post-5.0-'));
    dirs.push(dir);
    process.env.AISETL_HOME = join(dir, 'home');
    await buildLocalImage('docker.io/aistore/md5_server:v1', FIX);
    const cluster = await startLocalCluster({ dataDir: join(dir, 'data'), targets: 1, aisVersion: '5.0' });
    const client = new AisClient({ endpoint: cluster.endpoint, timeoutMs: 60_000 });
    const init = (spec: string) =>
      client.initEtl({
        name: 'transformer-md5',
        communication: 'hpush://',
        init_timeout: '4s',
        obj_timeout: '10s',
        spec: Buffer.from(spec).toString('base64'),
      });
    try {
      await assert.rejects(
        init(SPEC),
        /InitSpecMsg error: \[etl="transformer-md5"\] readinessProbe section is required in a container spec/,
      );
      const probed = SPEC + '      readinessProbe:\n        httpGet: {path: /health, port: default}\n';
      await assert.rejects(
        init(probed),
        (e: Error) => /did not become ready within init_timeout/.test(e.message) && /501/.test(e.message),
      );
      const list = await listRaw(cluster.endpoint);
      assert.equal(list[0]?.stage, 'Aborted');
      assert.equal(list[0]?.local_leniencies, undefined);
    } finally {
      await client.close();
      await cluster.stop();
    }
  },
);

async function listRaw(
  endpoint: string,
): Promise<{ id: string; stage: string; local_leniencies?: { id: string; note: string }[] }[]> {
  const r = await fetch(`${endpoint}/v1/etl`);
  return (await r.json()) as { id: string; stage: string; local_leniencies?: { id: string; note: string }[] }[];
}
