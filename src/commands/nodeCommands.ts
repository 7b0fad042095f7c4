// What a click on a tree row runs: typed invocations from the command table, so the tree never names a command id.
import type { TreeNode } from '../views/treeNodes';
import { refresh, loadMore } from './clusters';
import { startLocalCluster } from './localCluster';
import { showEtlLogs } from './logs';
import type { CommandInvocation } from './table';
import { openObject } from './transformObject';

export function nodeClick(node: TreeNode): CommandInvocation | undefined {
  switch (node.kind) {
    case 'object':
      return openObject.build(node);
    case 'loadMore':
      return loadMore.build(node);
    case 'etlLogs':
      return showEtlLogs.build(node);
    case 'error':
      return refresh.build(node, 'Retry');
    // The row under a stopped local cluster: a click brings the cluster back with its data.
    case 'info':
      return node.parent.kind === 'cluster' && node.parent.stopped ? startLocalCluster.build(undefined) : undefined;
    default:
      return undefined;
  }
}
