// Kubernetes actions on ETL pods (explain, describe, delete) and finding AIS clusters in Kubernetes. Kubernetes is
// loaded lazily through the K8sPodsService the first time one of these runs.
//
// Plain arguments (tests): `aistore.explainPod({ cluster?, etl?, pod })` → the text (also opened in a read-only
// document); `aistore.describePod({ cluster?, pod })` → the YAML (read-only document);
// `aistore.deletePod({ cluster?, pod, confirm: false })` → true when deleted;
// `aistore.discoverClusters({ pick: <name> })` → `{ name, endpoint, how }` of the added cluster;
// `aistore.stopPortForward({ cluster? })` → the number of port-forwards stopped.
import * as vscode from 'vscode';
import type { Services } from '../services';
import type { ClusterEntry } from '../services/clusterSources';
import type { EtlPodLike } from '../services/engineTypes';
import { UserError } from '../services/errors';
import type { DiscoveredClusterLike, PodsApi } from '../services/k8sPods';
import { upsertClusterSetting } from '../services/settings';
import { nodeIds } from '../views/treeNodes';
import { podTarget } from './logs';
import { cancelled, confirm, pickCluster } from './ui';

interface PodArgs { entry: ClusterEntry; api: PodsApi; pod: string; etl?: string; target?: string }

async function resolvePod(s: Services, arg: unknown, what: string): Promise<PodArgs> {
  const t = podTarget(arg);
  if (!t) throw new UserError(`${what} needs a pod`, 'use it on a pod under an ETL of a Kubernetes cluster in the Clusters view');
  const entry = s.registry.resolve(await pickCluster(s, t.cluster, what));
  const api = await s.k8s.require(entry, what);
  return { entry, api, pod: t.pod, etl: t.etl, target: t.target };
}

/** The pod as the tree last saw it, or as Kubernetes lists it now, or just its name. */
async function podOf(s: Services, p: PodArgs): Promise<EtlPodLike> {
  const seen = p.etl ? s.tree.podsOf(nodeIds.etl(p.entry.id, p.etl))?.find((x) => x.name === p.pod) : undefined;
  if (seen) return seen;
  const listed = p.etl ? (await p.api.listEtlPods(p.etl).catch(() => [])).find((x) => x.name === p.pod) : undefined;
  return listed ?? { name: p.pod, targetId: p.target ?? '', phase: 'Unknown', ready: false, restarts: 0 };
}

export async function explainPod(s: Services, arg?: unknown): Promise<string> {
  const p = await resolvePod(s, arg, 'Explain pod');
  const pod = await podOf(s, p);
  const text = await p.api.explain(pod);
  const header = `# Pod ${p.pod}\n\nnamespace ${p.api.namespace}, context ${p.api.context}${pod.targetId ? `, target ${pod.targetId}` : ''}: ${pod.phase}${pod.reason ? ` (${pod.reason})` : ''}, ${pod.ready ? 'ready' : 'not ready'}, ${pod.restarts} restarts\n\n`;
  await s.reports.show(`explain ${p.pod}`, `${header}${text}\n`, 'md');
  return text;
}

export async function describePod(s: Services, arg?: unknown): Promise<string> {
  const p = await resolvePod(s, arg, 'Describe pod');
  const yaml = await p.api.describe(p.pod);
  await s.reports.show(p.pod, yaml, 'yaml');
  return yaml;
}

export async function deletePod(s: Services, arg?: unknown): Promise<boolean> {
  const p = await resolvePod(s, arg, 'Delete pod');
  const ask = (arg as { confirm?: unknown }).confirm !== false;
  if (ask && !(await confirm(`Delete pod ${p.pod} in namespace ${p.api.namespace}? AIS does not recreate it: the ETL on that target stops working until the ETL is restarted.`, 'Delete pod'))) return false;
  await p.api.deletePod(p.pod);
  s.log.info(`deleted pod ${p.pod} (namespace ${p.api.namespace}, context ${p.api.context})`);
  return true;
}

// ---- discovery -------------------------------------------------------------------------------------------------

const HOW: Record<DiscoveredClusterLike['how'], string> = {
  'node-port': 'NodePort', 'load-balancer': 'LoadBalancer', 'port-forward': 'port-forward from this window',
};

/** Lists AIS clusters visible with the kubeconfig's context and adds the picked one (running a port-forward if needed). */
export async function discoverClusters(s: Services, arg?: unknown): Promise<{ name: string; endpoint: string; how: string }> {
  const o = (arg && typeof arg === 'object' ? arg : {}) as { pick?: unknown; name?: unknown };
  const where = s.k8s.whereFor(undefined);
  const api = await s.k8s.require(undefined, 'Finding AIS clusters');
  const found = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Looking for AIS clusters (context ${api.context})` }, () => api.discoverClusters());
  if (found.length === 0) {
    throw new UserError(`No AIS clusters found with context ${api.context}`, 'no AIStore resources of the ais-operator and no AIS proxy services are visible: check the context, or add the cluster by URL with "AIStore: Add cluster…"');
  }
  let d: DiscoveredClusterLike | undefined;
  if (typeof o.pick === 'string') {
    d = found.find((c) => c.name === o.pick || `${c.namespace}/${c.name}` === o.pick);
    if (!d) throw new UserError(`No AIS cluster "${o.pick}" with context ${api.context}`, `found: ${found.map((c) => `${c.namespace}/${c.name}`).join(', ')}`);
  } else {
    const pick = await vscode.window.showQuickPick(found.map((c) => ({
      label: c.name, description: `${c.namespace} · ${c.endpoint ?? HOW[c.how]}${c.state ? ` · ${c.state}` : ''}`,
      detail: [c.source === 'operator' ? 'ais-operator AIStore' : 'proxy service', c.note].filter(Boolean).join(' — '), c,
    })), { title: 'Find AIS clusters in Kubernetes', placeHolder: 'Add this cluster to the Clusters view' });
    if (!pick) throw cancelled();
    d = pick.c;
  }

  let endpoint = d.endpoint;
  if (!endpoint) {
    if (d.how !== 'port-forward' || !d.service) throw new UserError(`${d.name} has no reachable endpoint${d.note ? ` (${d.note})` : ''}`, 'expose its proxy service (NodePort or LoadBalancer) or add it by URL');
    // Forward to the proxy Service of the cluster's own namespace, on a free local port, for as long as this window lives.
    const nsApi = api.namespace === d.namespace ? api : await s.k8s.connect({ ...where, context: api.context, namespace: d.namespace });
    if ('unavailable' in nsApi) throw new UserError(`Can't port-forward to ${d.name} in namespace ${d.namespace}: ${nsApi.unavailable}`);
    const fwd = await nsApi.portForward({ service: d.service.name }, d.service.port, 0);
    endpoint = fwd.url;
    s.portForwards.set(endpoint, fwd);
    syncPortForwardContext(s);
    s.log.info(`port-forward ${endpoint} → service ${d.namespace}/${d.service.name}:${d.service.port} (stops when this window closes or with "AIStore: Stop port-forward")`);
  }
  const name = typeof o.name === 'string' && o.name ? o.name : d.name;
  const how = await upsertClusterSetting({
    name, endpoint,
    ...(where.kubeconfig ? { kubeconfig: where.kubeconfig } : {}), context: api.context, namespace: d.namespace,
  });
  s.log.info(`${how} cluster ${name} (${endpoint}, ${HOW[d.how]}; ETL pods in namespace ${d.namespace}, context ${api.context})`);
  s.registry.reload();
  // A forward whose cluster entry now points elsewhere (re-discovered) serves nobody.
  for (const [url, f] of [...s.portForwards]) if (!s.registry.get(url)) { await f.dispose(); s.portForwards.delete(url); }
  syncPortForwardContext(s);
  const entry = s.registry.get(endpoint);
  if (entry) s.registry.setActive(entry.id);
  return { name: entry?.name ?? name, endpoint, how: d.how };
}

export async function stopPortForward(s: Services, arg?: unknown): Promise<number> {
  if (s.portForwards.size === 0) throw new UserError('No port-forward is running', 'start one with "AIStore: Find AIS clusters in Kubernetes"');
  const o = (arg && typeof arg === 'object' ? arg : {}) as { cluster?: unknown; endpoint?: unknown; clusterId?: unknown };
  const given = typeof o.endpoint === 'string' ? o.endpoint : typeof o.cluster === 'string' || typeof o.clusterId === 'string'
    ? s.registry.get(String(o.cluster ?? o.clusterId))?.endpoint : undefined;
  let urls: string[];
  if (given) urls = s.portForwards.has(given) ? [given] : [];
  else if (s.portForwards.size === 1) urls = [...s.portForwards.keys()];
  else {
    const pick = await vscode.window.showQuickPick([{ label: 'All', url: '' }, ...[...s.portForwards.keys()].map((u) => ({ label: u, description: s.registry.get(u)?.name, url: u }))], { title: 'Stop port-forward' });
    if (!pick) throw cancelled();
    urls = pick.url ? [pick.url] : [...s.portForwards.keys()];
  }
  if (urls.length === 0) throw new UserError(`No port-forward for ${given}`, 'it was stopped already, or this cluster is not reached through a port-forward');
  for (const u of urls) {
    await s.portForwards.get(u)?.dispose();
    s.portForwards.delete(u);
    s.log.info(`port-forward ${u} stopped`);
  }
  syncPortForwardContext(s);
  return urls.length;
}

export async function stopAllPortForwards(s: Services): Promise<void> {
  await Promise.allSettled([...s.portForwards.values()].map((f) => f.dispose()));
  s.portForwards.clear();
}

function syncPortForwardContext(s: Services): void {
  void vscode.commands.executeCommand('setContext', 'aistore.hasPortForward', s.portForwards.size > 0);
}
