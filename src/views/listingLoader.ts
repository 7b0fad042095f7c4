// Buckets and their objects, one level and one page at a time: only the pages the user asked for are held in memory,
// per expanded bucket or folder. A bucket may carry a server-side prefix filter.
import type { Bck, ObjEntry } from '../engine/ais';
import { formatError } from '../services/errors';
import { formatBytes } from '../services/format';
import type { FireChange, TreeModelDeps } from './treeDeps';
import {
  errorNode,
  messageNode,
  nodeIds,
  type BucketNode,
  type BucketsNode,
  type ListingNode,
  type LoadMoreNode,
  type MessageNode,
  type ObjectNode,
  type PrefixNode,
} from './treeNodes';

interface Listing {
  entries: ObjEntry[];
  token: string;
  pages: number;
  error?: string;
  loading?: Promise<void>;
}
type ListingChild = PrefixNode | ObjectNode | LoadMoreNode | MessageNode;

export class ListingLoader {
  private readonly listings = new Map<string, Listing>();
  private readonly filters = new Map<string, string>();

  constructor(
    private readonly deps: TreeModelDeps,
    private readonly fire: FireChange,
  ) {}

  filterOf(clusterId: string, bucket: string): string {
    return this.filters.get(nodeIds.bucket(clusterId, bucket)) ?? '';
  }

  /** Sets the bucket's prefix filter; its listing starts over. Returns the bucket's node id. */
  setFilter(clusterId: string, bucket: string, prefix: string): string {
    const id = nodeIds.bucket(clusterId, bucket);
    if (prefix) this.filters.set(id, prefix);
    else this.filters.delete(id);
    this.forget(id);
    return id;
  }

  /** Drops the pages at and below `idPrefix` (everything when undefined). */
  forget(idPrefix?: string): void {
    for (const k of [...this.listings.keys()]) {
      if (idPrefix === undefined || k === idPrefix || k.startsWith(idPrefix + '|')) this.listings.delete(k);
    }
  }

  stats(containerId: string): { entries: number; pages: number; hasMore: boolean } | undefined {
    const l = this.listings.get(containerId);
    return l && { entries: l.entries.length, pages: l.pages, hasMore: !!l.token };
  }

  async buckets(node: BucketsNode): Promise<(BucketNode | MessageNode)[]> {
    let bcks: Bck[];
    try {
      bcks = await (await this.deps.client(node.clusterId)).listBuckets();
    } catch (err) {
      return [errorNode(node, `Can't list buckets: ${formatError(err)}`)];
    }
    if (bcks.length === 0) return [messageNode(node, 'empty', 'No buckets', 'Create one with "Create bucket…"')];
    return bcks.map((b) => this.bucketNode(node, b));
  }

  private bucketNode(parent: BucketsNode, b: Bck): BucketNode {
    const filter = this.filterOf(parent.clusterId, b.name);
    return {
      id: nodeIds.bucket(parent.clusterId, b.name),
      kind: 'bucket',
      clusterId: parent.clusterId,
      parent,
      bucket: b.name,
      provider: b.provider,
      label: b.name,
      description: filter ? `prefix: ${filter}` : b.provider !== 'ais' ? b.provider : undefined,
      tooltip: `${b.provider}://${b.name}${filter ? `\nfiltered by prefix "${filter}"` : ''}`,
      icon: filter ? 'filter' : 'database',
      contextValue: filter ? 'bucket.filtered' : 'bucket',
      collapsible: 'collapsed',
    };
  }

  async children(node: ListingNode): Promise<ListingChild[]> {
    let l = this.listings.get(node.id);
    if (!l) {
      l = { entries: [], token: '', pages: 0 };
      this.listings.set(node.id, l);
      await this.fetchPage(node, l);
    } else if (l.loading) await l.loading;
    if (l.pages === 0 && l.error) return [errorNode(node, `Can't list objects: ${l.error}`)];
    const out: ListingChild[] = l.entries.flatMap((e) => this.entryNode(node, e));
    if (l.error) out.push(errorNode(node, `Can't load more: ${l.error}`, 'Click to retry'));
    else if (l.token) out.push(this.loadMoreNode(node, l));
    if (out.length === 0) {
      const filter = node.kind === 'bucket' ? this.filterOf(node.clusterId, node.bucket) : '';
      out.push(messageNode(node, 'empty', filter ? `No objects with prefix "${filter}"` : 'No objects'));
    }
    return out;
  }

  /** Loads the next page of a bucket/folder; false when there was none to load. */
  async loadMore(container: ListingNode): Promise<boolean> {
    const l = this.listings.get(container.id);
    if (!l || !l.token) return false;
    await this.fetchPage(container, l);
    this.fire(container);
    return true;
  }

  /** After an error row: refetch the page that failed; false when the listing must start over instead. */
  async retryPage(container: ListingNode): Promise<boolean> {
    const l = this.listings.get(container.id);
    if (!l || l.pages === 0 || !l.error) return false;
    l.error = undefined;
    await this.loadMore(container);
    return true;
  }

  private entryNode(node: ListingNode, e: ObjEntry): (PrefixNode | ObjectNode)[] {
    const dirPrefix = this.dirPrefixOf(node);
    const common = { clusterId: node.clusterId, bucket: node.bucket, parent: node };
    if (!e.isDir) {
      return [
        {
          ...common,
          kind: 'object',
          id: nodeIds.object(node.clusterId, node.bucket, e.name),
          object: e.name,
          label: e.name.slice(dirPrefix.length) || e.name,
          description: formatBytes(e.size),
          icon: 'file',
          contextValue: 'object',
          collapsible: 'none',
          tooltip: [`ais://${node.bucket}/${e.name}`, formatBytes(e.size), e.atime].filter(Boolean).join('\n'),
        },
      ];
    }
    const p = e.name.endsWith('/') ? e.name : `${e.name}/`;
    if (node.kind === 'folder' && p === node.prefix) return [];
    return [
      {
        ...common,
        kind: 'folder',
        id: nodeIds.folder(node.clusterId, node.bucket, p),
        prefix: p,
        label: p.slice(dirPrefix.length) || p,
        icon: 'folder',
        contextValue: 'folder',
        collapsible: 'collapsed',
        tooltip: p,
      },
    ];
  }

  private loadMoreNode(node: ListingNode, l: Listing): LoadMoreNode {
    return {
      id: `${node.id}|more`,
      kind: 'loadMore',
      clusterId: node.clusterId,
      bucket: node.bucket,
      parent: node,
      label: 'Load more…',
      description: `${l.entries.length} shown`,
      icon: 'ellipsis',
      contextValue: 'loadMore',
      collapsible: 'none',
    };
  }

  /** Listing prefix = folder prefix, or the bucket's filter; labels are shown relative to its last `/`. */
  private listPrefixOf(node: ListingNode): string {
    return node.kind === 'folder' ? node.prefix : this.filterOf(node.clusterId, node.bucket);
  }
  private dirPrefixOf(node: ListingNode): string {
    const p = this.listPrefixOf(node);
    return p.slice(0, p.lastIndexOf('/') + 1);
  }

  private fetchPage(node: ListingNode, l: Listing): Promise<void> {
    // One request per page even when VS Code asks for the children again while it runs.
    l.loading ??= this.readPage(node, l).finally(() => {
      l.loading = undefined;
    });
    return l.loading;
  }

  private async readPage(node: ListingNode, l: Listing): Promise<void> {
    try {
      const client = await this.deps.client(node.clusterId);
      const page = await client.listObjectsPage(node.bucket, {
        prefix: this.listPrefixOf(node) || undefined,
        pageSize: this.deps.pageSize(),
        continuationToken: l.token || undefined,
        noRecursion: true,
        props: 'name,size,atime',
      });
      for (const e of page.entries) l.entries.push(e);
      l.token = page.continuationToken;
      l.pages++;
      l.error = undefined;
    } catch (err) {
      l.error = formatError(err);
      this.deps.log?.(`list ${node.bucket}: ${l.error}`);
    }
  }
}
