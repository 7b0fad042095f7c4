// The pods of an expanded ETL node on a Kubernetes cluster: listed once, then kept current by a watch that lives while
// the node is expanded. Failing pods carry the engine's explanation in their tooltip.
import type { EtlPod } from '../engine/k8s';
import { formatAge, podFailing } from '../engine/k8s/pods';
import { etlStage } from '../engine/ais/etl-stage';
import type { ClusterEntry } from '../services/clusterSources';
import type { PodsApi } from '../services/engine';
import { formatError } from '../services/errors';
import type { FireChange, TreeModelDeps } from './treeDeps';
import { messageNode, nodeIds, type EtlNode, type MessageNode, type PodNode } from './treeNodes';

/** An expanded ETL node: its pods as last seen by the watch, and the watch itself. */
interface PodView {
  clusterId: string;
  etl: string;
  api: PodsApi;
  pods: EtlPod[];
  watch?: { dispose(): void };
  warning?: string;
  explained: Map<string, string>;
}
type OpenResult = { view: PodView } | { why: string };
interface Opening {
  clusterId: string;
  cancelled: boolean;
  done?: Promise<OpenResult>;
}

export type PodRows = { rows: (PodNode | MessageNode)[] } | { why: string };

export class PodLoader {
  private readonly views = new Map<string, PodView>();
  private readonly opening = new Map<string, Opening>();

  constructor(
    private readonly deps: TreeModelDeps,
    private readonly fire: FireChange,
    private readonly shown: (id: string) => EtlNode | undefined,
  ) {}

  /** The pod rows of `node`, or why Kubernetes can't tell (the caller then shows what AIS reports). */
  async rows(node: EtlNode, cluster: ClusterEntry): Promise<PodRows> {
    const known = this.views.get(node.id);
    const r = known ? { view: known } : await this.open(node, cluster);
    return 'why' in r ? r : { rows: await this.podRows(node, r.view) };
  }

  pods(etlNodeId: string): EtlPod[] | undefined {
    return this.views.get(etlNodeId)?.pods;
  }

  watched(): string[] {
    return [...this.views.entries()].filter(([, v]) => v.watch).map(([k]) => k);
  }

  /** Stops the watches (and openings in flight) `which` selects. */
  stop(which: (clusterId: string, etlNodeId: string) => boolean): void {
    for (const [id, o] of [...this.opening]) {
      if (!which(o.clusterId, id)) continue;
      o.cancelled = true;
      this.opening.delete(id);
    }
    for (const [id, v] of [...this.views]) {
      if (!which(v.clusterId, id)) continue;
      v.watch?.dispose();
      this.views.delete(id);
    }
  }

  /** One connection + list + watch per expansion, even when VS Code asks for the children twice meanwhile. */
  private open(node: EtlNode, cluster: ClusterEntry): Promise<OpenResult> {
    let o = this.opening.get(node.id);
    if (!o) {
      const fresh: Opening = { clusterId: node.clusterId, cancelled: false };
      fresh.done = this.connect(node, cluster, fresh).finally(() => {
        if (this.opening.get(node.id) === fresh) this.opening.delete(node.id);
      });
      this.opening.set(node.id, fresh);
      o = fresh;
    }
    return o.done ?? Promise.resolve({ why: 'not opened' });
  }

  private async connect(node: EtlNode, cluster: ClusterEntry, opening: Opening): Promise<OpenResult> {
    try {
      const conn = await this.deps.k8s?.(cluster);
      if (!conn) return { why: 'Kubernetes is not configured' };
      if ('unavailable' in conn) return { why: conn.unavailable };
      const pods = await conn.listEtlPods(node.etlName);
      const view: PodView = { clusterId: node.clusterId, etl: node.etlName, api: conn, pods, explained: new Map() };
      // Collapsed or refreshed while we were listing: show this list once, but don't start watching.
      if (opening.cancelled) return { view };
      this.views.set(node.id, view);
      this.watch(node.id, view);
      return { view };
    } catch (err) {
      return { why: formatError(err) };
    }
  }

  /** Every change re-renders this ETL node's children from the watch's list. */
  private watch(etlNodeId: string, view: PodView): void {
    const current = () => this.views.get(etlNodeId) === view;
    view.watch = view.api.watchEtlPods(
      view.etl,
      (pods) => {
        if (!current()) return;
        const warningWas = view.warning;
        view.warning = undefined;
        if (JSON.stringify(pods) === JSON.stringify(view.pods) && !warningWas) return;
        view.pods = pods;
        this.fire(this.shown(etlNodeId));
      },
      {
        onError: (message) => {
          if (!current()) return;
          this.deps.log?.(`pods of ${view.etl}: ${message}`);
          view.warning = message;
          this.fire(this.shown(etlNodeId));
        },
      },
    );
  }

  private async podRows(node: EtlNode, view: PodView): Promise<(PodNode | MessageNode)[]> {
    const out: (PodNode | MessageNode)[] = [];
    if (view.warning) out.push(messageNode(node, 'info', `Pod watch interrupted: ${view.warning}`));
    // Failing pods carry the explanation in their tooltip; one explain() per pod state, not per render.
    await Promise.all(
      view.pods.filter(podFailing).map(async (p) => {
        const key = podStateKey(p);
        if (view.explained.has(key)) return;
        const text = await view.api
          .explain(p)
          .catch((err: unknown) => `Could not explain ${p.name}: ${formatError(err)}`);
        view.explained.set(key, text);
      }),
    );
    for (const p of view.pods) out.push(this.podNode(node, p, view.explained.get(podStateKey(p))));
    if (view.pods.length === 0) {
      const starting = ['running', 'initializing'].includes(etlStage(node.stage));
      out.push(
        messageNode(
          node,
          'info',
          'No pods',
          starting
            ? `none in namespace ${view.api.namespace} yet`
            : 'AIS deletes ETL pods when the ETL stops; start it to create them',
        ),
      );
    }
    return out;
  }

  private podNode(parent: EtlNode, p: EtlPod, explanation?: string): PodNode {
    const failing = podFailing(p);
    const age = formatAge(p.startTime, this.deps.now?.());
    const status = p.reason && p.reason !== p.phase ? `${p.phase} (${p.reason})` : p.phase;
    const ready = p.ready ? 'ready' : 'not ready';
    return {
      id: nodeIds.pod(parent.clusterId, parent.etlName, p.name),
      kind: 'etlPod',
      clusterId: parent.clusterId,
      parent,
      etlName: parent.etlName,
      targetId: p.targetId,
      pod: p,
      label: p.name,
      description: [status, ready, `${p.restarts} restart${p.restarts === 1 ? '' : 's'}`, p.node, age]
        .filter(Boolean)
        .join(' · '),
      tooltip: [
        `pod ${p.name}${p.namespace ? ` (namespace ${p.namespace})` : ''}`,
        `target ${p.targetId}`,
        `phase ${status}, ${ready}`,
        `restarts ${p.restarts}${p.exitCode !== undefined ? `, last exit code ${p.exitCode}` : ''}`,
        p.node && `node ${p.node}`,
        age && `age ${age}`,
        p.image && `image ${p.image}`,
        !failing && p.message ? p.message : undefined,
        explanation && `\n${explanation}`,
      ]
        .filter(Boolean)
        .join('\n'),
      icon: failing ? 'error' : p.ready ? 'vm-running' : 'loading~spin',
      iconColor: failing ? 'errorForeground' : p.ready ? 'testing.iconPassed' : undefined,
      contextValue: failing ? 'etlPod.failing' : 'etlPod',
      collapsible: 'none',
    };
  }
}

/** Explanations are cached per pod state: a new reason, restart or phase asks again. */
function podStateKey(p: EtlPod): string {
  return `${p.name}|${p.phase}|${p.reason ?? ''}|${p.restarts}`;
}
