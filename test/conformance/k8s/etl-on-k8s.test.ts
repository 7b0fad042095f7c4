// AIStore's own ETL (aisnode v1.5.0, -tags etl) on a real Kubernetes API, driven by our engine exactly as the
// extension drives an AIS 5.0 cluster: each kind of init message we send is accepted by aisnode, one pod per
// target appears with AIS's labels on that target's node, the tutorial's md5 comes back, a bucket job completes,
// stop removes the pods and delete removes the ETL.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { AisClient, AisError, type ClusterInfo, type Smap } from '../../../src/engine/ais/index';
import { K8sEtlPods, type EtlPod } from '../../../src/engine/k8s/index';
import { buildLocalImage } from '../../../src/engine/local/images';
import { startLocal } from '../lib/peers';
import {
  AIS50,
  classInitBody,
  initBody,
  runtimeSpecDef,
  seedPodSpecDef,
  SHARD_MD5,
  SHARD_TEXT,
  TUTORIAL,
  wrappedCodeDef,
} from './lib/etls';
import { admin, harness, NS, waitFor, type Admin, type Harness } from './lib/harness';

const h = harness();
const skip = 'skip' in h ? h.skip : false;
const SRC = 'ais://k8s-transform';
const JOB_OBJECTS = 40;
const jobName = (i: number): string => `job/obj-${String(i).padStart(3, '0')}.txt`;
const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

async function text(p: Promise<{ body: NodeJS.ReadableStream }>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const ch of (await p).body) chunks.push(Buffer.from(ch as Buffer));
  return Buffer.concat(chunks).toString();
}

async function etlPods(a: Admin): Promise<V1Pod[]> {
  return (await a.core.listNamespacedPod({ namespace: NS, labelSelector: 'app=ais,app.kubernetes.io/name=etl' })).items;
}

describe('AIS 5.0 ETL on Kubernetes, driven by the engine', { skip }, () => {
  const hh = h as Harness;
  let c: AisClient;
  let a: Admin;
  let k8s: K8sEtlPods;
  let info: ClusterInfo;
  let smap: Smap;

  before(async () => {
    c = new AisClient({ endpoint: hh.endpoint, timeoutMs: 180_000 });
    a = admin(hh);
    const p = await K8sEtlPods.fromKubeconfig({ kubeconfigPath: hh.kubeconfig, namespace: NS });
    if ('unavailable' in p) throw new Error(p.unavailable);
    k8s = p;
    info = await c.cluster();
    smap = await c.clusterMap();
    await c.createBucket(SRC);
    await c.putObject(SRC, 'shard.in', SHARD_TEXT);
    for (let i = 0; i < JOB_OBJECTS; i++) await c.putObject(SRC, jobName(i), `object ${i}\n`);
  });
  after(async () => {
    await c?.close();
  });

  it('the engine sees AIS 5.0 on Kubernetes with ETL: dialect v5.0, deployment K8s, hpush/hpull/ws', () => {
    assert.equal(info.dialect, 'v5.0');
    assert.equal(info.deployment, 'K8s');
    assert.equal(info.etl, 'available', info.etlReason);
    assert.equal(info.local, false);
    assert.deepEqual([...info.commTypes].sort(), [...AIS50.commTypes].sort());
    assert.equal(smap.targets.length, 2);
  });

  const venvSkip = (problem: string | undefined): string | false =>
    'skip' in h ? false : problem ? `the ETL's Python venv: ${problem}` : false;
  interface Kind {
    kind: string;
    name: string;
    body(): Promise<Record<string, unknown>>;
    skip: string | false;
    /** what else each pod's container and log must show for this kind */
    container?(c: V1Container): void;
    log?: RegExp;
  }
  const kinds: Kind[] = [
    {
      kind: 'runtime spec (runtime_python + SDK server command), hpush://',
      name: 'k8s-rt-hpush',
      body: async () => initBody(runtimeSpecDef('k8s-rt-hpush'), 'k8s-rt-hpush', info),
      skip: venvSkip(hh.venvProblem),
    },
    {
      kind: 'plain transform(bytes) wrapped on runtime_python, hpush://',
      name: 'k8s-code-hpush',
      body: async () => initBody(wrappedCodeDef('hpush://'), 'k8s-code-hpush', info),
      skip: venvSkip(hh.venvProblem),
    },
    {
      kind: 'plain transform(bytes) wrapped on runtime_python, hpull://',
      name: 'k8s-code-hpull',
      body: async () => initBody(wrappedCodeDef('hpull://'), 'k8s-code-hpull', info),
      skip: venvSkip(hh.venvProblem),
    },
    {
      // image runtime_python:<X.Y> without a command, the class cloudpickled in ETL_CLASS_PAYLOAD, PACKAGES
      kind: "ETLServer class (the SDK's init_class: runtime_python without a command), hpush://",
      name: 'k8s-class-hpush',
      body: () => classInitBody('k8s-class-hpush', info, hh.venvCache),
      skip: venvSkip(hh.classProblem),
      container: (ct) => {
        assert.match(ct.image ?? '', /^aistorage\/runtime_python:\d+\.\d+$/);
        assert.equal(ct.command, undefined, 'no command: the image entrypoint runs the class');
        assert.ok(ct.env?.some((e) => e.name === 'ETL_CLASS_PAYLOAD' && e.value));
      },
      // the bootstrap unpickled the class and serves it with the SDK's server named in the class
      log: /Starting Md5Server \(HTTPMultiThreadedServer\)/,
    },
  ];
  for (const k of kinds) {
    describe(k.kind, { skip: k.skip }, () => {
      let pods: EtlPod[] = [];
      it('aisnode accepts the init message and one ready pod per target appears (engine waitForEtlPods)', async () => {
        const xid = await c.initEtl(await k.body());
        assert.ok(xid, 'init returns a job id');
        pods = await k8s.waitForEtlPods(
          k.name,
          smap.targets.map((t) => t.id),
          { signal: AbortSignal.timeout(120_000) },
        );
        assert.equal(pods.length, 2);
        assert.deepEqual(pods.map((p) => p.targetId).sort(), smap.targets.map((t) => t.id).sort());
        const etl = await waitFor('stage Running', 60_000, async () =>
          (await c.listEtls()).find((e) => e.name === k.name && e.stage === 'Running'),
        );
        assert.equal(etl.stage, 'Running');
      });

      it("pods carry AIS's labels, run on their target's node, and have a NodePort service", async () => {
        const mine = (await etlPods(a)).filter((p) =>
          p.metadata?.labels?.['nvidia.com/ais-etl-name']?.startsWith(`${k.name}-`),
        );
        assert.equal(mine.length, 2);
        for (const p of mine) {
          const l = p.metadata?.labels ?? {};
          const tid = l['nvidia.com/ais-etl-target'];
          assert.ok(
            smap.targets.some((t) => t.id === tid),
            `target label ${tid} names a target`,
          );
          assert.equal(p.metadata?.name, `${k.name}-${tid.toLowerCase()}`);
          assert.equal(l['nvidia.com/ais-etl-name'], p.metadata?.name, 'ais-etl-name is the pod name');
          assert.equal(l.app, 'ais');
          assert.equal(l['app.kubernetes.io/component'], 'server');
          assert.equal(p.spec?.nodeName, l['nvidia.com/ais-etl-node'], 'scheduled on the target node (node affinity)');
          const svc = await a.core.readNamespacedService({ name: p.metadata!.name!, namespace: NS });
          assert.equal(svc.spec?.type, 'NodePort');
          assert.ok(svc.spec?.ports?.[0]?.nodePort);
        }
        assert.notEqual(mine[0].spec?.nodeName, mine[1].spec?.nodeName, 'each target on its own node');
        for (const p of mine) k.container?.(p.spec!.containers[0]);
      });

      it("inline transform of shard.in gives the tutorial's md5", async () => {
        assert.equal(await text(c.getObject(SRC, 'shard.in', { etl: { name: k.name } })), SHARD_MD5);
      });

      it("AIS's own logs API returns each pod's log, read by aisnode through the apiserver", async () => {
        const logs = await c.etlLogs(k.name);
        assert.deepEqual(logs.map((l) => l.targetId).sort(), smap.targets.map((t) => t.id).sort());
        for (const l of logs) assert.match(l.logs, /\[pod-runner\] running /);
        if (k.log) for (const l of logs) assert.match(l.logs, k.log);
      });

      it(`a bucket job over ${JOB_OBJECTS + 1} objects completes, every output right`, async () => {
        const dst = `ais://k8s-out-${k.name}`;
        const xid = await c.startBucketTransform({ src: SRC, dst, etl: { name: k.name } });
        const done = await c.waitJob(xid, 'etl-bck', { signal: AbortSignal.timeout(180_000), intervalMs: 300 });
        assert.equal(done.aborted, false, done.err);
        assert.equal(done.running, false);
        assert.equal(done.objs, JOB_OBJECTS + 1);
        for (const i of [0, JOB_OBJECTS - 1])
          assert.equal(await text(c.getObject(dst, jobName(i))), md5(`object ${i}\n`));
        assert.equal(await text(c.getObject(dst, 'shard.in')), SHARD_MD5);
      });

      it('stop removes the pods (stage Aborted), delete removes the ETL', async () => {
        await c.stopEtl(k.name);
        await waitFor('no pods of the stopped ETL', 60_000, async () => (await k8s.listEtlPods(k.name)).length === 0);
        assert.equal((await c.listEtls()).find((e) => e.name === k.name)?.stage, 'Aborted');
        await c.deleteEtl(k.name);
        assert.equal(
          (await c.listEtls()).find((e) => e.name === k.name),
          undefined,
        );
      });
    });
  }

  it("the seed tutorial's Pod spec (no readinessProbe) is refused by aisnode with AIS's own message", async () => {
    const body = initBody(seedPodSpecDef(), 'k8s-seed-spec', info);
    const err = await c.initEtl(body).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof AisError, `expected a refusal, got ${String(err)}`);
    assert.match(err.aisMessage, /readinessProbe section is required/);
    assert.equal((await etlPods(a)).filter((p) => p.metadata?.name?.startsWith('k8s-seed-spec')).length, 0);
  });

  it('the local cluster emulating 5.0 refuses the same body with the same message', async () => {
    const local = await startLocal(2, '5.0');
    const lc = new AisClient({ endpoint: local.endpoint, timeoutMs: 120_000 });
    try {
      const err = await lc.initEtl(initBody(seedPodSpecDef(), 'k8s-seed-spec', info)).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err instanceof AisError, `expected a refusal, got ${String(err)}`);
      assert.match(err.aisMessage, /readinessProbe section is required/);
    } finally {
      await lc.close();
      await local.stop();
    }
  });

  it('[documented leniency] on the local cluster emulating 3.29 it runs, and says it works locally only', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'aisetl-k8s-home-'));
    const saved = process.env.AISETL_HOME;
    process.env.AISETL_HOME = home; // the local cluster's image store, for `aisetl build` of the tutorial's Dockerfile
    const local = await startLocal(2, '3.29');
    const lc = new AisClient({ endpoint: local.endpoint, timeoutMs: 120_000 });
    try {
      await buildLocalImage('docker.io/aistore/md5_server:v1', TUTORIAL, { storeDir: path.join(home, 'images') });
      await lc.createBucket(SRC);
      await lc.putObject(SRC, 'shard.in', SHARD_TEXT);
      await lc.initEtl(initBody(seedPodSpecDef(), 'k8s-seed-spec', info));
      assert.equal(await text(lc.getObject(SRC, 'shard.in', { etl: { name: 'k8s-seed-spec' } })), SHARD_MD5);
      const listed = (await lc.listEtls()).find((e) => e.name === 'k8s-seed-spec');
      assert.ok(
        listed?.localLeniencies?.some((l) => l.id === 'pod-spec-no-readiness-probe'),
        JSON.stringify(listed),
      );
    } finally {
      await lc.close();
      await local.stop();
      if (saved === undefined) delete process.env.AISETL_HOME;
      else process.env.AISETL_HOME = saved;
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
