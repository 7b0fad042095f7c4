// Cluster map (Smap), node status and the other `what=` answers of /v1/daemon and /v1/cluster.
import { DEPLOYMENT, type ClusterContext } from './context';

interface NetInfo {
  node_ip_addr: string;
  daemon_port: string;
  direct_url: string;
}
const net = (host: string, port: number): NetInfo => ({
  node_ip_addr: host,
  daemon_port: String(port),
  direct_url: `http://${host}:${port}`,
});

export function snode(
  id: string,
  type: 'proxy' | 'target',
  host: string,
  port: number,
  digest: number,
): Record<string, unknown> {
  const n = net(host, port);
  return {
    daemon_id: id,
    daemon_type: type,
    public_net: n,
    intra_control_net: n,
    intra_data_net: n,
    // bit1 = IC member: the single proxy is the information center that tracks etl-bck jobs
    flags: type === 'proxy' ? 2 : 0,
    id_digest: digest,
  };
}

export function smap(ctx: ClusterContext): Record<string, unknown> {
  const proxy = snode(ctx.proxyId, 'proxy', ctx.host, ctx.port, 0);
  return {
    pmap: { [ctx.proxyId]: proxy },
    tmap: Object.fromEntries(ctx.targets.map((t) => [t.id, snode(t.id, 'target', t.host, t.port, t.idDigest)])),
    proxy_si: proxy,
    uuid: `aisetl-${ctx.proxyId}`,
    creation_time: new Date(ctx.startedAt).toISOString(),
    version: String(1 + ctx.targets.length),
  };
}

export function nodeStatus(ctx: ClusterContext, nodeId: string): Record<string, unknown> {
  const t = ctx.targets.find((x) => x.id === nodeId);
  const sn = t ? snode(t.id, 'target', t.host, t.port, t.idDigest) : snode(ctx.proxyId, 'proxy', ctx.host, ctx.port, 0);
  const mem = process.memoryUsage();
  return {
    snode: sn,
    tracker: { 'up.ns.time': { v: String((Date.now() - ctx.startedAt) * 1e6) } },
    capacity: {},
    status: 'online',
    deployment: DEPLOYMENT,
    ais_version: ctx.ais.reported,
    build_time: 'aisetl-local',
    k8s_pod_name: '',
    cluster: { flags: 0 },
    sys_info: { proc_mem_used: mem.rss, cpus: 0 },
    smap_version: String(1 + ctx.targets.length),
  };
}
