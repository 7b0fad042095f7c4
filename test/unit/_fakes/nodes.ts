// Narrowing tree nodes in tests: the node, checked to be of one of `kinds`, typed as that kind.
import assert from 'node:assert/strict';
import type { NodeKind, NodeOfKind, TreeNode } from '../../../src/views/treeNodes';

export function ofKind<K extends NodeKind>(n: TreeNode | undefined, ...kinds: K[]): NodeOfKind<K> {
  assert.ok(n && (kinds as NodeKind[]).includes(n.kind), `expected a ${kinds.join('/')} node, got ${n?.kind}`);
  return n as NodeOfKind<K>;
}
