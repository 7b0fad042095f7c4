// The local cluster keeps one row across Stop/Start: its configured name, "stopped" in grey while stopped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClustersTreeModel } from '../../../src/views/treeModel';
import type { ClusterEntry } from '../../../src/services/clusterSources';
import type { LocalIdentity } from '../../../src/services/localCluster';
import { fakeClient } from '../_fakes/client';

function model(clusters: ClusterEntry[], local: LocalIdentity) {
  return new ClustersTreeModel({
    clusters: () => clusters,
    client: async () => fakeClient(),
    pageSize: () => 100,
    localCluster: () => local,
  });
}

test('a stopped local cluster with data is a grey "stopped" row, not "unreachable", and says where its data is', async () => {
  const m = model([], { name: 'local demo', dataDir: '/ws/.demo/data', running: false, hasData: true });
  const [row] = await m.children();
  assert.equal(row.label, 'local demo');
  assert.equal(row.description, 'stopped');
  assert.equal(row.iconColor, 'disabledForeground');
  assert.equal(row.contextValue, 'cluster.local.stopped');
  assert.match(row.tooltip ?? '', /\/ws\/\.demo\/data/);
  const kids = await m.children(row);
  assert.deepEqual(
    kids.map((k) => k.kind),
    ['info'],
  );
  assert.match(kids[0].label, /Start local cluster/);
});

test('no row for a local cluster that never ran here; the running one is listed once under its name', async () => {
  assert.deepEqual(await model([], { name: 'local', dataDir: '/x', running: false, hasData: false }).children(), []);
  const running: ClusterEntry = {
    id: 'local demo',
    name: 'local demo',
    endpoint: 'http://127.0.0.1:9',
    source: 'local',
  };
  const rows = await model([running], { name: 'local demo', dataDir: '/x', running: true, hasData: true }).children();
  assert.deepEqual(
    rows.map((r) => [r.label, r.contextValue]),
    [['local demo', 'cluster.local']],
  );
});
