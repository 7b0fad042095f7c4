// The arguments commands take besides tree nodes: plain references (the API, tests, other commands) and `ais:` Uris
// (editor menus). These pure functions turn a node, a reference or a Uri into the reference the command needs; a
// missing part is prompted for by the command.
import { parseAisUri } from '../editors/aisUri';
import { suggestEtlName } from '../engine/etl/names';
import {
  isTreeNode,
  type BucketNode,
  type ClusterNode,
  type EtlLogsNode,
  type EtlNode,
  type EtlTargetNode,
  type ObjectNode,
  type PodNode,
  type PrefixNode,
  type TreeNode,
} from '../views/treeNodes';

/** A vscode.Uri, structurally (this module has no `vscode` import). */
export interface AisUriLike {
  scheme: string;
  authority: string;
  path: string;
}

export interface ClusterRef {
  cluster?: string;
}
export interface BucketRef extends ClusterRef {
  bucket?: string;
}
export interface ObjectRef extends BucketRef {
  object?: string;
}
export interface EtlRef extends ClusterRef {
  etl?: string;
  target?: string;
}

export type ObjectArg = ObjectNode | ObjectRef | AisUriLike;
export type BucketArg = BucketNode | PrefixNode | ObjectNode | BucketRef | AisUriLike;
export type EtlArg = EtlNode | EtlTargetNode | EtlLogsNode | PodNode | EtlRef;

function isUri(a: object): a is AisUriLike {
  return 'scheme' in a && 'authority' in a && 'path' in a;
}

function fromUri(a: AisUriLike): ObjectRef {
  if (a.scheme !== 'ais') return {};
  const loc = parseAisUri(a.authority, a.path);
  return { cluster: loc.cluster, bucket: loc.bucket || undefined, object: loc.object || undefined };
}

export function objectRef(a: ObjectArg | undefined): ObjectRef {
  if (!a) return {};
  if (isTreeNode(a)) return { cluster: a.clusterId, bucket: a.bucket, object: a.object };
  return isUri(a) ? fromUri(a) : a;
}

export function bucketRef(a: BucketArg | undefined): BucketRef {
  if (!a) return {};
  if (isTreeNode(a)) return { cluster: a.clusterId, bucket: a.bucket };
  const { cluster, bucket } = isUri(a) ? fromUri(a) : a;
  return { cluster, bucket };
}

export function etlRef(a: EtlArg | undefined): EtlRef {
  if (!a) return {};
  if (!isTreeNode(a)) return a;
  const target = a.kind === 'etl' ? undefined : a.targetId;
  return { cluster: a.clusterId, etl: a.etlName, target };
}

/** The cluster a node belongs to, or the one a reference names. */
export function clusterRef(a: TreeNode | ClusterNode | ClusterRef | undefined): string | undefined {
  if (!a) return undefined;
  return isTreeNode(a) ? a.clusterId : a.cluster;
}

/** "a, b c" → ['a', 'b', 'c']: ETL pipelines typed into an input box. */
export function parsePipeline(text: string | undefined): string[] {
  return (text ?? '')
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A valid ETL name derived from a file name (`my_md5.py` → `my-md5`), by the engine's naming rule. */
export function etlNameFromFile(fileName: string): string {
  const base = fileName.replace(/\\/g, '/').split('/').pop() ?? 'etl';
  const stem = base.replace(/\.(py|ya?ml|json)$/i, '');
  return suggestEtlName(stem) ?? suggestEtlName(`etl-${stem}`) ?? 'my-etl';
}
