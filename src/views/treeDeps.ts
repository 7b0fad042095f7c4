// What the Clusters tree needs from the rest of the extension, injected so the loaders are unit-tested with fakes.
import type { ClusterEntry } from '../services/clusterSources';
import type { ClusterClient } from '../services/engine';
import type { Connection } from '../services/k8sPods';
import type { TreeNode } from './treeNodes';

export interface TreeModelDeps {
  clusters(): readonly ClusterEntry[];
  client(clusterId: string): Promise<ClusterClient>;
  pageSize(): number;
  /**
   * Kubernetes for a non-local cluster (loaded lazily by the caller): the pods API, or why it is not available.
   * Never called for the local cluster.
   */
  k8s?(cluster: ClusterEntry): Promise<Connection>;
  log?(msg: string): void;
  now?(): number;
}

/** How a loader tells the tree that rows changed: under `node`, or everywhere (undefined). */
export type FireChange = (node: TreeNode | undefined) => void;
