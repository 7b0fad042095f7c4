// The Clusters tree's ETL pods through the real (lazily loaded) engine against the fake kube-apiserver on loopback,
// with kubeconfig files in temp folders.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { delimiter, join } from 'node:path';
import { K8sPodsService } from '../../../src/services/k8sPods';
import { ClustersTreeModel } from '../../../src/views/treeModel';
import type { ClusterEntry } from '../../../src/services/clusterSources';
import { md5OnK8sClient } from '../_fakes/client';
import type { TreeNode } from '../../../src/views/treeNodes';
import { etlPod, FakeApiserver, podEvent, tempKubeconfig, until } from '../engine/k8s/fake-apiserver';

let fake: FakeApiserver;
const cleanups: (() => void)[] = [];
before(async () => {
  fake = await new FakeApiserver().start();
});
after(async () => {
  await fake.close();
  for (const c of cleanups) c();
});

function kubeconfig(o: Parameters<typeof tempKubeconfig>[1] = {}): string {
  const k = tempKubeconfig(fake.url, o);
  cleanups.push(k.cleanup);
  return k.path;
}

const ais = md5OnK8sClient(async () => [{ targetId: 'T1', status: 'Running' }]);

function tree(svc: K8sPodsService, cluster: ClusterEntry) {
  const changed: (TreeNode | undefined)[] = [];
  const m = new ClustersTreeModel({
    clusters: () => [cluster],
    client: async () => ais,
    pageSize: () => 100,
    k8s: (c) => svc.forCluster(c),
  });
  m.onDidChange((n) => changed.push(n));
  return { m, changed };
}

async function etlNode(m: ClustersTreeModel): Promise<TreeNode> {
  const [c] = await m.children();
  const [, etls] = await m.children(c);
  return (await m.children(etls))[0];
}

test('KUBECONFIG with several files is merged like kubectl (the context is only in the second file)', async () => {
  const first = kubeconfig({ context: 'first' });
  const second = kubeconfig({ context: 'second' });
  fake.putPod(etlPod({ etl: 'md5', target: 'T1', ready: true }));
  const svc = new K8sPodsService({
    kubeconfig: () => '',
    log: () => undefined,
    env: { KUBECONFIG: ['/nonexistent/config', first, second].join(delimiter) },
  });
  const cluster: ClusterEntry = {
    id: 'prod',
    name: 'prod',
    endpoint: 'http://ais:51080',
    source: 'settings',
    k8s: { context: 'second', namespace: 'ais' },
  };
  const c = await svc.forCluster(cluster);
  assert.ok(!('unavailable' in c), 'unavailable' in c ? c.unavailable : '');
  assert.equal(c.context, 'second');
  assert.equal(c.namespace, 'ais');
  assert.deepEqual(
    (await c.listEtlPods('md5')).map((p) => p.name),
    ['md5-t1'],
  );
  fake.removePod('ais', 'md5-t1');
});

test('tree over the real engine: pods listed, a change arrives through the watch, collapse closes the watch', async () => {
  const svc = new K8sPodsService({ kubeconfig: () => kubeconfig({ namespace: 'ais' }), log: () => undefined });
  fake.putPod(etlPod({ etl: 'md5', target: 'T1', ready: true }));
  fake.putPod(etlPod({ etl: 'md5-2', target: 'T1', ready: true })); // another ETL: never shown under md5
  const { m, changed } = tree(svc, { id: 'prod', name: 'prod', endpoint: 'http://ais:51080', source: 'settings' });
  const etl = await etlNode(m);
  let kids = await m.children(etl);
  assert.deepEqual(
    kids.filter((k) => k.kind === 'etlPod').map((k) => k.label),
    ['md5-t1'],
  );
  await until(() => fake.watcherCount() === 1, 'the pod watch is open');

  const before = changed.length;
  fake.putPod(
    etlPod({
      etl: 'md5',
      target: 'T2',
      image: 'nope/md5:v9',
      waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nope/md5:v9"' },
    }),
  );
  fake.events.push(
    podEvent(
      'ais',
      'md5-t2',
      'Failed',
      'Failed to pull image "nope/md5:v9": repository does not exist or may require authorization',
    ),
  );
  await until(() => changed.slice(before).some((n) => n?.id === etl.id), 'the ETL node re-rendered');
  kids = await m.children(etl);
  const bad = kids.find((k) => k.label === 'md5-t2');
  assert.ok(bad, kids.map((k) => k.label).join(','));
  assert.equal(bad.icon, 'error');
  assert.match(bad.tooltip ?? '', /repository does not exist/);

  m.collapsed(etl);
  await until(() => fake.watcherCount() === 0, 'the watch closed after collapse');
  m.dispose();
  fake.removePod('ais', 'md5-t1');
  fake.removePod('ais', 'md5-t2');
  fake.removePod('ais', 'md5-2-t1');
  fake.events = [];
});

test('expired token (401): one info line saying so, then what AIS reports', async () => {
  const svc = new K8sPodsService({
    kubeconfig: () => kubeconfig({ token: 'expired', namespace: 'ais' }),
    log: () => undefined,
  });
  const { m } = tree(svc, { id: 'prod', name: 'prod', endpoint: 'http://ais:51080', source: 'settings' });
  const kids = await m.children(await etlNode(m));
  assert.deepEqual(
    kids.map((k) => k.kind),
    ['info', 'etlLogs', 'etlTarget'],
  );
  assert.match(kids[0].label, /^Kubernetes not reachable: .*(401|Unauthorized).* — showing what AIS reports$/);
});

test("a cluster entry's own kubeconfig wins over the global one", async () => {
  const svc = new K8sPodsService({ kubeconfig: () => join('/nonexistent', 'global'), log: () => undefined });
  const c = await svc.forCluster({
    id: 'p',
    name: 'p',
    endpoint: 'http://ais:1',
    source: 'settings',
    k8s: { kubeconfig: kubeconfig(), namespace: 'ais' },
  });
  assert.ok(!('unavailable' in c), 'unavailable' in c ? c.unavailable : '');
});
