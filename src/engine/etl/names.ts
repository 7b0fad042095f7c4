// ETL names and communication types: the server's rules (etl-api.md §3, §4.4) plus the stricter
// Kubernetes-safe start/end rule (pod `<name>-<tid>` and its Service must be DNS labels).
import type { CommType } from './types';

export const ETL_NAME_MIN = 6;
export const ETL_NAME_MAX = 32;
export const ETL_NAME_PATTERN = /^[a-z][a-z0-9-]{4,30}[a-z0-9]$/;

/** Every comm type AIS ever accepted in this extension's range (io:// only up to 4.9). */
export const COMM_TYPES: readonly CommType[] = ['hpush://', 'hpull://', 'ws://', 'io://'];

/** The server's own checks, with its exact messages (cmn/k8s/util.go: ValidateEtlName). */
export function serverEtlNameError(name: string): string | undefined {
  if (name === '') return `ETL name "" is empty`;
  if (name.length < ETL_NAME_MIN) return `ETL name "${name}" is too short`;
  if (name.length > ETL_NAME_MAX) return `ETL name "${name}" is too long`;
  if (!/^[a-z0-9-]+$/.test(name)) return `ETL name "${name}" is invalid: can only contain [a-z0-9-]`;
  return undefined;
}

/**
 * Server's message when the server would reject the name; otherwise our stricter rule, because names
 * like `1abcde` pass AIS but fail later when Kubernetes creates the pod/service.
 */
export function validateEtlName(name: string): string | undefined {
  const server = serverEtlNameError(name);
  if (server) return server;
  if (!ETL_NAME_PATTERN.test(name)) {
    return `ETL name "${name}" is invalid: must start with a lowercase letter and end with a lowercase letter or digit (Kubernetes names its pod and service after it)`;
  }
  return undefined;
}

/** A valid name close to `raw` (lowercased, `_`/spaces → `-`, trimmed, padded), or undefined if nothing sensible. */
export function suggestEtlName(raw: string): string | undefined {
  let s = raw
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-');
  s = s.replace(/^[^a-z]+/, '').replace(/-+$/, '');
  if (s.length > ETL_NAME_MAX) s = s.slice(0, ETL_NAME_MAX).replace(/-+$/, '');
  if (s === '') return undefined;
  if (s.length < ETL_NAME_MIN) s = `${s}-etl`.slice(0, ETL_NAME_MAX);
  if (s.length < ETL_NAME_MIN) s = `${s}-${'x'.repeat(ETL_NAME_MIN)}`.slice(0, ETL_NAME_MIN);
  return ETL_NAME_PATTERN.test(s) ? s : undefined;
}

/** 'hpush' / 'HPUSH://' → 'hpush://'; undefined for anything AIS does not know (incl. the removed hrev://). */
export function normalizeCommType(x: string): CommType | undefined {
  const base = x
    .trim()
    .toLowerCase()
    .replace(/:\/\/$/, '');
  const full = `${base}://` as CommType;
  return COMM_TYPES.includes(full) ? full : undefined;
}

export function describeCommTypes(list: readonly CommType[] = COMM_TYPES): string {
  return list.map((c) => `"${c}"`).join(', ');
}
