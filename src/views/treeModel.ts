// The Clusters tree as data: cluster → Buckets → objects (paged, one level at a time) and cluster → ETLs → ETL →
// pods or target workers → Logs. Each node kind has one loader; this class routes, caches shown nodes by id and tells
// the provider what changed.
import type { EtlPod } from '../engine/k8s';
import { Emitter } from '../services/emitter';
import { Disposable } from '../services/lifecycle';
import { ClusterLoader } from './clusterLoader';
import { EtlLoader } from './etlLoader';
import { ListingLoader } from './listingLoader';
import { PodLoader } from './podLoader';
import type { TreeModelDeps } from './treeDeps';
import {
  nodeIds,
  type ClusterNode,
  type EtlNode,
  type ListingNode,
  type MessageNode,
  type TreeNode,
} from './treeNodes';

export type { TreeModelDeps } from './treeDeps';

export class ClustersTreeModel extends Disposable {
  private readonly shown = new Map<string, TreeNode>();
  private readonly changed = this.register(new Emitter<TreeNode | undefined>());
  /** Fired with the node whose children changed (undefined = the whole tree). */
  readonly onDidChange = this.changed.event;
  private readonly fire = (n: TreeNode | undefined) => this.changed.fire(n);
  private readonly clusters: ClusterLoader;
  private readonly listings: ListingLoader;
  private readonly pods: PodLoader;
  private readonly etls: EtlLoader;

  constructor(deps: TreeModelDeps) {
    super();
    this.clusters = new ClusterLoader(deps, this.fire);
    this.listings = new ListingLoader(deps, this.fire);
    this.pods = new PodLoader(deps, this.fire, (id) => this.shownEtl(id));
    this.etls = new EtlLoader(deps, this.pods);
    this.register({
      dispose: () => {
        this.pods.stop(() => true);
        this.listings.forget();
        this.shown.clear();
      },
    });
  }

  roots(): ClusterNode[] {
    return this.clusters.roots();
  }

  async children(node?: TreeNode): Promise<TreeNode[]> {
    const kids = await this.load(node);
    for (const k of kids) this.shown.set(k.id, k);
    return kids;
  }

  private load(node?: TreeNode): Promise<TreeNode[]> | TreeNode[] {
    if (!node) return this.roots();
    switch (node.kind) {
      case 'cluster':
        return this.clusters.children(node);
      case 'buckets':
        return this.listings.buckets(node);
      case 'bucket':
      case 'folder':
        return this.listings.children(node);
      case 'etls':
        return this.etls.etls(node);
      case 'etl':
        return this.etls.children(node);
      case 'etlTarget':
        return this.etls.targetChildren(node);
      default:
        return [];
    }
  }

  // ---- prefix filter and paging ----------------------------------------------------------------------------------

  filterOf(clusterId: string, bucket: string): string {
    return this.listings.filterOf(clusterId, bucket);
  }

  setFilter(clusterId: string, bucket: string, prefix: string): void {
    this.forgetShown(this.listings.setFilter(clusterId, bucket, prefix));
    this.fire(undefined);
  }

  /** Loads the next page of a bucket or folder; resolves with that container. */
  async loadMore(container: ListingNode): Promise<ListingNode> {
    await this.listings.loadMore(container);
    return container;
  }

  /** After an error row: refetch the page that failed, or reload what the error is about. */
  async retry(errorNode: MessageNode): Promise<void> {
    const container = errorNode.parent;
    if ((container.kind === 'bucket' || container.kind === 'folder') && (await this.listings.retryPage(container)))
      return;
    this.refresh(container);
  }

  /** Forget cached state under `node` (or everything) so the next expansion asks the server again. */
  refresh(node?: TreeNode): void {
    if (!node) {
      this.pods.stop(() => true);
      this.listings.forget();
      this.clusters.forget();
      this.shown.clear();
      this.fire(undefined);
      return;
    }
    if (node.kind === 'cluster') this.clusters.forget(node.clusterId);
    this.stopWatchesUnder(node);
    this.listings.forget(node.id);
    this.forgetShown(node.id);
    this.fire(node.kind === 'cluster' ? undefined : node);
  }

  /** Refresh by id (after a command changed something): the ETLs or Buckets group, or one bucket. */
  refreshEtls(clusterId: string): void {
    this.pods.stop((c) => c === clusterId);
    this.refreshId(nodeIds.etls(clusterId));
  }
  refreshBuckets(clusterId: string): void {
    this.refreshId(nodeIds.buckets(clusterId));
  }
  refreshBucket(clusterId: string, bucket: string): void {
    this.refreshId(nodeIds.bucket(clusterId, bucket));
  }

  /** For tests and benchmarks: what is held in memory for a bucket/folder. */
  listingStats(containerId: string): { entries: number; pages: number; hasMore: boolean } | undefined {
    return this.listings.stats(containerId);
  }

  // ---- pod watches: alive while the ETL node is expanded ---------------------------------------------------------

  /** The user collapsed `node`: stop watching pods of ETL nodes at or below it (they are not visible any more). */
  collapsed(node: TreeNode): void {
    this.stopWatchesUnder(node);
  }

  /** For tests: ids of the ETL nodes whose pods are being watched. */
  watchedEtls(): string[] {
    return this.pods.watched();
  }

  /** The pods shown under an ETL node (for commands such as "Follow logs (all targets)"). */
  podsOf(etlNodeId: string): EtlPod[] | undefined {
    return this.pods.pods(etlNodeId);
  }

  private stopWatchesUnder(node: TreeNode): void {
    if (node.kind === 'etl') this.pods.stop((_c, id) => id === node.id);
    else if (node.kind === 'cluster' || node.kind === 'etls') this.pods.stop((c) => c === node.clusterId);
  }

  private refreshId(id: string): void {
    this.listings.forget(id);
    this.forgetShown(id);
    this.fire(this.shown.get(id));
  }

  private forgetShown(idPrefix: string): void {
    for (const k of [...this.shown.keys()]) if (k.startsWith(idPrefix + '|')) this.shown.delete(k);
  }

  private shownEtl(id: string): EtlNode | undefined {
    const n = this.shown.get(id);
    return n?.kind === 'etl' ? n : undefined;
  }
}
