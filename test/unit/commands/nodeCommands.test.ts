// Clicks on tree rows: each row kind runs its typed command with the row itself as the argument.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../_fakes/vscode';
import { nodeClick } from '../../../src/commands/nodeCommands';
import { ClustersTreeModel } from '../../../src/views/treeModel';
import { fakeClient, K8S_CLUSTER_INFO } from '../_fakes/client';
import { ofKind } from '../_fakes/nodes';

const client = fakeClient({
  async cluster() {
    return { ...K8S_CLUSTER_INFO, dialect: 'v5.0', deployment: 'x', local: true, codeInit: true };
  },
  async listBuckets() {
    return [{ name: 'b', provider: 'ais' }];
  },
  async listObjectsPage() {
    return { entries: [{ name: 'o1', size: 1 }], continuationToken: 'next' };
  },
  async listEtls() {
    return [{ name: 'md5', stage: 'Running' }];
  },
  async etlDetails() {
    return { initMsg: {}, kind: 'code' as const, objErrors: [] };
  },
  async etlHealth() {
    throw new Error('unreachable');
  },
});

test('object, load-more, logs and error rows run their commands with the row; others run nothing', async () => {
  const m = new ClustersTreeModel({
    clusters: () => [{ id: 'local', name: 'local', endpoint: 'x', source: 'local' }],
    client: async () => client,
    pageSize: () => 1,
  });
  const [cluster] = await m.children();
  const [buckets, etls] = await m.children(cluster);
  const [bucket] = await m.children(buckets);
  const [object, more] = await m.children(bucket);
  assert.deepEqual(nodeClick(ofKind(object, 'object')), {
    command: 'aistore.openObject',
    title: 'Open object',
    arguments: [object],
  });
  assert.deepEqual(nodeClick(ofKind(more, 'loadMore')), {
    command: 'aistore.loadMore',
    title: 'Load more',
    arguments: [more],
  });
  const [etl] = await m.children(etls);
  const [logs, info] = await m.children(etl);
  assert.equal(nodeClick(ofKind(logs, 'etlLogs'))?.command, 'aistore.showEtlLogs');
  assert.equal(nodeClick(ofKind(info, 'info')), undefined);
  assert.equal(nodeClick(cluster), undefined);
  const broken = new ClustersTreeModel({
    clusters: () => [{ id: 'x', name: 'x', endpoint: 'x', source: 'settings' }],
    client: async () => {
      throw new Error('ECONNREFUSED');
    },
    pageSize: () => 1,
  });
  const [err] = await broken.children((await broken.children())[0]);
  assert.deepEqual(nodeClick(ofKind(err, 'error')), { command: 'aistore.refresh', title: 'Retry', arguments: [err] });
});

test('the row under a stopped local cluster starts it', async () => {
  const m = new ClustersTreeModel({
    clusters: () => [],
    client: async () => client,
    pageSize: () => 1,
    localCluster: () => ({ name: 'local', dataDir: '/d', running: false, hasData: true }),
  });
  const [stopped] = await m.children();
  const [row] = await m.children(stopped);
  assert.equal(nodeClick(row)?.command, 'aistore.startLocalCluster');
});
