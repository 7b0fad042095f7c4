import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorNode, type ClusterNode } from '../../../src/views/treeNodes';

const cluster: ClusterNode = {
  id: 'c:local',
  kind: 'cluster',
  clusterId: 'local',
  label: 'local',
  local: true,
  icon: 'vm',
  contextValue: 'cluster.local',
  collapsible: 'collapsed',
};

test('an error row is one short line; the whole text, each sentence once, is in the hover', () => {
  const raw =
    'Can\'t list ETLs: 404 Not Found. ETL "x" does not exist. ETL "x" does not exist.\nat gateway (http://127.0.0.1:1/v1/etl) with a lot more detail after it';
  const n = errorNode(cluster, raw);
  assert.equal(n.label, "Can't list ETLs: 404 Not Found.");
  assert.equal((n.tooltip ?? '').match(/does not exist/g)?.length, 1);
  assert.match(n.tooltip ?? '', /a lot more detail/);
  assert.equal(n.description, 'Click to retry');
});
