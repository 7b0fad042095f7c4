// The engine's Kubernetes module (src/engine/k8s) against a real kube-apiserver, with real AIS ETL pods: exact label
// matching per target, watch + reconnect, log follow through the apiserver (kwok serves the pod runner's CRI file),
// describe, explain with the real scheduler's message, discovery of an AIStore custom resource, 401 and 403.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import { AisClient, type Smap } from '../../../src/engine/ais/index';
import { K8sEtlPods, type EtlPod } from '../../../src/engine/k8s/index';
import { CriLogFile } from './runner/cri-log';
import { initBody, wrappedCodeDef } from './lib/etls';
import {
  admin,
  apiServer,
  harness,
  kubeconfigVariant,
  NS,
  relay,
  waitFor,
  type Admin,
  type Harness,
} from './lib/harness';

const h = harness();
const skip =
  'skip' in h ? h.skip : 'venvProblem' in h && h.venvProblem ? `the ETL's Python venv: ${h.venvProblem}` : false;
const ETL = 'k8s-mod-etl';

async function connect(kubeconfigPath: string): Promise<K8sEtlPods> {
  const p = await K8sEtlPods.fromKubeconfig({ kubeconfigPath, namespace: NS });
  if ('unavailable' in p) throw new Error(p.unavailable);
  return p;
}

/** A pod labelled like an AIS ETL pod of `etl` on target `tid`; `node` unset + a selector no node has = Pending. */
function lookalike(etl: string, tid: string, node?: string): V1Pod {
  const name = `${etl}-${tid.toLowerCase()}`;
  return {
    metadata: {
      name,
      namespace: NS,
      labels: {
        app: 'ais',
        'app.kubernetes.io/name': 'etl',
        'app.kubernetes.io/component': 'server',
        'nvidia.com/ais-etl-name': name,
        'nvidia.com/ais-etl-target': tid,
        'nvidia.com/ais-etl-node': node ?? 'none',
      },
    },
    spec: {
      containers: [{ name: etl, image: 'aistorage/runtime_python:3.11' }],
      nodeSelector: { 'aisetl.test/no-such': 'node' },
    },
  };
}

describe('engine k8s module against a real kube-apiserver', { skip }, () => {
  const hh = h as Harness;
  let c: AisClient;
  let a: Admin;
  let k8s: K8sEtlPods;
  let smap: Smap;
  let pods: EtlPod[];
  const tmp = fs.mkdtempSync('/tmp/aisetl-k8s-mod-');

  before(async () => {
    c = new AisClient({ endpoint: hh.endpoint, timeoutMs: 180_000 });
    a = admin(hh);
    k8s = await connect(hh.kubeconfig);
    smap = await c.clusterMap();
    await c.initEtl(initBody(wrappedCodeDef(), ETL, await c.cluster()));
    pods = await k8s.waitForEtlPods(
      ETL,
      smap.targets.map((t) => t.id),
      { signal: AbortSignal.timeout(120_000) },
    );
  });
  after(async () => {
    await c?.stopEtl(ETL).catch(() => undefined);
    await c?.deleteEtl(ETL).catch(() => undefined);
    await c?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("lists exactly the ETL's pods per target; a name sharing its prefix is not confused with it", async () => {
    const tid = smap.targets[0].id;
    await a.core.createNamespacedPod({ namespace: NS, body: lookalike(`${ETL}-2`, tid) });
    const mine = await k8s.listEtlPods(ETL);
    assert.deepEqual(mine.map((p) => p.name).sort(), smap.targets.map((t) => `${ETL}-${t.id.toLowerCase()}`).sort());
    assert.ok(mine.every((p) => p.ready && p.phase === 'Running' && p.node?.startsWith('ais-node-')));
    const other = await k8s.listEtlPods(`${ETL}-2`);
    assert.deepEqual(
      other.map((p) => p.name),
      [`${ETL}-2-${tid.toLowerCase()}`],
    );
  });

  it("explains a Pending pod with the real scheduler's message", async () => {
    const [pending] = await k8s.listEtlPods(`${ETL}-2`);
    const text = await waitFor('the scheduler to report the pod unschedulable', 30_000, async () => {
      const t = await k8s.explain(pending);
      return /node\(s\) didn't match Pod's node affinity\/selector/.test(t) ? t : undefined;
    });
    assert.match(text, /0\/3 nodes are available/);
    await a.core.deleteNamespacedPod({ name: pending.name, namespace: NS, gracePeriodSeconds: 0 });
  });

  it('describes a pod: its YAML as the apiserver has it', async () => {
    const yaml = await k8s.describe(pods[0].name);
    assert.match(yaml, new RegExp(`name: ${pods[0].name}`));
    assert.match(yaml, /nodeName: ais-node-/);
    assert.match(yaml, /nvidia\.com\/ais-etl-target: /);
  });

  it('reads and follows a pod log through the apiserver (kwok serves the CRI file)', async () => {
    const pod = pods[0];
    assert.match(await k8s.readLog(pod.name, { tail: 50 }), /\[pod-runner\] running /);
    const lines: string[] = [];
    let ended = '';
    const follow = k8s.followLogs(pod.name, {
      tail: 1,
      onLine: (l) => lines.push(l),
      onEnd: (r) => {
        ended = r;
      },
    });
    try {
      await waitFor('the tail line', 15_000, () => lines.length > 0);
      const marker = `follow-marker-${Date.now()}`;
      const log = new CriLogFile(`${hh.podLogDir}/${pod.name}.log`);
      log.line('stdout', marker);
      log.close();
      await waitFor('the appended line to arrive while following', 15_000, () => lines.some((l) => l.includes(marker)));
    } finally {
      follow.dispose();
    }
    assert.ok(ended === '' || ended === 'disposed', ended);
  });

  it("watches the ETL's pods and reconnects after every connection to the apiserver was cut", async () => {
    const r = await relay(apiServer(hh.kubeconfig));
    const viaRelay = await connect(
      kubeconfigVariant(hh.kubeconfig, tmp, 'relay', { server: `https://127.0.0.1:${r.port}` }),
    );
    const seen: EtlPod[][] = [];
    const errors: string[] = [];
    const w = viaRelay.watchEtlPods(ETL, (p) => seen.push(p), {
      onError: (m) => errors.push(m),
      initialBackoffMs: 200,
    });
    try {
      await waitFor('the first list', 15_000, () => seen.at(-1)?.length === 2);
      r.cut();
      await a.core.createNamespacedPod({ namespace: NS, body: lookalike(ETL, 'FAKETGT') });
      const after = await waitFor('the pod created while disconnected', 30_000, () =>
        seen.at(-1)?.length === 3 ? seen.at(-1) : undefined,
      );
      assert.ok(after.some((p) => p.targetId === 'FAKETGT'));
      await a.core.deleteNamespacedPod({ name: `${ETL}-faketgt`, namespace: NS, gracePeriodSeconds: 0 });
      await waitFor('the deletion', 30_000, () => seen.at(-1)?.length === 2);
    } finally {
      w.dispose();
      await r.close();
    }
  });

  it('discovers the AIS cluster from an AIStore custom resource and its NodePort proxy service', async () => {
    await a.ext.createCustomResourceDefinition({ body: aistoreCrd() });
    await waitFor('the AIStore CRD to be served', 30_000, async () => {
      const crd = await a.ext.readCustomResourceDefinition({ name: 'aistores.ais.nvidia.com' });
      return crd.status?.conditions?.some((x) => x.type === 'Established' && x.status === 'True');
    });
    await a.custom.createNamespacedCustomObject({
      group: 'ais.nvidia.com',
      version: 'v1beta1',
      namespace: NS,
      plural: 'aistores',
      body: {
        apiVersion: 'ais.nvidia.com/v1beta1',
        kind: 'AIStore',
        metadata: { name: 'ais', namespace: NS },
        spec: { size: 2, proxySpec: { servicePort: 51080 } },
        status: { state: 'Ready' },
      },
    });
    const found = await k8s.discoverClusters();
    const ais = found.find((x) => x.name === 'ais');
    assert.ok(ais, JSON.stringify(found));
    assert.equal(ais.source, 'operator');
    assert.equal(ais.how, 'node-port');
    assert.equal(ais.endpoint, hh.endpoint);
    const viaDiscovery = new AisClient({ endpoint: ais.endpoint! });
    try {
      assert.equal((await viaDiscovery.cluster()).deployment, 'K8s');
    } finally {
      await viaDiscovery.close();
    }
  });

  it('401: a token the apiserver does not know is reported as rejected credentials', async () => {
    const bad = kubeconfigVariant(hh.kubeconfig, tmp, 'bad-token', { token: 'not-a-token-the-apiserver-knows' });
    const p = await K8sEtlPods.fromKubeconfig({ kubeconfigPath: bad, namespace: NS });
    assert.ok('unavailable' in p);
    assert.match(p.unavailable, /401 Unauthorized/);
  });

  it('403: a user without rights, then a real RBAC role that allows listing pods but not logs, delete or watch', async () => {
    const none = await K8sEtlPods.fromKubeconfig({ kubeconfigPath: hh.limitedKubeconfig, namespace: NS });
    assert.ok('unavailable' in none);
    assert.match(none.unavailable, /403 Forbidden/);
    await a.rbac.createNamespacedRole({
      namespace: NS,
      body: {
        metadata: { name: 'etl-pods-read' },
        rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }],
      },
    });
    await a.rbac.createNamespacedRoleBinding({
      namespace: NS,
      body: {
        metadata: { name: 'etl-pods-read' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'etl-pods-read' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'limited' }],
      },
    });
    const limited = await waitFor('the role binding to take effect', 15_000, async () => {
      const p = await K8sEtlPods.fromKubeconfig({ kubeconfigPath: hh.limitedKubeconfig, namespace: NS });
      return 'unavailable' in p ? undefined : p;
    });
    assert.equal((await limited.listEtlPods(ETL)).length, 2);
    await assert.rejects(limited.readLog(pods[0].name), /403 Forbidden/);
    await assert.rejects(limited.deletePod(pods[0].name), /403 Forbidden/);
    const errors: string[] = [];
    const seen: EtlPod[][] = [];
    const w = limited.watchEtlPods(ETL, (p) => seen.push(p), { onError: (m) => errors.push(m), pollMs: 300 });
    try {
      await waitFor('the watch to fall back to listing', 15_000, () =>
        errors.some((m) => /Refreshing by listing/.test(m)),
      );
      assert.equal(seen.at(-1)?.length, 2);
    } finally {
      w.dispose();
    }
  });
});

function aistoreCrd() {
  return {
    metadata: { name: 'aistores.ais.nvidia.com' },
    spec: {
      group: 'ais.nvidia.com',
      scope: 'Namespaced',
      names: { plural: 'aistores', singular: 'aistore', kind: 'AIStore', listKind: 'AIStoreList' },
      versions: [
        {
          name: 'v1beta1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        },
      ],
    },
  };
}
