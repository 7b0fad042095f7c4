// The Clusters tree's nodes: one kind per thing the user sees, each with exactly the fields that kind has, so code
// that receives a node (the tree provider, commands invoked from a node's menu) switches on `kind` instead of guessing.
// Plain data (no `vscode` import): the provider maps these to TreeItems, tests inspect them.
import type { EtlPod } from '../engine/k8s';
import { oneLine, withoutRepeats } from '../services/messages';

/** What every row shows. */
export interface NodeView {
  readonly id: string;
  label: string;
  description?: string;
  tooltip?: string;
  /** Codicon id, e.g. `database`. */
  icon: string;
  /** Theme color id for the icon, e.g. `testing.iconFailed`. */
  iconColor?: string;
  /** Drives the menus in package.json: `cluster`, `cluster.local`, `bucket`, `etl.running`, `etlPod.failing`, … */
  contextValue: string;
  collapsible: 'none' | 'collapsed' | 'expanded';
  readonly clusterId: string;
}

export interface ClusterNode extends NodeView {
  kind: 'cluster';
  parent?: undefined;
  local: boolean;
  /** The local cluster while it is stopped: its data stays in its folder until Start. */
  stopped?: boolean;
}
export interface BucketsNode extends NodeView {
  kind: 'buckets';
  parent: ClusterNode;
}
export interface BucketNode extends NodeView {
  kind: 'bucket';
  parent: BucketsNode;
  bucket: string;
  provider: string;
}
/** A virtual directory of a bucket listed one level at a time. */
export interface PrefixNode extends NodeView {
  kind: 'folder';
  parent: ListingNode;
  bucket: string;
  prefix: string;
}
export type ListingNode = BucketNode | PrefixNode;
export interface ObjectNode extends NodeView {
  kind: 'object';
  parent: ListingNode;
  bucket: string;
  object: string;
}
export interface LoadMoreNode extends NodeView {
  kind: 'loadMore';
  parent: ListingNode;
  bucket: string;
}
export interface EtlsNode extends NodeView {
  kind: 'etls';
  parent: ClusterNode;
}
export interface EtlNode extends NodeView {
  kind: 'etl';
  parent: EtlsNode;
  etlName: string;
  stage: string;
}
/** A target's ETL worker as AIS reports it (the local cluster, or Kubernetes not reachable). */
export interface EtlTargetNode extends NodeView {
  kind: 'etlTarget';
  parent: EtlNode;
  etlName: string;
  targetId: string;
}
/** A Kubernetes pod running the ETL on one target. */
export interface PodNode extends NodeView {
  kind: 'etlPod';
  parent: EtlNode;
  etlName: string;
  targetId: string;
  pod: EtlPod;
}
/** "Logs" of one target, or of all targets under an ETL. */
export interface EtlLogsNode extends NodeView {
  kind: 'etlLogs';
  parent: EtlNode | EtlTargetNode;
  etlName: string;
  targetId?: string;
}
/** An error (clicking retries what failed), an empty listing, or a note. */
export interface MessageNode extends NodeView {
  kind: 'error' | 'empty' | 'info';
  parent: TreeNode;
}

export type TreeNode =
  | ClusterNode
  | BucketsNode
  | BucketNode
  | PrefixNode
  | ObjectNode
  | LoadMoreNode
  | EtlsNode
  | EtlNode
  | EtlTargetNode
  | PodNode
  | EtlLogsNode
  | MessageNode;
export type NodeKind = TreeNode['kind'];
export type NodeOfKind<K extends NodeKind> = Extract<TreeNode, { kind: K }>;

/** True for a node of this tree (commands also receive plain objects, Uris or nothing). */
export function isTreeNode(a: unknown): a is TreeNode {
  return typeof a === 'object' && a !== null && 'kind' in a && 'id' in a && 'clusterId' in a;
}

/** The ids used to find a node's cached state; stable across refreshes so VS Code keeps expansion. */
export const nodeIds = {
  cluster: (c: string) => `c:${c}`,
  buckets: (c: string) => `c:${c}|buckets`,
  bucket: (c: string, b: string) => `c:${c}|b:${b}`,
  folder: (c: string, b: string, prefix: string) => `c:${c}|b:${b}|p:${prefix}`,
  object: (c: string, b: string, o: string) => `c:${c}|b:${b}|o:${o}`,
  etls: (c: string) => `c:${c}|etls`,
  etl: (c: string, e: string) => `c:${c}|e:${e}`,
  target: (c: string, e: string, t: string) => `c:${c}|e:${e}|t:${t}`,
  pod: (c: string, e: string, p: string) => `c:${c}|e:${e}|pod:${p}`,
};

/** A note row; an error is one short line in the tree, the whole text in the hover. */
export function messageNode(
  parent: TreeNode,
  kind: MessageNode['kind'],
  text: string,
  hint?: string,
  idSuffix: string = kind,
): MessageNode {
  const look =
    kind === 'error'
      ? { icon: 'error', iconColor: 'errorForeground' }
      : { icon: kind === 'info' ? 'info' : 'circle-slash' };
  const full = withoutRepeats(text);
  // Errors quote the cluster, sometimes at length: the row keeps the first sentence, the hover has all of it.
  const label = kind === 'error' ? oneLine(full, 100) : full;
  return {
    id: `${parent.id}|${idSuffix}`,
    kind,
    clusterId: parent.clusterId,
    parent,
    label,
    description: hint,
    tooltip: [full, hint].filter(Boolean).join('\n'),
    ...look,
    contextValue: kind,
    collapsible: 'none',
  };
}

/** An error row: clicking it retries what failed. */
export function errorNode(parent: TreeNode, message: string, hint = 'Click to retry'): MessageNode {
  return messageNode(parent, 'error', message, hint);
}
