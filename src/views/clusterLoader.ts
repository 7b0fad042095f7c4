// Cluster rows and their two groups (Buckets, ETLs). The first expansion probes the cluster once; the result (version,
// ETL support, or why it is unreachable) is cached until Refresh and shown on the cluster's own row.
import type { ClusterInfo } from '../engine/ais';
import type { ClusterEntry, ClusterSource } from '../services/clusterSources';
import type { LocalIdentity } from '../services/localCluster';
import { formatError } from '../services/errors';
import type { FireChange, TreeModelDeps } from './treeDeps';
import {
  errorNode,
  messageNode,
  nodeIds,
  type BucketsNode,
  type ClusterNode,
  type EtlsNode,
  type MessageNode,
} from './treeNodes';

interface ClusterState {
  info?: ClusterInfo;
  error?: string;
}

const SOURCE_LABEL: Record<ClusterSource, string> = {
  settings: 'settings',
  env: 'AIS_ENDPOINT',
  cli: 'ais CLI config',
  local: 'local cluster',
};

export class ClusterLoader {
  private readonly state = new Map<string, ClusterState>();

  constructor(
    private readonly deps: TreeModelDeps,
    private readonly fire: FireChange,
  ) {}

  roots(): ClusterNode[] {
    const clusters = this.deps.clusters();
    const rows = clusters.map((c) => this.clusterNode(c));
    const local = this.deps.localCluster?.();
    if (local && !local.running && local.hasData && !clusters.some((c) => c.source === 'local'))
      rows.unshift(stoppedLocalNode(local));
    return rows;
  }

  forget(clusterId?: string): void {
    if (clusterId === undefined) this.state.clear();
    else this.state.delete(clusterId);
  }

  async children(node: ClusterNode): Promise<(BucketsNode | EtlsNode | MessageNode)[]> {
    if (node.stopped) {
      return [
        messageNode(
          node,
          'info',
          'Stopped: its buckets and ETLs come back with "Start local cluster"',
          undefined,
          'stopped',
        ),
      ];
    }
    const st = await this.probe(node.clusterId);
    if (st.error) {
      return [
        errorNode(
          node,
          `Can't reach cluster: ${st.error}`,
          'Check the endpoint and that AIS is running, then click to retry',
        ),
      ];
    }
    const common = { clusterId: node.clusterId, collapsible: 'collapsed' as const, parent: node };
    const etlNote =
      st.info && st.info.etl !== 'available' && st.info.etl !== 'unknown' ? `ETL ${st.info.etl}` : undefined;
    return [
      {
        ...common,
        kind: 'buckets',
        id: nodeIds.buckets(node.clusterId),
        label: 'Buckets',
        icon: 'archive',
        contextValue: 'buckets',
      },
      {
        ...common,
        kind: 'etls',
        id: nodeIds.etls(node.clusterId),
        label: 'ETLs',
        icon: 'symbol-function',
        contextValue: 'etls',
        description: etlNote,
        tooltip: st.info?.etlReason,
      },
    ];
  }

  private async probe(clusterId: string): Promise<ClusterState> {
    const known = this.state.get(clusterId);
    if (known) return known;
    let st: ClusterState;
    try {
      st = { info: await (await this.deps.client(clusterId)).cluster() };
    } catch (err) {
      st = { error: formatError(err) };
      this.deps.log?.(`cluster ${clusterId}: ${st.error}`);
    }
    this.state.set(clusterId, st);
    // The cluster row's own description/icon reflect the probe result; the state is cached so this fires once.
    this.fire(undefined);
    return st;
  }

  private clusterNode(c: ClusterEntry): ClusterNode {
    if (c.source !== 'local') return this.remoteNode(c);
    const st = this.state.get(c.id);
    const dataDir = this.deps.localCluster?.().dataDir;
    return {
      id: nodeIds.cluster(c.id),
      kind: 'cluster',
      clusterId: c.id,
      label: c.name,
      local: true,
      description: st?.error ? 'unreachable' : st?.info ? `v${st.info.version.raw}` : 'running',
      tooltip: [`${c.name} — local cluster at ${c.endpoint}`, dataDir && `data: ${dataDir}`, st?.error]
        .filter(Boolean)
        .join('\n'),
      icon: 'vm',
      iconColor: st?.error ? 'errorForeground' : undefined,
      contextValue: 'cluster.local',
      collapsible: 'collapsed',
    };
  }

  private remoteNode(c: ClusterEntry): ClusterNode {
    const st = this.state.get(c.id);
    const local = c.source === 'local';
    const version = st?.info ? `v${st.info.version.raw}` : undefined;
    const etl =
      st?.info &&
      `deployment ${st.info.deployment}, ETL ${st.info.etl}${st.info.etlReason ? ` (${st.info.etlReason})` : ''}`;
    return {
      id: nodeIds.cluster(c.id),
      kind: 'cluster',
      clusterId: c.id,
      label: c.name,
      local,
      description: st?.error
        ? 'unreachable'
        : [version, local ? undefined : c.endpoint].filter(Boolean).join(' · ') || c.endpoint,
      tooltip: [`${c.name} — ${c.endpoint}`, `from ${SOURCE_LABEL[c.source]}`, etl, st?.error]
        .filter(Boolean)
        .join('\n'),
      icon: st?.error ? 'debug-disconnect' : local ? 'vm' : 'server',
      iconColor: st?.error ? 'errorForeground' : undefined,
      contextValue: local ? 'cluster.local' : 'cluster',
      collapsible: 'collapsed',
    };
  }
}

/** The stopped local cluster: grey, "stopped" (not "unreachable"), and where its data waits. */
function stoppedLocalNode(l: LocalIdentity): ClusterNode {
  return {
    id: nodeIds.cluster(l.name),
    kind: 'cluster',
    clusterId: l.name,
    label: l.name,
    local: true,
    stopped: true,
    description: 'stopped',
    tooltip: `${l.name} — local cluster, stopped\ndata: ${l.dataDir} (kept until you delete it)`,
    icon: 'vm-outline',
    iconColor: 'disabledForeground',
    contextValue: 'cluster.local.stopped',
    collapsible: 'collapsed',
  };
}
