// Where clusters come from: settings, AIS_ENDPOINT, the `ais` CLI config, and our local cluster. Pure: the caller
// passes in what it read, so the merge rules (dedupe by endpoint, unique names) are unit-tested without VS Code.
import type { TlsOptions } from '../engine/ais';

export type ClusterSource = 'settings' | 'env' | 'cli' | 'local';
/** Where this cluster's ETL pods are: a kubeconfig file, context and namespace (each optional). */
export interface K8sSettings {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
}
export interface ClusterEntry {
  id: string;
  name: string;
  endpoint: string;
  source: ClusterSource;
  tls?: TlsOptions;
  k8s?: K8sSettings;
}
export interface ClusterInputs {
  settings: unknown;
  env?: string;
  cliConfigText?: string;
  localEndpoint?: string;
  localName?: string;
}

/** Validates the `aistore.clusters` setting; bad entries are reported, not fatal. */
export function parseClusterSettings(raw: unknown): {
  clusters: Omit<ClusterEntry, 'id' | 'source'>[];
  problems: string[];
} {
  const clusters: Omit<ClusterEntry, 'id' | 'source'>[] = [];
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { clusters, problems };
  if (!Array.isArray(raw)) return { clusters, problems: ['aistore.clusters must be a list of {name, endpoint}'] };
  raw.forEach((item, i) => {
    const o = (item ?? {}) as Record<string, unknown>;
    const endpoint = typeof o.endpoint === 'string' ? normalizeEndpoint(o.endpoint) : undefined;
    if (!endpoint) {
      problems.push(`aistore.clusters[${i}]: "endpoint" must be an http(s) URL such as http://host:51080`);
      return;
    }
    const name = typeof o.name === 'string' && o.name.trim() ? o.name.trim() : hostOf(endpoint);
    const tls: TlsOptions = {};
    for (const k of ['caFile', 'certFile', 'keyFile'] as const)
      if (typeof o[k] === 'string' && o[k]) tls[k] = o[k] as string;
    if (o.skipVerify === true) tls.skipVerify = true;
    const k8s: K8sSettings = {};
    for (const k of ['kubeconfig', 'context', 'namespace'] as const)
      if (typeof o[k] === 'string' && (o[k] as string).trim()) k8s[k] = (o[k] as string).trim();
    clusters.push({
      name,
      endpoint,
      ...(Object.keys(tls).length ? { tls } : {}),
      ...(Object.keys(k8s).length ? { k8s } : {}),
    });
  });
  return { clusters, problems };
}

/** `cluster.url` of ~/.config/ais/cli/cli.json, if any. */
export function endpointFromCliConfig(text: string | undefined): string | undefined {
  if (!text) return undefined;
  try {
    const url = (JSON.parse(text) as { cluster?: { url?: unknown } })?.cluster?.url;
    return typeof url === 'string' ? normalizeEndpoint(url) : undefined;
  } catch {
    return undefined;
  }
}

export function normalizeEndpoint(s: string): string | undefined {
  const t = s.trim();
  try {
    const u = new URL(t);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    return t.replace(/\/+$/, '');
  } catch {
    return undefined;
  }
}

function hostOf(endpoint: string): string {
  return new URL(endpoint).host;
}

/** Local first (it's the one a new user starts), then settings, env, CLI; the same endpoint is listed once. */
export function mergeClusterSources(inp: ClusterInputs): { clusters: ClusterEntry[]; problems: string[] } {
  const { clusters: fromSettings, problems } = parseClusterSettings(inp.settings);
  const candidates: Omit<ClusterEntry, 'id'>[] = [];
  if (inp.localEndpoint)
    candidates.push({ name: inp.localName || 'local', endpoint: inp.localEndpoint, source: 'local' });
  for (const c of fromSettings) candidates.push({ ...c, source: 'settings' });
  const env = inp.env ? normalizeEndpoint(inp.env) : undefined;
  if (env) candidates.push({ name: 'AIS_ENDPOINT', endpoint: env, source: 'env' });
  const cli = endpointFromCliConfig(inp.cliConfigText);
  if (cli) candidates.push({ name: 'ais CLI', endpoint: cli, source: 'cli' });

  const seenEndpoints = new Set<string>();
  const usedNames = new Set<string>();
  const clusters: ClusterEntry[] = [];
  for (const c of candidates) {
    if (seenEndpoints.has(c.endpoint)) continue;
    seenEndpoints.add(c.endpoint);
    let name = c.name;
    for (let n = 2; usedNames.has(name); n++) name = `${c.name} (${n})`;
    usedNames.add(name);
    clusters.push({ ...c, name, id: name });
  }
  return { clusters, problems };
}
