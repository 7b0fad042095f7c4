// The Clusters tree as data: cluster → Buckets → objects (paged, one level at a time) and cluster → ETLs → ETL →
// target workers → Logs. Only pages the user asked for are held in memory, per expanded bucket/folder.
import { Emitter } from '../services/emitter';
import type { ClusterEntry } from '../services/clusterSources';
import type { ClusterClient, ClusterInfoLike, EtlPodLike, ObjEntryLike } from '../services/engineTypes';
import { formatError } from '../services/errors';
import { describeInitMsg, formatAge, formatBytes } from '../services/format';
import type { Connection, PodsApi } from '../services/k8sPods';
import { etlContextValue, etlIcon, nodeIds, podFailing, type TreeNode } from './treeNodes';

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

type OpenResult = { view: PodView } | { why: string };
interface Opening { clusterId: string; cancelled: boolean; done: Promise<OpenResult> }

/** An expanded ETL node of a Kubernetes cluster: its pods as last seen by the watch, and the watch itself. */
interface PodView { clusterId: string; etl: string; api: PodsApi; pods: EtlPodLike[]; watch?: { dispose(): void }; warning?: string; explained: Map<string, string> }

interface Listing { entries: ObjEntryLike[]; token: string; pages: number; error?: string; loading?: Promise<void> }
interface ClusterState { info?: ClusterInfoLike; error?: string }

export class ClustersTreeModel {
  private readonly listings = new Map<string, Listing>();
  private readonly clusterState = new Map<string, ClusterState>();
  private readonly filters = new Map<string, string>();
  private readonly shown = new Map<string, TreeNode>();
  private readonly podViews = new Map<string, PodView>();
  private readonly openingViews = new Map<string, Opening>();
  private readonly changed = new Emitter<TreeNode | undefined>();
  /** Fired with the node whose children changed (undefined = the whole tree). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly deps: TreeModelDeps) {}

  roots(): TreeNode[] {
    return this.deps.clusters().map((c) => this.clusterNode(c));
  }

  async children(node?: TreeNode): Promise<TreeNode[]> {
    const kids = await this.computeChildren(node);
    for (const k of kids) this.shown.set(k.id, k);
    return kids;
  }

  /** A node the tree has shown (commands from tree items and tests refer to nodes by id). */
  find(id: string): TreeNode | undefined { return this.shown.get(id); }

  private async computeChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) return this.roots();
    switch (node.kind) {
      case 'cluster': return this.clusterChildren(node);
      case 'buckets': return this.bucketList(node);
      case 'bucket': case 'folder': return this.listingChildren(node);
      case 'etls': return this.etlList(node);
      case 'etl': return this.etlChildren(node);
      case 'etlTarget': return [this.logsNode(node, node.etlName!, node.targetId)];
      case 'etlPod': return [];
      default: return [];
    }
  }

  // ---- prefix filter ---------------------------------------------------------------------------------------------

  filterOf(clusterId: string, bucket: string): string { return this.filters.get(nodeIds.bucket(clusterId, bucket)) ?? ''; }

  setFilter(clusterId: string, bucket: string, prefix: string): void {
    const id = nodeIds.bucket(clusterId, bucket);
    if (prefix) this.filters.set(id, prefix); else this.filters.delete(id);
    this.forget(id);
    this.changed.fire(undefined);
  }

  // ---- paging ----------------------------------------------------------------------------------------------------

  /** Loads the next page of a bucket/folder (the node may be the container or its "Load more…" node). */
  async loadMore(node: TreeNode): Promise<TreeNode> {
    const container = node.kind === 'bucket' || node.kind === 'folder' ? node : node.parent;
    if (!container) throw new Error('"Load more" needs a bucket or folder node');
    const l = this.listings.get(container.id);
    if (!l || !l.token) return container;
    await this.fetchPage(container, l);
    this.changed.fire(container);
    return container;
  }

  /** Retry after an error node: re-probe the cluster, or refetch the page that failed. */
  async retry(errorNode: TreeNode): Promise<void> {
    const container = errorNode.parent;
    if (!container) { this.refresh(); return; }
    const l = this.listings.get(container.id);
    if (l && l.pages > 0 && l.error) { l.error = undefined; await this.loadMore(container); return; }
    this.refresh(container);
  }

  /** Forget cached state under `node` (or everything) so the next expansion asks the server again. */
  refresh(node?: TreeNode): void {
    if (!node) { this.stopWatches(() => true); this.listings.clear(); this.clusterState.clear(); this.shown.clear(); this.changed.fire(undefined); return; }
    if (node.kind === 'cluster') this.clusterState.delete(node.clusterId);
    this.stopWatchesUnder(node);
    this.forget(node.id);
    this.changed.fire(node.kind === 'cluster' ? undefined : node);
  }

  /** Refresh by id (after a command changed something): the ETLs or Buckets group, or one bucket. */
  refreshEtls(clusterId: string): void { this.stopWatches((v) => v.clusterId === clusterId); this.refreshId(nodeIds.etls(clusterId)); }
  refreshBuckets(clusterId: string): void { this.refreshId(nodeIds.buckets(clusterId)); }
  refreshBucket(clusterId: string, bucket: string): void { this.refreshId(nodeIds.bucket(clusterId, bucket)); }
  private refreshId(id: string): void {
    this.forget(id);
    this.changed.fire(this.shown.get(id));
  }

  /** For tests and benchmarks: what is held in memory for a bucket/folder. */
  listingStats(containerId: string): { entries: number; pages: number; hasMore: boolean } | undefined {
    const l = this.listings.get(containerId);
    return l && { entries: l.entries.length, pages: l.pages, hasMore: !!l.token };
  }

  clusterInfo(clusterId: string): ClusterInfoLike | undefined { return this.clusterState.get(clusterId)?.info; }

  dispose(): void { this.stopWatches(() => true); this.changed.dispose(); this.listings.clear(); this.shown.clear(); }

  // ---- pod watches: alive while the ETL node is expanded ---------------------------------------------------------

  /** The user collapsed `node`: stop watching pods of ETL nodes at or below it (they are not visible any more). */
  collapsed(node: TreeNode): void { this.stopWatchesUnder(node); }

  /** For tests: ids of the ETL nodes whose pods are being watched. */
  watchedEtls(): string[] { return [...this.podViews.entries()].filter(([, v]) => v.watch).map(([k]) => k); }

  /** The pods shown under an ETL node (for commands such as "Follow logs (all targets)"). */
  podsOf(etlNodeId: string): EtlPodLike[] | undefined { return this.podViews.get(etlNodeId)?.pods; }

  private stopWatchesUnder(node: TreeNode): void {
    if (node.kind === 'etl') this.stopWatches((_v, id) => id === node.id);
    else if (node.kind === 'cluster' || node.kind === 'etls') this.stopWatches((v) => v.clusterId === node.clusterId);
  }

  private stopWatches(which: (v: { clusterId: string }, etlNodeId: string) => boolean): void {
    for (const [id, o] of [...this.openingViews]) {
      if (!which(o, id)) continue;
      o.cancelled = true;
      this.openingViews.delete(id);
    }
    for (const [id, v] of [...this.podViews]) {
      if (!which(v, id)) continue;
      v.watch?.dispose();
      this.podViews.delete(id);
    }
  }

  private forget(idPrefix: string): void {
    for (const k of [...this.listings.keys()]) if (k === idPrefix || k.startsWith(idPrefix + '|')) this.listings.delete(k);
    for (const k of [...this.shown.keys()]) if (k.startsWith(idPrefix + '|')) this.shown.delete(k);
  }

  // ---- clusters --------------------------------------------------------------------------------------------------

  private clusterNode(c: ClusterEntry): TreeNode {
    const st = this.clusterState.get(c.id);
    const local = c.source === 'local';
    const version = st?.info ? `v${st.info.version.raw}` : undefined;
    return {
      id: nodeIds.cluster(c.id), kind: 'cluster', clusterId: c.id, label: c.name,
      description: st?.error ? 'unreachable' : [version, local ? undefined : c.endpoint].filter(Boolean).join(' · ') || c.endpoint,
      tooltip: [`${c.name} — ${c.endpoint}`, `from ${c.source === 'settings' ? 'settings' : c.source === 'env' ? 'AIS_ENDPOINT' : c.source === 'cli' ? 'ais CLI config' : 'local cluster'}`,
        st?.info ? `deployment ${st.info.deployment}, ETL ${st.info.etl}${st.info.etlReason ? ` (${st.info.etlReason})` : ''}` : undefined,
        st?.error].filter(Boolean).join('\n'),
      icon: st?.error ? 'debug-disconnect' : local ? 'vm' : 'server', iconColor: st?.error ? 'errorForeground' : undefined,
      contextValue: local ? 'cluster.local' : 'cluster', collapsible: 'collapsed',
    };
  }

  private async clusterChildren(node: TreeNode): Promise<TreeNode[]> {
    let st = this.clusterState.get(node.clusterId);
    if (!st) {
      try {
        const client = await this.deps.client(node.clusterId);
        st = { info: await client.cluster() };
      } catch (err) {
        st = { error: formatError(err) };
        this.deps.log?.(`cluster ${node.clusterId}: ${st.error}`);
      }
      this.clusterState.set(node.clusterId, st);
      // The cluster row's own description/icon reflect the probe result; the state is cached so this fires once.
      this.changed.fire(undefined);
    }
    if (st.error) return [this.errorNode(node, `Can't reach cluster: ${st.error}`, 'Check the endpoint and that AIS is running, then click to retry')];
    const buckets: TreeNode = { id: nodeIds.buckets(node.clusterId), kind: 'buckets', clusterId: node.clusterId, label: 'Buckets', icon: 'archive', contextValue: 'buckets', collapsible: 'collapsed', parent: node };
    const etlNote = st.info && st.info.etl !== 'available' && st.info.etl !== 'unknown' ? `ETL ${st.info.etl}` : undefined;
    const etls: TreeNode = { id: nodeIds.etls(node.clusterId), kind: 'etls', clusterId: node.clusterId, label: 'ETLs', icon: 'symbol-function', contextValue: 'etls', collapsible: 'collapsed', parent: node, description: etlNote, tooltip: st.info?.etlReason };
    return [buckets, etls];
  }

  // ---- buckets and objects ---------------------------------------------------------------------------------------

  private async bucketList(node: TreeNode): Promise<TreeNode[]> {
    let bcks;
    try { bcks = await (await this.deps.client(node.clusterId)).listBuckets(); } catch (err) {
      return [this.errorNode(node, `Can't list buckets: ${formatError(err)}`)];
    }
    if (bcks.length === 0) return [this.emptyNode(node, 'No buckets', 'Create one with "Create bucket…"')];
    return bcks.map((b) => {
      const filter = this.filterOf(node.clusterId, b.name);
      return {
        id: nodeIds.bucket(node.clusterId, b.name), kind: 'bucket' as const, clusterId: node.clusterId, bucket: b.name, prefix: '',
        label: b.name, description: filter ? `prefix: ${filter}` : b.provider !== 'ais' ? b.provider : undefined,
        tooltip: `${b.provider}://${b.name}${filter ? `\nfiltered by prefix "${filter}"` : ''}`,
        icon: filter ? 'filter' : 'database', contextValue: filter ? 'bucket.filtered' : 'bucket', collapsible: 'collapsed' as const, parent: node,
      };
    });
  }

  private async listingChildren(node: TreeNode): Promise<TreeNode[]> {
    let l = this.listings.get(node.id);
    if (!l) {
      l = { entries: [], token: '', pages: 0 };
      this.listings.set(node.id, l);
      await this.fetchPage(node, l);
    } else if (l.loading) await l.loading;
    if (l.pages === 0 && l.error) return [this.errorNode(node, `Can't list objects: ${l.error}`)];

    const dirPrefix = this.dirPrefixOf(node);
    const out: TreeNode[] = [];
    for (const e of l.entries) {
      if (e.isDir) {
        const p = e.name.endsWith('/') ? e.name : `${e.name}/`;
        if (p === node.prefix) continue;
        out.push({ id: nodeIds.folder(node.clusterId, node.bucket!, p), kind: 'folder', clusterId: node.clusterId, bucket: node.bucket, prefix: p,
          label: p.slice(dirPrefix.length) || p, icon: 'folder', contextValue: 'folder', collapsible: 'collapsed', parent: node, tooltip: p });
      } else {
        out.push({ id: nodeIds.object(node.clusterId, node.bucket!, e.name), kind: 'object', clusterId: node.clusterId, bucket: node.bucket, object: e.name,
          label: e.name.slice(dirPrefix.length) || e.name, description: formatBytes(e.size), icon: 'file', contextValue: 'object', collapsible: 'none', parent: node,
          tooltip: [`ais://${node.bucket}/${e.name}`, formatBytes(e.size), e.atime].filter(Boolean).join('\n'),
          command: { command: 'aistore.openObject', title: 'Open object', arguments: [{ cluster: node.clusterId, bucket: node.bucket, object: e.name }] } });
      }
    }
    if (l.error) out.push(this.errorNode(node, `Can't load more: ${l.error}`, 'Click to retry'));
    else if (l.token) {
      out.push({ id: `${node.id}|more`, kind: 'loadMore', clusterId: node.clusterId, bucket: node.bucket, label: 'Load more…', description: `${l.entries.length} shown`,
        icon: 'ellipsis', contextValue: 'loadMore', collapsible: 'none', parent: node, command: { command: 'aistore.loadMore', title: 'Load more', arguments: [`${node.id}|more`] } });
    }
    if (out.length === 0) {
      const filter = node.kind === 'bucket' ? this.filterOf(node.clusterId, node.bucket!) : '';
      out.push(this.emptyNode(node, filter ? `No objects with prefix "${filter}"` : 'No objects'));
    }
    return out;
  }

  /** Listing prefix = folder prefix, or the bucket's filter; labels are shown relative to its last `/`. */
  private listPrefixOf(node: TreeNode): string {
    return node.kind === 'folder' ? node.prefix! : this.filterOf(node.clusterId, node.bucket!);
  }
  private dirPrefixOf(node: TreeNode): string {
    const p = this.listPrefixOf(node);
    return p.slice(0, p.lastIndexOf('/') + 1);
  }

  private fetchPage(node: TreeNode, l: Listing): Promise<void> {
    if (l.loading) return l.loading;
    l.loading = (async () => {
      try {
        const client = await this.deps.client(node.clusterId);
        const page = await client.listObjectsPage(node.bucket!, {
          prefix: this.listPrefixOf(node) || undefined, pageSize: this.deps.pageSize(), continuationToken: l.token || undefined,
          noRecursion: true, props: 'name,size,atime',
        });
        for (const e of page.entries) l.entries.push(e);
        l.token = page.continuationToken;
        l.pages++;
        l.error = undefined;
      } catch (err) {
        l.error = formatError(err);
        this.deps.log?.(`list ${node.bucket}: ${l.error}`);
      } finally { l.loading = undefined; }
    })();
    return l.loading;
  }

  // ---- ETLs ------------------------------------------------------------------------------------------------------

  private async etlList(node: TreeNode): Promise<TreeNode[]> {
    let client: ClusterClient;
    let etls;
    try {
      client = await this.deps.client(node.clusterId);
      etls = await client.listEtls();
    } catch (err) {
      return [this.errorNode(node, `Can't list ETLs: ${formatError(err)}`)];
    }
    if (etls.length === 0) return [this.emptyNode(node, 'No ETLs', 'Deploy one with "Deploy ETL" from an ETL file')];
    // Details (comm type, runtime) are one call per ETL; an aborted ETL may not answer, which is fine.
    const details = await Promise.allSettled(etls.map((e) => client.etlDetails(e.name)));
    return etls.map((e, i) => {
      const d = details[i].status === 'fulfilled' ? describeInitMsg(details[i].value.initMsg) : {};
      const { icon, iconColor } = etlIcon(e.stage);
      return {
        id: nodeIds.etl(node.clusterId, e.name), kind: 'etl' as const, clusterId: node.clusterId, etlName: e.name, stage: e.stage,
        label: e.name, description: [e.stage, d.commType, d.runtime].filter(Boolean).join(' · '),
        tooltip: [`ETL ${e.name}: ${e.stage}`, d.commType && `comm type ${d.commType}`, d.runtime && `runtime ${d.runtime}`,
          e.objCount !== undefined ? `${e.objCount} objects, ${formatBytes(e.inBytes)} in, ${formatBytes(e.outBytes)} out` : undefined].filter(Boolean).join('\n'),
        icon, iconColor, contextValue: etlContextValue(e.stage), collapsible: 'collapsed' as const, parent: node,
      };
    });
  }

  private async etlChildren(node: TreeNode): Promise<TreeNode[]> {
    const name = node.etlName!;
    const cluster = this.deps.clusters().find((c) => c.id === node.clusterId);
    if (!cluster || cluster.source === 'local' || !this.deps.k8s) return this.aisWorkers(node, name);
    let view = this.podViews.get(node.id);
    if (!view) {
      // One connection + list + watch per expansion, even when VS Code asks for the children twice meanwhile.
      let opening = this.openingViews.get(node.id);
      if (!opening) {
        const o: Opening = { clusterId: node.clusterId, cancelled: false, done: undefined as unknown as Promise<OpenResult> };
        o.done = this.openPodView(node, cluster, name, o).finally(() => { if (this.openingViews.get(node.id) === o) this.openingViews.delete(node.id); });
        this.openingViews.set(node.id, o);
        opening = o;
      }
      const r = await opening.done;
      if ('why' in r) {
        const note = this.infoNode(node, `Kubernetes not reachable: ${r.why} — showing what AIS reports`);
        return [note, ...(await this.aisWorkers(node, name))];
      }
      view = r.view;
    }
    return this.podNodes(node, view);
  }

  private async openPodView(node: TreeNode, cluster: ClusterEntry, name: string, opening: Opening): Promise<OpenResult> {
    try {
      const conn = await this.deps.k8s!(cluster);
      if ('unavailable' in conn) return { why: conn.unavailable };
      const pods = await conn.listEtlPods(name);
      const view: PodView = { clusterId: node.clusterId, etl: name, api: conn, pods, explained: new Map() };
      // Collapsed or refreshed while we were listing: show this list once, but don't start watching.
      if (opening.cancelled) return { view };
      this.podViews.set(node.id, view);
      this.startWatch(node.id, view);
      return { view };
    } catch (err) {
      return { why: formatError(err) };
    }
  }

  /** List, then watch from there: every change re-renders this ETL node's children from the watch's list. */
  private startWatch(etlNodeId: string, view: PodView): void {
    view.watch = view.api.watchEtlPods(view.etl, (pods) => {
      if (this.podViews.get(etlNodeId) !== view) return;
      const warningWas = view.warning;
      view.warning = undefined;
      if (JSON.stringify(pods) === JSON.stringify(view.pods) && !warningWas) return;
      view.pods = pods;
      this.changed.fire(this.shown.get(etlNodeId));
    }, {
      onError: (message) => {
        if (this.podViews.get(etlNodeId) !== view) return;
        this.deps.log?.(`pods of ${view.etl}: ${message}`);
        view.warning = message;
        this.changed.fire(this.shown.get(etlNodeId));
      },
    });
  }

  private async podNodes(node: TreeNode, view: PodView): Promise<TreeNode[]> {
    const out: TreeNode[] = [this.logsNode(node, view.etl, undefined)];
    if (view.warning) out.push(this.infoNode(node, `Pod watch interrupted: ${view.warning}`));
    // Failing pods carry the explanation in their tooltip; one explain() per pod state, not per render.
    const failing = view.pods.filter(podFailing);
    await Promise.all(failing.map(async (p) => {
      const key = podStateKey(p);
      if (view.explained.has(key)) return;
      const text = await view.api.explain(p).catch((err: unknown) => `Could not explain ${p.name}: ${formatError(err)}`);
      view.explained.set(key, text);
    }));
    for (const p of view.pods) out.push(this.podNode(node, view.etl, p, view.explained.get(podStateKey(p))));
    if (view.pods.length === 0) {
      out.push(this.infoNode(node, 'No pods', node.stage?.toLowerCase() === 'running' || node.stage?.toLowerCase() === 'initializing'
        ? `none in namespace ${view.api.namespace} yet` : 'AIS deletes ETL pods when the ETL stops; start it to create them'));
    }
    return out;
  }

  private podNode(parent: TreeNode, etl: string, p: EtlPodLike, explanation?: string): TreeNode {
    const failing = podFailing(p);
    const age = formatAge(p.startTime, this.deps.now?.());
    const status = p.reason && p.reason !== p.phase ? `${p.phase} (${p.reason})` : p.phase;
    return {
      id: nodeIds.pod(parent.clusterId, etl, p.name), kind: 'etlPod', clusterId: parent.clusterId, etlName: etl, targetId: p.targetId, pod: p.name,
      label: p.name,
      description: [status, p.ready ? 'ready' : 'not ready', `${p.restarts} restart${p.restarts === 1 ? '' : 's'}`, p.node, age].filter(Boolean).join(' · '),
      tooltip: [`pod ${p.name}${p.namespace ? ` (namespace ${p.namespace})` : ''}`, `target ${p.targetId}`, `phase ${status}, ${p.ready ? 'ready' : 'not ready'}`,
        `restarts ${p.restarts}${p.exitCode !== undefined ? `, last exit code ${p.exitCode}` : ''}`, p.node && `node ${p.node}`, age && `age ${age}`, p.image && `image ${p.image}`,
        !failing && p.message ? p.message : undefined, explanation && `\n${explanation}`].filter(Boolean).join('\n'),
      icon: failing ? 'error' : p.ready ? 'vm-running' : 'loading~spin', iconColor: failing ? 'errorForeground' : p.ready ? 'testing.iconPassed' : undefined,
      contextValue: failing ? 'etlPod.failing' : 'etlPod', collapsible: 'none', parent,
    };
  }

  /** What AIS itself says: one node per target from etlHealth (the local cluster, or Kubernetes not reachable). */
  private async aisWorkers(node: TreeNode, name: string): Promise<TreeNode[]> {
    const health = await this.deps.client(node.clusterId).then((c) => c.etlHealth(name)).then((h) => ({ h }), (err: unknown) => ({ err: formatError(err) }));
    const out: TreeNode[] = [this.logsNode(node, name, undefined)];
    if ('h' in health) for (const h of health.h) out.push(this.targetNode(node, name, h.targetId, h.status));
    if (out.length === 1) {
      if ('err' in health) out.push(this.infoNode(node, `No workers: ${health.err}`, node.stage?.toLowerCase() === 'running' ? undefined : 'Start the ETL to see its workers', 'empty'));
      else out.push(this.emptyNode(node, 'No workers'));
    }
    return out;
  }

  private targetNode(parent: TreeNode, etl: string, targetId: string, status: string): TreeNode {
    const ok = /^(running|ready|healthy|ok)$/i.test(status);
    return {
      id: nodeIds.target(parent.clusterId, etl, targetId), kind: 'etlTarget', clusterId: parent.clusterId, etlName: etl, targetId,
      label: targetId, description: status, tooltip: `target ${targetId}: ${status} (as AIS reports it)`,
      icon: ok ? 'vm-running' : 'vm-outline', iconColor: ok ? undefined : 'testing.iconFailed',
      contextValue: 'etlTarget', collapsible: 'collapsed', parent,
    };
  }

  private logsNode(parent: TreeNode, etl: string, targetId: string | undefined): TreeNode {
    return {
      id: `${parent.id}|logs`, kind: 'etlLogs', clusterId: parent.clusterId, etlName: etl, targetId, label: targetId ? 'Logs' : 'Logs (all targets)',
      icon: 'output', contextValue: 'etlLogs', collapsible: 'none', parent,
      command: { command: 'aistore.showEtlLogs', title: 'Show logs', arguments: [{ cluster: parent.clusterId, etl, target: targetId }] },
    };
  }

  // ---- leaves ----------------------------------------------------------------------------------------------------

  private errorNode(parent: TreeNode, message: string, hint = 'Click to retry'): TreeNode {
    const id = `${parent.id}|error`;
    return { id, kind: 'error', clusterId: parent.clusterId, bucket: parent.bucket, label: message, tooltip: `${message}\n${hint}`, description: hint,
      icon: 'error', iconColor: 'errorForeground', contextValue: 'error', collapsible: 'none', parent,
      command: { command: 'aistore.refresh', title: 'Retry', arguments: [id] } };
  }
  private emptyNode(parent: TreeNode, label: string, hint?: string): TreeNode {
    return { id: `${parent.id}|empty`, kind: 'empty', clusterId: parent.clusterId, label, description: hint, icon: 'circle-slash', contextValue: 'empty', collapsible: 'none', parent };
  }
  private infoNode(parent: TreeNode, label: string, hint?: string, idSuffix = 'info'): TreeNode {
    return { id: `${parent.id}|${idSuffix}`, kind: 'info', clusterId: parent.clusterId, label, description: hint, tooltip: [label, hint].filter(Boolean).join('\n'), icon: 'info', contextValue: 'info', collapsible: 'none', parent };
  }
}

/** Explanations are cached per pod state: a new reason, restart or phase asks again. */
function podStateKey(p: EtlPodLike): string { return `${p.name}|${p.phase}|${p.reason ?? ''}|${p.restarts}`; }
