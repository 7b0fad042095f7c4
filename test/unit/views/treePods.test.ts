// ETL nodes of a Kubernetes cluster: one node per pod from k8s, watched while expanded, and the AIS fallback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClustersTreeModel } from '../../../src/views/treeModel';
import type { ClusterEntry } from '../../../src/services/clusterSources';
import type { EtlPod } from '../../../src/engine/k8s';
import type { ClusterClient } from '../../../src/services/engine';
import type { Connection } from '../../../src/services/k8sPods';
import type { TreeNode } from '../../../src/views/treeNodes';
import { fakePodsApi, md5OnK8sClient } from '../_fakes/client';
import { ofKind } from '../_fakes/nodes';

const NOW = Date.parse('2026-11-25T10:05:00Z');

function aisClient(calls: string[]): ClusterClient {
  return md5OnK8sClient(async (n: string) => {
    calls.push(`health ${n}`);
    return [
      { targetId: 'T1', status: 'Running' },
      { targetId: 'T2', status: 'Running' },
    ];
  });
}

const pod = (target: string, o: Partial<EtlPod> = {}): EtlPod => ({
  name: `md5-${target.toLowerCase()}`,
  namespace: 'ais',
  targetId: target,
  phase: 'Running',
  ready: true,
  restarts: 0,
  node: 'node-a',
  startTime: '2026-11-25T10:00:00Z',
  image: 'aistore/md5:v1',
  ...o,
});

/** A PodsApi fake: records watches and lets the test push changes. */
function fakePods(initial: EtlPod[]) {
  const state = {
    watches: 0,
    open: 0,
    explains: [] as string[],
    onChange: undefined as undefined | ((p: EtlPod[]) => void),
    onError: undefined as undefined | ((m: string) => void),
  };
  const api = fakePodsApi({
    async listEtlPods() {
      return initial;
    },
    watchEtlPods(_etl: string, onChange: (p: EtlPod[]) => void, o?: { onError?(m: string): void }) {
      state.watches++;
      state.open++;
      state.onChange = onChange;
      state.onError = o?.onError;
      let disposed = false;
      return {
        dispose() {
          if (!disposed) {
            disposed = true;
            state.open--;
          }
        },
      };
    },
    async explain(p: EtlPod) {
      state.explains.push(p.name);
      return `Image ${p.image} cannot be pulled: repository does not exist.`;
    },
  });
  return { api, state };
}

function remoteModel(conn: () => Promise<Connection>, calls: string[] = []) {
  const clusters: ClusterEntry[] = [{ id: 'prod', name: 'prod', endpoint: 'http://ais:51080', source: 'settings' }];
  const changed: (TreeNode | undefined)[] = [];
  const m = new ClustersTreeModel({
    clusters: () => clusters,
    client: async () => aisClient(calls),
    pageSize: () => 100,
    k8s: conn,
    now: () => NOW,
  });
  m.onDidChange((n) => changed.push(n));
  return { m, changed };
}

async function etlNode(m: ClustersTreeModel): Promise<TreeNode> {
  const [cluster] = await m.children();
  const [, etls] = await m.children(cluster);
  const [etl] = await m.children(etls);
  assert.equal(etl.kind, 'etl');
  return etl;
}

test('one node per pod: phase, ready, restarts, node and age; failing pods get an error icon and explain() text', async () => {
  const { api, state } = fakePods([
    pod('T1', { restarts: 1 }),
    pod('T2', {
      phase: 'Pending',
      ready: false,
      reason: 'ImagePullBackOff',
      message: 'Back-off pulling image',
      image: 'nope/md5:v9',
    }),
  ]);
  const calls: string[] = [];
  const { m } = remoteModel(async () => api, calls);
  const kids = await m.children(await etlNode(m));
  assert.deepEqual(
    kids.map((k) => [k.kind, k.label]),
    [
      ['etlLogs', 'Logs (all targets)'],
      ['etlPod', 'md5-t1'],
      ['etlPod', 'md5-t2'],
    ],
  );
  const [, ok, bad] = kids;
  assert.equal(ok.description, 'Running · ready · 1 restart · node-a · 5m');
  assert.equal(ok.contextValue, 'etlPod');
  assert.equal(ofKind(ok, 'etlPod').pod.name, 'md5-t1');
  assert.equal(ofKind(ok, 'etlPod').targetId, 'T1');
  assert.match(ok.tooltip ?? '', /target T1/);
  assert.equal(bad.icon, 'error');
  assert.equal(bad.contextValue, 'etlPod.failing');
  assert.match(bad.description ?? '', /^Pending \(ImagePullBackOff\) · not ready · 0 restarts/);
  assert.match(bad.tooltip ?? '', /Image nope\/md5:v9 cannot be pulled/);
  assert.deepEqual(state.explains, ['md5-t2']);
  assert.deepEqual(calls, [], 'AIS health is not asked when k8s answers');
  // A second render of the same state does not explain again.
  await m.children(await etlNode(m));
  assert.deepEqual(state.explains, ['md5-t2']);
});

test('the watch runs while the ETL node is expanded: changes re-render it; collapse, refresh and dispose stop it', async () => {
  const { api, state } = fakePods([pod('T1', { ready: false, reason: 'ContainerCreating', phase: 'Pending' })]);
  const { m, changed } = remoteModel(async () => api);
  const etl = await etlNode(m);
  await m.children(etl);
  assert.equal(state.watches, 1);
  assert.deepEqual(m.watchedEtls(), [etl.id]);
  await m.children(etl); // re-render: same watch
  assert.equal(state.watches, 1);

  const before = changed.length;
  state.onChange!([pod('T1', { ready: false, reason: 'ContainerCreating', phase: 'Pending' })]); // nothing new
  assert.equal(changed.length, before);
  state.onChange!([pod('T1'), pod('T2')]);
  assert.equal(changed.at(-1)?.id, etl.id);
  assert.deepEqual(
    (await m.children(etl)).filter((k) => k.kind === 'etlPod').map((k) => k.description),
    ['Running · ready · 0 restarts · node-a · 5m', 'Running · ready · 0 restarts · node-a · 5m'],
  );
  state.onError!('pod watch closed; retrying in 0.5s');
  assert.match((await m.children(etl)).map((k) => k.label).join('\n'), /Pod watch interrupted: pod watch closed/);

  m.collapsed(etl);
  assert.equal(state.open, 0);
  assert.deepEqual(m.watchedEtls(), []);
  await m.children(etl); // expanded again: a new watch
  assert.equal(state.watches, 2);
  m.refresh(etl);
  assert.equal(state.open, 0);
  await m.children(etl);
  const [cluster] = await m.children();
  m.collapsed(cluster); // collapsing an ancestor stops it too
  assert.equal(state.open, 0);
  await m.children(etl);
  m.refresh();
  assert.equal(state.open, 0);
  await m.children(etl);
  m.dispose();
  assert.equal(state.open, 0);
  assert.equal(state.watches, 5);
});

test('a watch event after collapse is ignored', async () => {
  const { api, state } = fakePods([pod('T1')]);
  const { m, changed } = remoteModel(async () => api);
  const etl = await etlNode(m);
  await m.children(etl);
  const onChange = state.onChange!;
  m.collapsed(etl);
  const before = changed.length;
  onChange([]);
  assert.equal(changed.length, before);
});

test('Kubernetes unavailable: ONE info line with the reason, then what AIS reports', async () => {
  const calls: string[] = [];
  const { m } = remoteModel(
    async () => ({ unavailable: 'No kubeconfig found (KUBECONFIG is not set and /h/.kube/config does not exist)' }),
    calls,
  );
  const kids = await m.children(await etlNode(m));
  assert.deepEqual(
    kids.map((k) => k.kind),
    ['info', 'etlLogs', 'etlTarget', 'etlTarget'],
  );
  assert.equal(
    kids[0].label,
    'Kubernetes not reachable: No kubeconfig found (KUBECONFIG is not set and /h/.kube/config does not exist) — showing what AIS reports',
  );
  assert.deepEqual(
    kids.slice(2).map((k) => [k.label, k.description]),
    [
      ['T1', 'Running'],
      ['T2', 'Running'],
    ],
  );
  assert.deepEqual(calls, ['health md5']);
  assert.deepEqual(m.watchedEtls(), []);
});

test('listing pods fails (e.g. 403): the same single info line and AIS fallback, no watch', async () => {
  const { api, state } = fakePods([]);
  (api as { listEtlPods: unknown }).listEtlPods = async () => {
    throw new Error('Forbidden: cannot list pods in namespace "ais" — ask for RBAC');
  };
  const { m } = remoteModel(async () => api);
  const kids = await m.children(await etlNode(m));
  assert.equal(kids.filter((k) => k.kind === 'info').length, 1);
  assert.match(kids[0].label, /^Kubernetes not reachable: Forbidden: cannot list pods/);
  assert.equal(state.watches, 0);
});

test('no pods in Kubernetes: says where it looked', async () => {
  const { api } = fakePods([]);
  const { m } = remoteModel(async () => api);
  const kids = await m.children(await etlNode(m));
  assert.deepEqual(
    kids.map((k) => [k.kind, k.label, k.description]),
    [
      ['etlLogs', 'Logs (all targets)', undefined],
      ['info', 'No pods', 'none in namespace ais yet'],
    ],
  );
});

test('two renders racing while the ETL node opens start one watch', async () => {
  const { api, state } = fakePods([pod('T1')]);
  const { m } = remoteModel(async () => api);
  const etl = await etlNode(m);
  const [a, b] = await Promise.all([m.children(etl), m.children(etl)]);
  assert.equal(a.length, 2);
  assert.equal(b.length, 2);
  assert.equal(state.watches, 1);
});

test('collapsed while the pods are still being listed: shown once, no watch left behind', async () => {
  const { api, state } = fakePods([pod('T1')]);
  let release!: () => void;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const list = api.listEtlPods.bind(api);
  (api as { listEtlPods: unknown }).listEtlPods = async (e: string) => {
    await gate;
    return list(e);
  };
  const { m } = remoteModel(async () => api);
  const etl = await etlNode(m);
  const pending = m.children(etl);
  await new Promise((r) => setImmediate(r));
  m.collapsed(etl);
  release();
  assert.deepEqual(
    (await pending).map((k) => k.kind),
    ['etlLogs', 'etlPod'],
  );
  assert.equal(state.watches, 0);
  assert.deepEqual(m.watchedEtls(), []);
});
