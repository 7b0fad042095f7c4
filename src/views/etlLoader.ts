// ETLs of a cluster and what runs them: Kubernetes pods when the cluster's pods are reachable (PodLoader), else the
// workers AIS reports per target. Each ETL and each target has a "Logs" row.
import type { AisClient, EtlInfo } from '../engine/ais';
import { etlStage } from '../engine/ais/etl-stage';
import { summarizeInitMsg } from '../engine/etl/initSummary';
import { formatError } from '../services/errors';
import { oneLine } from '../services/messages';
import { formatBytes } from '../services/format';
import { localOnlyNotes } from './leniencies';
import type { PodLoader } from './podLoader';
import type { TreeModelDeps } from './treeDeps';
import {
  errorNode,
  messageNode,
  nodeIds,
  type EtlLogsNode,
  type EtlNode,
  type EtlsNode,
  type EtlTargetNode,
  type MessageNode,
  type PodNode,
} from './treeNodes';

type Details = Awaited<ReturnType<AisClient['etlDetails']>>;

/**
 * How a stage reads in the tree. AIS reports a stopped ETL as "Aborted" (3.30+) whether the user stopped it or a
 * worker died; a failed deploy is reported where it happened, so the row says "Stopped" with a neutral icon and the
 * hover names the AIS stage.
 */
const STAGE_LOOK: Record<
  ReturnType<typeof etlStage>,
  { label: string; icon: string; iconColor?: string; context: string }
> = {
  running: { label: 'Running', icon: 'pass-filled', iconColor: 'testing.iconPassed', context: 'running' },
  initializing: { label: 'Initializing', icon: 'loading~spin', context: 'initializing' },
  aborted: { label: 'Stopped', icon: 'circle-outline', context: 'stopped' },
  stopped: { label: 'Stopped', icon: 'circle-outline', context: 'stopped' },
  unknown: { label: 'Unknown', icon: 'question', context: 'unknown' },
};

export class EtlLoader {
  constructor(
    private readonly deps: TreeModelDeps,
    private readonly pods: PodLoader,
  ) {}

  async etls(node: EtlsNode): Promise<(EtlNode | MessageNode)[]> {
    let etls: EtlInfo[];
    let details: PromiseSettledResult<Details>[];
    try {
      const client = await this.deps.client(node.clusterId);
      etls = await client.listEtls();
      // Details (comm type, runtime) are one call per ETL; an aborted ETL may not answer, which is fine.
      details = await Promise.allSettled(etls.map((e) => client.etlDetails(e.name)));
    } catch (err) {
      this.deps.log?.(`ETLs of ${node.clusterId}: ${formatError(err)}`);
      return [errorNode(node, `Can't list ETLs: ${formatError(err)}`)];
    }
    if (etls.length === 0)
      return [messageNode(node, 'empty', 'No ETLs', 'Deploy one with "Deploy ETL" from an ETL file')];
    return etls.map((e, i) => {
      const d = details[i];
      return this.etlNode(node, e, d.status === 'fulfilled' ? d.value : undefined);
    });
  }

  private etlNode(parent: EtlsNode, e: EtlInfo, details: Details | undefined): EtlNode {
    const d = summarizeInitMsg(details?.initMsg);
    const look = STAGE_LOOK[etlStage(e.stage)];
    const counts =
      e.objCount !== undefined
        ? `${e.objCount} objects, ${formatBytes(e.inBytes)} in, ${formatBytes(e.outBytes)} out`
        : undefined;
    const file = this.deps.deployedFile?.(parent.clusterId, e.name);
    // What the emulated AIS release would refuse: this ETL would not deploy as is on a real cluster of that release.
    const lenient = localOnlyNotes(e, details);
    return {
      id: nodeIds.etl(parent.clusterId, e.name),
      kind: 'etl',
      clusterId: parent.clusterId,
      parent,
      etlName: e.name,
      stage: e.stage,
      label: e.name,
      description: [look.label, d.commType, d.runtime, lenient.length ? 'works locally only' : undefined]
        .filter(Boolean)
        .join(' · '),
      tooltip: [
        `ETL ${e.name}: ${look.label}${look.label === e.stage ? '' : ` (AIS stage: ${e.stage})`}`,
        d.commType && `comm type ${d.commType}`,
        d.runtime && `runtime ${d.runtime}`,
        counts,
        file && `deployed from ${file}`,
        ...lenient.map((n) => `works locally only: ${n}`),
      ]
        .filter(Boolean)
        .join('\n'),
      icon: look.icon,
      iconColor: look.iconColor,
      contextValue: `etl.${look.context}`,
      collapsible: 'collapsed',
    };
  }

  async children(node: EtlNode): Promise<(EtlLogsNode | EtlTargetNode | PodNode | MessageNode)[]> {
    const stage = etlStage(node.stage);
    // A stopped ETL has no workers: asking for them only yields the cluster's 404.
    if (stage === 'aborted' || stage === 'stopped') {
      return [messageNode(node, 'empty', 'Stopped: no workers', 'Start the ETL to run its workers again')];
    }
    const logs = logsNode(node, undefined);
    const cluster = this.deps.clusters().find((c) => c.id === node.clusterId);
    if (!cluster || cluster.source === 'local' || !this.deps.k8s) return [logs, ...(await this.aisWorkers(node))];
    const r = await this.pods.rows(node, cluster);
    if ('rows' in r) return [logs, ...r.rows];
    const note = messageNode(node, 'info', `Kubernetes not reachable: ${r.why} — showing what AIS reports`);
    return [note, logs, ...(await this.aisWorkers(node))];
  }

  targetChildren(node: EtlTargetNode): EtlLogsNode[] {
    return [logsNode(node, node.targetId)];
  }

  /** What AIS itself says: one node per target from etlHealth (the local cluster, or Kubernetes not reachable). */
  private async aisWorkers(node: EtlNode): Promise<(EtlTargetNode | MessageNode)[]> {
    const health = await this.deps
      .client(node.clusterId)
      .then((c) => c.etlHealth(node.etlName))
      .then(
        (h) => ({ h }),
        (err: unknown) => ({ err: formatError(err) }),
      );
    if ('h' in health && health.h.length) return health.h.map((h) => targetNode(node, h.targetId, h.status));
    if ('h' in health) return [messageNode(node, 'empty', 'No workers')];
    this.deps.log?.(`workers of ETL ${node.etlName} on ${node.clusterId}: ${health.err}`);
    const row = messageNode(node, 'info', `No workers: ${oneLine(health.err)}`, undefined, 'empty');
    return [{ ...row, tooltip: `No workers: ${health.err}` }];
  }
}

function targetNode(parent: EtlNode, targetId: string, status: string): EtlTargetNode {
  const ok = /^(running|ready|healthy|ok)$/i.test(status);
  return {
    id: nodeIds.target(parent.clusterId, parent.etlName, targetId),
    kind: 'etlTarget',
    clusterId: parent.clusterId,
    parent,
    etlName: parent.etlName,
    targetId,
    label: targetId,
    description: status,
    tooltip: `target ${targetId}: ${status} (as AIS reports it)`,
    icon: ok ? 'vm-running' : 'vm-outline',
    iconColor: ok ? undefined : 'testing.iconFailed',
    contextValue: 'etlTarget',
    collapsible: 'collapsed',
  };
}

function logsNode(parent: EtlNode | EtlTargetNode, targetId: string | undefined): EtlLogsNode {
  return {
    id: `${parent.id}|logs`,
    kind: 'etlLogs',
    clusterId: parent.clusterId,
    parent,
    etlName: parent.etlName,
    targetId,
    label: targetId ? 'Logs' : 'Logs (all targets)',
    icon: 'output',
    contextValue: 'etlLogs',
    collapsible: 'none',
  };
}
