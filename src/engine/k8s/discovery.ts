// AIS clusters reachable from the current context: AIStore custom resources of the ais-operator
// (ais.nvidia.com/v1beta1, plural aistores: ais-k8s operator/api/aistore/v1beta1) and proxy Services.
// Proxy Service conventions (ais-k8s): current operator `<ais>-proxy` (headless) and `<ais>-proxy-lb` with
// labels app.kubernetes.io/name=<ais>, app.kubernetes.io/component=proxy-svc|proxy-lb; older operators only
// app=<ais>; the Helm chart `<ais>-proxy-lb` with app.kubernetes.io/name=<ais>; and user-made Services whose
// selector picks proxy pods (component=proxy).
import type { V1Node, V1Service } from '@kubernetes/client-node';
import { httpStatusOf } from './errors';
import type { Wire } from './pods';
import { call, type K8sSession } from './session';
import type { DiscoveredCluster } from './types';

export const AISTORE_CRD = { group: 'ais.nvidia.com', version: 'v1beta1', plural: 'aistores' } as const;
const DEFAULT_PROXY_PORT = 51080;

interface AisCr {
  name: string;
  namespace: string;
  state?: string;
  https: boolean;
  servicePort: number;
}

/** The fields we read of an AIStore custom resource (ais-k8s operator/api/aistore/v1beta1 AIStore). */
interface AistoreObject {
  metadata?: { name?: string; namespace?: string };
  status?: { state?: string };
  spec?: {
    configToUpdate?: { net?: { http?: { use_https?: boolean } } };
    proxySpec?: { servicePort?: number | string };
  };
}
interface AistoreList {
  items?: AistoreObject[];
}

/** Cluster-wide first; on 403 the current namespace; 404 means the operator's CRD is not installed. */
async function listAistores(s: K8sSession): Promise<{ items: AisCr[]; note?: string }> {
  const toCr = (o: AistoreObject): AisCr => ({
    name: o.metadata?.name ?? '',
    namespace: o.metadata?.namespace ?? s.where.namespace,
    state: o.status?.state || undefined,
    https: o.spec?.configToUpdate?.net?.http?.use_https === true,
    servicePort: Number(o.spec?.proxySpec?.servicePort) || DEFAULT_PROXY_PORT,
  });
  try {
    const all: AistoreList = await call(s, 'list AIStore resources', () =>
      s.custom.listClusterCustomObject({ ...AISTORE_CRD }),
    );
    return { items: (all.items ?? []).map(toCr) };
  } catch (err) {
    if (httpStatusOf(err) === 404) return { items: [] };
    if (httpStatusOf(err) !== 403) throw err;
  }
  try {
    const ns: AistoreList = await call(s, 'list AIStore resources', () =>
      s.custom.listNamespacedCustomObject({ ...AISTORE_CRD, namespace: s.where.namespace }),
    );
    return {
      items: (ns.items ?? []).map(toCr),
      note: `only namespace "${s.where.namespace}" was searched (no cluster-wide access)`,
    };
  } catch (err) {
    if (httpStatusOf(err) === 404 || httpStatusOf(err) === 403) return { items: [] };
    throw err;
  }
}

async function listServices(s: K8sSession): Promise<V1Service[]> {
  try {
    return (await call(s, 'list services', () => s.core.listServiceForAllNamespaces({}))).items ?? [];
  } catch (err) {
    if (httpStatusOf(err) !== 403) throw err;
  }
  try {
    return (
      (await call(s, 'list services', () => s.core.listNamespacedService({ namespace: s.where.namespace }))).items ?? []
    );
  } catch (err) {
    if (httpStatusOf(err) === 403) return [];
    throw err;
  }
}

/** A node address for NodePort endpoints, or undefined when nodes may not be listed. */
async function nodeAddress(s: K8sSession): Promise<string | undefined> {
  let nodes: V1Node[];
  try {
    nodes = (await call(s, 'list nodes', () => s.core.listNode({}))).items ?? [];
  } catch (err) {
    if (httpStatusOf(err) === 403) return undefined;
    throw err;
  }
  const ready = (n: V1Node) => (n.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
  for (const kind of ['InternalIP', 'ExternalIP']) {
    for (const n of [...nodes.filter(ready), ...nodes.filter((n) => !ready(n))]) {
      const a = (n.status?.addresses ?? []).find((x) => x.type === kind);
      if (a?.address) return a.address;
    }
  }
  return undefined;
}

/** The AIS cluster a Service fronts the proxies of, or undefined when it is not such a Service. */
export function proxyServiceCluster(svc: Wire<V1Service>): string | undefined {
  const labels = svc.metadata?.labels ?? {};
  const name = svc.metadata?.name ?? '';
  const comp = labels['app.kubernetes.io/component'];
  if (comp === 'proxy-svc' || comp === 'proxy-lb') return labels['app.kubernetes.io/name'] ?? labels.app;
  const m = /^(.+)-proxy(-lb)?$/.exec(name);
  if (m && (labels.app === m[1] || labels['app.kubernetes.io/name'] === m[1])) return m[1];
  const sel = svc.spec?.selector ?? {};
  if (sel['app.kubernetes.io/component'] === 'proxy' || sel.component === 'proxy')
    return sel['app.kubernetes.io/name'] ?? sel.app;
  return undefined;
}

type Choice = Omit<DiscoveredCluster, 'name' | 'namespace' | 'source' | 'state'> & { rank: number };

/** How a client outside the cluster reaches this Service: LoadBalancer ingress > NodePort > port-forward. */
export function serviceEndpoint(svc: V1Service, node: string | undefined, https: boolean): Choice {
  const ports = svc.spec?.ports ?? [];
  const port = ports.find((p) => p.name === 'pub') ?? ports[0];
  const scheme = https ? 'https' : 'http';
  const svcRef = { name: svc.metadata?.name ?? '', port: port?.port ?? DEFAULT_PROXY_PORT };
  const ingress = svc.status?.loadBalancer?.ingress?.[0];
  const host = ingress?.ip || ingress?.hostname;
  if (svc.spec?.type === 'LoadBalancer' && host && port) {
    return {
      rank: 3,
      how: 'load-balancer',
      endpoint: `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port.port}`,
      service: svcRef,
    };
  }
  if ((svc.spec?.type === 'NodePort' || svc.spec?.type === 'LoadBalancer') && port?.nodePort) {
    if (node)
      return {
        rank: 2,
        how: 'node-port',
        endpoint: `${scheme}://${node.includes(':') ? `[${node}]` : node}:${port.nodePort}`,
        service: svcRef,
      };
    return {
      rank: 1,
      how: 'node-port',
      service: svcRef,
      note: `node port ${port.nodePort}: nodes may not be listed, use any node's address with that port`,
    };
  }
  const note = svc.spec?.type === 'LoadBalancer' ? 'the LoadBalancer has no external address yet; ' : '';
  return {
    rank: 0,
    how: 'port-forward',
    service: svcRef,
    note: `${note}reachable only inside the cluster: start a port-forward to service ${svcRef.name}`,
  };
}

export async function discoverClusters(s: K8sSession): Promise<DiscoveredCluster[]> {
  const [crs, services, node] = await Promise.all([listAistores(s), listServices(s), nodeAddress(s)]);
  const byCluster = new Map<string, V1Service[]>();
  for (const svc of services) {
    const name = proxyServiceCluster(svc);
    if (!name) continue;
    const key = `${svc.metadata?.namespace ?? s.where.namespace}/${name}`;
    byCluster.set(key, [...(byCluster.get(key) ?? []), svc]);
  }
  const best = (svcs: V1Service[], https: boolean) =>
    svcs.map((x) => serviceEndpoint(x, node, https)).sort((a, b) => b.rank - a.rank)[0];
  const out: DiscoveredCluster[] = [];
  for (const cr of crs.items) {
    const key = `${cr.namespace}/${cr.name}`;
    const choice = best(byCluster.get(key) ?? [], cr.https) ?? {
      rank: 0,
      how: 'port-forward' as const,
      service: { name: `${cr.name}-proxy`, port: cr.servicePort },
      note: 'no proxy Service visible: start a port-forward to the proxy service',
    };
    byCluster.delete(key);
    out.push(
      withoutRank(
        {
          name: cr.name,
          namespace: cr.namespace,
          source: 'operator',
          ...(cr.state ? { state: cr.state } : {}),
          ...choice,
        },
        crs.note,
      ),
    );
  }
  for (const [key, svcs] of byCluster) {
    const [namespace, name] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
    out.push(withoutRank({ name, namespace, source: 'service', ...best(svcs, false) }));
  }
  return out.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

function withoutRank(c: DiscoveredCluster & { rank?: number }, extraNote?: string): DiscoveredCluster {
  const { rank: _rank, ...rest } = c;
  if (extraNote) rest.note = rest.note ? `${rest.note}; ${extraNote}` : extraNote;
  return rest;
}
