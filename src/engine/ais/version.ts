// What a cluster speaks, from its version string, deployment and the GET /v1/etl probe (etl-api.md §5).
import { HINT_NEEDS_K8S, HINT_NO_ETL_BUILD } from './errors';
import type { ClusterInfo, CommType, EtlDialect } from './types';

export const LOCAL_DEPLOYMENT = 'aisetl-local';

export interface AisVersion {
  raw: string;
  major: number;
  minor: number;
}

/** "3.29.abc", "5.0.6b7de2441", "5.0.aisetl-local" (the local cluster emulating 5.0), "3.22" → major/minor. */
export function parseAisVersion(raw: string): AisVersion | undefined {
  const m = /^\s*v?(\d+)\.(\d+)(?:[.\-+].*)?\s*$/.exec(raw);
  if (!m) return undefined;
  return { raw: raw.trim(), major: Number(m[1]), minor: Number(m[2]) };
}

const atLeast = (v: AisVersion, major: number, minor: number): boolean =>
  v.major > major || (v.major === major && v.minor >= minor);

/** Init message dialect: ≤3.28 InitCodeMsg id/timeout; 3.29 name/init_timeout; 3.30–4.x ETLSpecMsg; 5.0+. */
export function dialectFor(v: AisVersion): EtlDialect {
  if (atLeast(v, 5, 0)) return 'v5.0';
  if (atLeast(v, 3, 30)) return 'v3.30';
  if (atLeast(v, 3, 29)) return 'v3.29';
  return 'v3.16';
}

/** hrev:// is not offered (removed in 3.28); ws:// from 3.28; io:// until 4.9. The local cluster emulates one
 *  release (its version says which), so it gets that release's list. */
export function commTypesFor(v: AisVersion, _local = false): CommType[] {
  const out: CommType[] = ['hpush://', 'hpull://'];
  if (atLeast(v, 3, 28)) out.push('ws://');
  if (!atLeast(v, 5, 0)) out.push('io://');
  return out;
}

/** Only ≤3.29 accepts InitCodeMsg (code + runtime), the local cluster included when it emulates 3.29. */
export function acceptsCodeInit(v: AisVersion, _local = false): boolean {
  return !atLeast(v, 3, 30);
}

export interface EtlProbe {
  etl: ClusterInfo['etl'];
  etlReason?: string;
}

/** Interpret the answer to GET /v1/etl. */
export function interpretEtlProbe(status: number, message: string): EtlProbe {
  if (status >= 200 && status < 300) return { etl: 'available' };
  if (status === 501) return { etl: 'not-built', etlReason: HINT_NO_ETL_BUILD };
  if (/requires kubernetes/i.test(message)) return { etl: 'no-k8s', etlReason: HINT_NEEDS_K8S };
  if (status === 401 || status === 403)
    return { etl: 'unknown', etlReason: `cannot check ETL support (HTTP ${status}): set a token for this cluster` };
  return { etl: 'unknown', etlReason: `cannot check ETL support: HTTP ${status}${message ? ` ${message}` : ''}` };
}

export function buildClusterInfo(endpoint: string, v: AisVersion, deployment: string, probe: EtlProbe): ClusterInfo {
  const local = deployment === LOCAL_DEPLOYMENT;
  return {
    endpoint,
    version: v,
    dialect: dialectFor(v),
    deployment,
    local,
    etl: probe.etl,
    ...(probe.etlReason ? { etlReason: probe.etlReason } : {}),
    commTypes: commTypesFor(v, local),
    codeInit: acceptsCodeInit(v, local),
  };
}
