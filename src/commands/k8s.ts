// Kubernetes actions on ETL pods (explain, describe, delete) and finding AIS clusters in Kubernetes. Kubernetes is
// loaded lazily through the K8sPodsService the first time one of these runs.
//
// Plain arguments: `aistore.explainPod({ cluster?, etl?, pod })` → the text (also opened in a read-only document);
// `aistore.describePod({ cluster?, pod })` → the YAML (read-only document); `aistore.deletePod({ cluster?, pod,
// confirm: false })` → true when deleted; `aistore.discoverClusters({ pick: <name> })` → `{ name, endpoint, how }` of
// the added cluster; `aistore.stopPortForward({ endpoint? | cluster? })` → the number of port-forwards stopped.
import * as vscode from 'vscode';
import type { DiscoveredCluster, EtlPod } from '../engine/k8s';
import type { ClusterEntry } from '../services/clusterSources';
import type { PodsApi } from '../services/engine';
import { CancelledError, UiError } from '../services/errors';
import { upsertClusterSetting } from '../services/settings';
import { nodeIds, type PodNode } from '../views/treeNodes';
import type { CommandContext } from './context';
import { declareCommand } from './table';
import { confirm, pickCluster } from './ui';

export interface PodRef {
  cluster?: string;
  etl?: string;
  pod: string;
  target?: string;
}
type PodArg = PodNode | (PodRef & { confirm?: boolean });

interface ResolvedPod {
  entry: ClusterEntry;
  api: PodsApi;
  pod: EtlPod;
}

async function resolvePod(s: CommandContext, arg: PodArg | undefined, what: string): Promise<ResolvedPod> {
  if (!arg)
    throw new UiError(`${what} needs a pod`, {
      hint: 'use it on a pod under an ETL of a Kubernetes cluster in the Clusters view',
    });
  const given = 'kind' in arg ? { cluster: arg.clusterId } : arg;
  const entry = s.registry.resolve(await pickCluster(s, given.cluster, what));
  const api = await s.k8s.require(entry, what);
  return { entry, api, pod: 'kind' in arg ? arg.pod : await podOf(s, entry, api, arg) };
}

/** The pod as the tree last saw it, or as Kubernetes lists it now, or just its name. */
async function podOf(s: CommandContext, entry: ClusterEntry, api: PodsApi, p: PodRef): Promise<EtlPod> {
  const seen = p.etl ? s.tree.podsOf(nodeIds.etl(entry.id, p.etl))?.find((x) => x.name === p.pod) : undefined;
  if (seen) return seen;
  const listed = p.etl ? (await api.listEtlPods(p.etl).catch(() => [])).find((x) => x.name === p.pod) : undefined;
  return (
    listed ?? {
      name: p.pod,
      namespace: api.namespace,
      targetId: p.target ?? '',
      phase: 'Unknown',
      ready: false,
      restarts: 0,
    }
  );
}

export const explainPod = declareCommand<PodArg, string>('aistore.explainPod', 'Explain pod', async (s, arg) => {
  const { api, pod } = await resolvePod(s, arg, 'Explain pod');
  const text = await api.explain(pod);
  const state = `${pod.phase}${pod.reason ? ` (${pod.reason})` : ''}, ${pod.ready ? 'ready' : 'not ready'}, ${pod.restarts} restarts`;
  const where = `namespace ${api.namespace}, context ${api.context}${pod.targetId ? `, target ${pod.targetId}` : ''}`;
  await s.reports.show(`explain ${pod.name}`, `# Pod ${pod.name}\n\n${where}: ${state}\n\n${text}\n`, 'md');
  return text;
});

export const describePod = declareCommand<PodArg, string>('aistore.describePod', 'Describe pod', async (s, arg) => {
  const { api, pod } = await resolvePod(s, arg, 'Describe pod');
  const yaml = await api.describe(pod.name);
  await s.reports.show(pod.name, yaml, 'yaml');
  return yaml;
});

export const deletePod = declareCommand<PodArg, boolean>('aistore.deletePod', 'Delete pod', async (s, arg) => {
  const { api, pod } = await resolvePod(s, arg, 'Delete pod');
  const ask = !(arg && 'confirm' in arg && arg.confirm === false);
  const question =
    `Delete pod ${pod.name} in namespace ${api.namespace}? AIS does not recreate it: the ETL on that target ` +
    'stops working until the ETL is restarted.';
  if (ask && !(await confirm(question, 'Delete pod'))) return false;
  await api.deletePod(pod.name);
  s.log.info(`deleted pod ${pod.name} (namespace ${api.namespace}, context ${api.context})`);
  return true;
});

// ---- discovery -------------------------------------------------------------------------------------------------

const HOW: Record<DiscoveredCluster['how'], string> = {
  'node-port': 'NodePort',
  'load-balancer': 'LoadBalancer',
  'port-forward': 'port-forward from this window',
};

export interface DiscoverArgs {
  pick?: string;
  name?: string;
}

/** Lists the AIS clusters the kubeconfig's context sees and adds the picked one (with a port-forward if needed). */
export const discoverClusters = declareCommand<DiscoverArgs, { name: string; endpoint: string; how: string }>(
  'aistore.discoverClusters',
  'Find AIS clusters in Kubernetes',
  async (s, arg) => {
    const where = s.k8s.whereFor(undefined);
    const api = await s.k8s.require(undefined, 'Finding AIS clusters');
    const d = await chooseDiscovered(api, arg?.pick);
    const endpoint = d.endpoint ?? (await forwardTo(s, api, d));
    const name = arg?.name || d.name;
    const how = await upsertClusterSetting({
      name,
      endpoint,
      ...(where.kubeconfig ? { kubeconfig: where.kubeconfig } : {}),
      context: api.context,
      namespace: d.namespace,
    });
    s.log.info(
      `${how} cluster ${name} (${endpoint}, ${HOW[d.how]}; ETL pods in namespace ${d.namespace}, context ${api.context})`,
    );
    s.registry.reload();
    // A forward whose cluster entry now points elsewhere (re-discovered) serves nobody.
    await s.portForwards.prune((url) => s.registry.get(url) !== undefined);
    const entry = s.registry.get(endpoint);
    if (entry) s.registry.setActive(entry.id);
    return { name: entry?.name ?? name, endpoint, how: d.how };
  },
);

async function chooseDiscovered(api: PodsApi, pickName: string | undefined): Promise<DiscoveredCluster> {
  const title = `Looking for AIS clusters (context ${api.context})`;
  const found = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, () =>
    api.discoverClusters(),
  );
  if (found.length === 0) {
    throw new UiError(`No AIS clusters found with context ${api.context}`, {
      hint:
        'no AIStore resources of the ais-operator and ' +
        'no AIS proxy services are visible: check the context, or add the cluster by URL with "AIStore: Add cluster…"',
    });
  }
  if (pickName !== undefined) {
    const d = found.find((c) => c.name === pickName || `${c.namespace}/${c.name}` === pickName);
    if (!d)
      throw new UiError(`No AIS cluster "${pickName}" with context ${api.context}`, {
        hint: `found: ${found.map((c) => `${c.namespace}/${c.name}`).join(', ')}`,
      });
    return d;
  }
  const pick = await vscode.window.showQuickPick(
    found.map((c) => ({
      label: c.name,
      description: `${c.namespace} · ${c.endpoint ?? HOW[c.how]}${c.state ? ` · ${c.state}` : ''}`,
      detail: [c.source === 'operator' ? 'ais-operator AIStore' : 'proxy service', c.note].filter(Boolean).join(' — '),
      c,
    })),
    { title: 'Find AIS clusters in Kubernetes', placeHolder: 'Add this cluster to the Clusters view' },
  );
  if (!pick) throw new CancelledError();
  return pick.c;
}

/** Forwards a free local port to the proxy Service in the cluster's own namespace, for as long as this window lives. */
async function forwardTo(s: CommandContext, api: PodsApi, d: DiscoveredCluster): Promise<string> {
  if (d.how !== 'port-forward' || !d.service) {
    throw new UiError(`${d.name} has no reachable endpoint${d.note ? ` (${d.note})` : ''}`, {
      hint: 'expose its proxy service (NodePort or LoadBalancer) or add it by URL',
    });
  }
  const nsApi =
    api.namespace === d.namespace
      ? api
      : await s.k8s.connect({ ...s.k8s.whereFor(undefined), context: api.context, namespace: d.namespace });
  if ('unavailable' in nsApi)
    throw new UiError(`Can't port-forward to ${d.name} in namespace ${d.namespace}: ${nsApi.unavailable}`);
  const fwd = await nsApi.portForward({ service: d.service.name }, d.service.port, 0);
  s.portForwards.add(fwd);
  s.log.info(
    `port-forward ${fwd.url} → service ${d.namespace}/${d.service.name}:${d.service.port} ` +
      '(stops when this window closes or with "AIStore: Stop port-forward")',
  );
  return fwd.url;
}

export const stopPortForward = declareCommand<{ cluster?: string; endpoint?: string }, number>(
  'aistore.stopPortForward',
  'Stop port-forward',
  async (s, arg) => {
    const pf = s.portForwards;
    if (pf.size === 0)
      throw new UiError('No port-forward is running', {
        hint: 'start one with "AIStore: Find AIS clusters in Kubernetes"',
      });
    const given = arg?.endpoint ?? (arg?.cluster ? s.registry.get(arg.cluster)?.endpoint : undefined);
    let urls: string[];
    if (given) urls = pf.has(given) ? [given] : [];
    else if (pf.size === 1) urls = pf.urls();
    else {
      const items = [
        { label: 'All', url: '' },
        ...pf.urls().map((u) => ({ label: u, description: s.registry.get(u)?.name, url: u })),
      ];
      const pick = await vscode.window.showQuickPick(items, { title: 'Stop port-forward' });
      if (!pick) throw new CancelledError();
      urls = pick.url ? [pick.url] : pf.urls();
    }
    if (urls.length === 0) {
      throw new UiError(`No port-forward for ${given}`, {
        hint: 'it was stopped already, or this cluster is not reached through a port-forward',
      });
    }
    for (const u of await pf.stop(urls)) s.log.info(`port-forward ${u} stopped`);
    return urls.length;
  },
);
