// Cluster-level calls: node status (version), capability probe, cluster map, health.
import { AisError, parseErrorBody } from './errors';
import type { Transport } from './transport';
import type { CallOptions, ClusterInfo, Smap, SmapNode } from './types';
import { buildClusterInfo, interpretEtlProbe, parseAisVersion } from './version';

/** GET /v1/daemon?what=node_status, or what=status on ≤3.22 (which answers 400 to the newer name). */
export async function nodeStatus(t: Transport, o?: CallOptions): Promise<Record<string, unknown>> {
  const call = { call: 'read node status' };
  const res = await t.send({ method: 'GET', path: '/v1/daemon', query: { what: 'node_status' }, ctx: call, opts: o });
  if (res.status === 400) {
    await res.body.dump().catch(() => undefined);
    res.scope.dispose();
    return (
      (await t.json<Record<string, unknown>>({
        method: 'GET',
        path: '/v1/daemon',
        query: { what: 'status' },
        ctx: call,
        opts: o,
      })) ?? {}
    );
  }
  try {
    await t.throwIfError(res, { method: 'GET', path: '/v1/daemon', ctx: call });
    const text = await res.body.text();
    return asRecord(JSON.parse(text || '{}'));
  } catch (e) {
    throw t.mapError(e, res.scope, { method: 'GET', path: '/v1/daemon', ctx: call }, res.url);
  } finally {
    res.scope.dispose();
  }
}

/** Version, dialect and ETL capability. Two requests, run in parallel. */
export async function probeCluster(t: Transport, o?: CallOptions): Promise<ClusterInfo> {
  const [status, probe] = await Promise.all([nodeStatus(t, o), probeEtl(t, o)]);
  const raw = typeof status.ais_version === 'string' ? status.ais_version : '';
  const version = parseAisVersion(raw);
  if (!version) {
    throw new AisError({
      method: 'GET',
      url: t.url('/v1/daemon'),
      call: 'detect cluster version',
      code: 'EVERSION',
      aisMessage: `${t.endpoint} did not report an AIS version (ais_version=${JSON.stringify(status.ais_version ?? null)})`,
      hint: 'check that the endpoint is an AIStore proxy',
    });
  }
  const deployment = typeof status.deployment === 'string' ? status.deployment : '';
  return buildClusterInfo(t.endpoint, version, deployment, probe);
}

async function probeEtl(t: Transport, o?: CallOptions): Promise<ReturnType<typeof interpretEtlProbe>> {
  const res = await t.send({ method: 'GET', path: '/v1/etl', ctx: { call: 'check ETL support' }, opts: o });
  try {
    const text = res.status >= 300 ? await res.body.text() : (await res.body.dump(), '');
    return interpretEtlProbe(res.status, parseErrorBody(text).message);
  } finally {
    res.scope.dispose();
  }
}

interface WireNetInfo {
  node_ip_addr?: string;
  daemon_port?: string;
  direct_url?: string;
}
interface WireSnode {
  daemon_id?: string;
  daemon_type?: string;
  public_net?: WireNetInfo;
  intra_data_net?: WireNetInfo;
  flags?: number;
}
interface WireSmap {
  pmap?: Record<string, WireSnode>;
  tmap?: Record<string, WireSnode>;
  proxy_si?: WireSnode;
  uuid?: string;
  version?: string | number;
}

export async function clusterMap(t: Transport, o?: CallOptions): Promise<Smap> {
  const w =
    (await t.json<WireSmap>({
      method: 'GET',
      path: '/v1/daemon',
      query: { what: 'smap' },
      ctx: { call: 'read cluster map' },
      opts: o,
    })) ?? {};
  const nodes = (m: Record<string, WireSnode> | undefined, type: SmapNode['type']): SmapNode[] =>
    Object.entries(m ?? {})
      .map(([id, n]) => toNode(id, n, type))
      .sort((a, b) => a.id.localeCompare(b.id));
  const primary = w.proxy_si ? toNode(w.proxy_si.daemon_id ?? '', w.proxy_si, 'proxy') : undefined;
  return {
    uuid: w.uuid ?? '',
    version: String(w.version ?? ''),
    primaryId: primary?.id ?? '',
    primaryUrl: primary?.url ?? '',
    proxies: nodes(w.pmap, 'proxy'),
    targets: nodes(w.tmap, 'target'),
  };
}

function toNode(id: string, n: WireSnode, type: SmapNode['type']): SmapNode {
  const url =
    n.public_net?.direct_url ||
    (n.public_net?.node_ip_addr ? `http://${n.public_net.node_ip_addr}:${n.public_net.daemon_port ?? ''}` : '');
  const intra = n.intra_data_net?.direct_url;
  return { id: n.daemon_id || id, type, url, ...(intra ? { intraDataUrl: intra } : {}), flags: n.flags ?? 0 };
}

/** true = up; false = the node answered but is not ready (503 while starting). Network errors throw. */
export async function health(t: Transport, o?: CallOptions): Promise<boolean> {
  const r = { method: 'GET' as const, path: '/v1/health', ctx: { call: 'check cluster health' }, opts: o };
  const res = await t.send(r);
  try {
    await res.body.dump();
    return res.status >= 200 && res.status < 300;
  } catch (e) {
    throw t.mapError(e, res.scope, r, res.url);
  } finally {
    res.scope.dispose();
  }
}

function asRecord(x: unknown): Record<string, unknown> {
  return x && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>) : {};
}
