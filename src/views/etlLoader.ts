// ETLs of a cluster and what runs them: Kubernetes pods when the cluster's pods are reachable (PodLoader), else the
// workers AIS reports per target. Each ETL and each target has a "Logs" row.
import type { AisClient, EtlInfo } from '../engine/ais';
import { etlStage } from '../engine/ais/etl-stage';
import { summarizeInitMsg } from '../engine/etl/initSummary';
import { formatError } from '../services/errors';
import { formatBytes } from '../services/format';
import type { PodLoader } from './podLoader';
import type { TreeModelDeps } from './treeDeps';
import {
  errorNode, messageNode, nodeIds, type EtlLogsNode, type EtlNode, type EtlsNode, type EtlTargetNode, type MessageNode,
  type PodNode,
} from './treeNodes';

type Details = Awaited<ReturnType<AisClient['etlDetails']>>;

const STAGE_ICON: Record<ReturnType<typeof etlStage>, { icon: string; iconColor?: string }> = {
  running: { icon: 'pass-filled', iconColor: 'testing.iconPassed' },
  initializing: { icon: 'loading~spin' },
  aborted: { icon: 'error', iconColor: 'testing.iconFailed' },
  stopped: { icon: 'debug-stop' },
  unknown: { icon: 'question' },
};

export class EtlLoader {
  constructor(private readonly deps: TreeModelDeps, private readonly pods: PodLoader) {}

  async etls(node: EtlsNode): Promise<(EtlNode | MessageNode)[]> {
    let etls: EtlInfo[];
    let details: PromiseSettledResult<Details>[];
    try {
      const client = await this.deps.client(node.clusterId);
      etls = await client.listEtls();
      // Details (comm type, runtime) are one call per ETL; an aborted ETL may not answer, which is fine.
      details = await Promise.allSettled(etls.map((e) => client.etlDetails(e.name)));
    } catch (err) {
      return [errorNode(node, `Can't list ETLs: ${formatError(err)}`)];
    }
    if (etls.length === 0) return [messageNode(node, 'empty', 'No ETLs', 'Deploy one with "Deploy ETL" from an ETL file')];
    return etls.map((e, i) => {
      const d = details[i];
      return this.etlNode(node, e, d.status === 'fulfilled' ? d.value : undefined);
    });
  }

  private etlNode(parent: EtlsNode, e: EtlInfo, details: Details | undefined): EtlNode {
    const d = summarizeInitMsg(details?.initMsg);
    const stage = etlStage(e.stage);
    const counts = e.objCount !== undefined
      ? `${e.objCount} objects, ${formatBytes(e.inBytes)} in, ${formatBytes(e.outBytes)} out` : undefined;
    return {
      id: nodeIds.etl(parent.clusterId, e.name), kind: 'etl', clusterId: parent.clusterId, parent,
      etlName: e.name, stage: e.stage, label: e.name,
      description: [e.stage, d.commType, d.runtime].filter(Boolean).join(' · '),
      tooltip: [`ETL ${e.name}: ${e.stage}`, d.commType && `comm type ${d.commType}`, d.runtime && `runtime ${d.runtime}`, counts]
        .filter(Boolean).join('\n'),
      ...STAGE_ICON[stage], contextValue: `etl.${stage}`, collapsible: 'collapsed',
    };
  }

  async children(node: EtlNode): Promise<(EtlLogsNode | EtlTargetNode | PodNode | MessageNode)[]> {
    const logs = logsNode(node, undefined);
    const cluster = this.deps.clusters().find((c) => c.id === node.clusterId);
    if (!cluster || cluster.source === 'local' || !this.deps.k8s) return [logs, ...(await this.aisWorkers(node))];
    const r = await this.pods.rows(node, cluster);
    if ('rows' in r) return [logs, ...r.rows];
    const note = messageNode(node, 'info', `Kubernetes not reachable: ${r.why} — showing what AIS reports`);
    return [note, logs, ...(await this.aisWorkers(node))];
  }

  targetChildren(node: EtlTargetNode): EtlLogsNode[] { return [logsNode(node, node.targetId)]; }

  /** What AIS itself says: one node per target from etlHealth (the local cluster, or Kubernetes not reachable). */
  private async aisWorkers(node: EtlNode): Promise<(EtlTargetNode | MessageNode)[]> {
    const health = await this.deps.client(node.clusterId).then((c) => c.etlHealth(node.etlName))
      .then((h) => ({ h }), (err: unknown) => ({ err: formatError(err) }));
    if ('h' in health && health.h.length) return health.h.map((h) => targetNode(node, h.targetId, h.status));
    if ('h' in health) return [messageNode(node, 'empty', 'No workers')];
    const hint = etlStage(node.stage) === 'running' ? undefined : 'Start the ETL to see its workers';
    return [messageNode(node, 'info', `No workers: ${health.err}`, hint, 'empty')];
  }
}

function targetNode(parent: EtlNode, targetId: string, status: string): EtlTargetNode {
  const ok = /^(running|ready|healthy|ok)$/i.test(status);
  return {
    id: nodeIds.target(parent.clusterId, parent.etlName, targetId), kind: 'etlTarget', clusterId: parent.clusterId,
    parent, etlName: parent.etlName, targetId, label: targetId, description: status,
    tooltip: `target ${targetId}: ${status} (as AIS reports it)`,
    icon: ok ? 'vm-running' : 'vm-outline', iconColor: ok ? undefined : 'testing.iconFailed',
    contextValue: 'etlTarget', collapsible: 'collapsed',
  };
}

function logsNode(parent: EtlNode | EtlTargetNode, targetId: string | undefined): EtlLogsNode {
  return {
    id: `${parent.id}|logs`, kind: 'etlLogs', clusterId: parent.clusterId, parent, etlName: parent.etlName, targetId,
    label: targetId ? 'Logs' : 'Logs (all targets)', icon: 'output', contextValue: 'etlLogs', collapsible: 'none',
  };
}
