// Typed access to the extension's settings (keys declared in package.json `contributes.configuration`).
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';

const SECTION = 'aistore';

export const settings = {
  clusters: (): unknown => vscode.workspace.getConfiguration(SECTION).get('clusters'),
  listPageSize: (): number => clampInt(vscode.workspace.getConfiguration(SECTION).get('listPageSize'), 100, 1, 10_000),
  localTargets: (): number => clampInt(vscode.workspace.getConfiguration(SECTION).get('local.targets'), 2, 1, 16),
  localDataDir: (): string =>
    expandHome((vscode.workspace.getConfiguration(SECTION).get<string>('local.dataDir') ?? '').trim()),
  /** The local cluster's name in the tree and in commands (`cluster: '<name>'`). */
  localName: (): string =>
    (vscode.workspace.getConfiguration(SECTION).get<string>('local.name') ?? '').trim() || 'local',
  /** The AIS release the local cluster emulates: "5.0" (today's contract) or "3.29" (the seed tutorial's era). */
  localAisVersion: (): string => {
    const v = vscode.workspace.getConfiguration(SECTION).get<string>('local.aisVersion');
    return v === '3.29' ? '3.29' : '5.0';
  },
  maxOpenBytes: (): number =>
    clampInt(vscode.workspace.getConfiguration(SECTION).get('maxOpenSizeMiB'), 50, 1, 4096) * 1024 * 1024,
  /** `aistore.kubernetes.kubeconfig`; '' = kubectl's rules (KUBECONFIG files merged, ~/.kube/config, in-cluster). */
  kubeconfig: (): string =>
    expandHome((vscode.workspace.getConfiguration(SECTION).get<string>('kubernetes.kubeconfig') ?? '').trim()),
  affects: (e: vscode.ConfigurationChangeEvent, key: string): boolean => e.affectsConfiguration(`${SECTION}.${key}`),
};

export async function addClusterSetting(entry: {
  name: string;
  endpoint: string;
  kubeconfig?: string;
  context?: string;
  namespace?: string;
}): Promise<void> {
  const cfg = vscode.workspace.getConfiguration(SECTION);
  const list = Array.isArray(cfg.get('clusters')) ? [...(cfg.get('clusters') as unknown[])] : [];
  list.push(entry);
  await cfg.update('clusters', list, vscode.ConfigurationTarget.Global);
}

/**
 * Adds a discovered cluster, or updates the entry found earlier for the same Kubernetes cluster (same name, context and
 * namespace): a new port-forward after a window reload gets a new local port, and the entry follows it.
 */
export async function upsertClusterSetting(entry: {
  name: string;
  endpoint: string;
  kubeconfig?: string;
  context?: string;
  namespace?: string;
}): Promise<'added' | 'updated'> {
  const cfg = vscode.workspace.getConfiguration(SECTION);
  const list = Array.isArray(cfg.get('clusters')) ? [...(cfg.get('clusters') as Record<string, unknown>[])] : [];
  const i = list.findIndex(
    (c) => c && c.name === entry.name && c.context === entry.context && c.namespace === entry.namespace,
  );
  if (i >= 0) list[i] = { ...list[i], ...entry };
  else list.push(entry);
  await cfg.update('clusters', list, vscode.ConfigurationTarget.Global);
  return i >= 0 ? 'updated' : 'added';
}

export async function removeClusterSetting(endpoint: string): Promise<boolean> {
  const cfg = vscode.workspace.getConfiguration(SECTION);
  const list = Array.isArray(cfg.get('clusters')) ? (cfg.get('clusters') as { endpoint?: string }[]) : [];
  const kept = list.filter((c) => (c?.endpoint ?? '').replace(/\/+$/, '') !== endpoint);
  if (kept.length === list.length) return false;
  await cfg.update('clusters', kept, vscode.ConfigurationTarget.Global);
  return true;
}

function expandHome(p: string): string {
  return p.startsWith('~/') ? join(homedir(), p.slice(2)) : p;
}

function clampInt(v: unknown, dflt: number, min: number, max: number): number {
  const n = typeof v === 'number' && Number.isFinite(v) ? Math.round(v) : dflt;
  return Math.min(max, Math.max(min, n));
}
