// Plain data for the Clusters tree (no `vscode` import): the provider maps these to TreeItems, tests inspect them.

export type NodeKind = 'cluster' | 'buckets' | 'bucket' | 'folder' | 'object' | 'loadMore' | 'error' | 'empty'
  | 'etls' | 'etl' | 'etlTarget' | 'etlPod' | 'etlLogs' | 'info';

export interface NodeCommand { command: string; title: string; arguments?: unknown[] }

export interface TreeNode {
  readonly id: string;
  readonly kind: NodeKind;
  label: string;
  description?: string;
  tooltip?: string;
  /** Codicon id, e.g. `database`. */
  icon: string;
  /** Theme color id for the icon, e.g. `testing.iconFailed`. */
  iconColor?: string;
  /** Drives menus: `cluster`, `cluster.local`, `bucket`, `folder`, `object`, `etl.running`, `etl.aborted`, … */
  contextValue: string;
  collapsible: 'none' | 'collapsed' | 'expanded';
  clusterId: string;
  bucket?: string;
  /** Object name (object nodes) or folder prefix (folder nodes). */
  object?: string;
  prefix?: string;
  etlName?: string;
  stage?: string;
  targetId?: string;
  /** Kubernetes pod name (etlPod nodes). */
  pod?: string;
  parent?: TreeNode;
  command?: NodeCommand;
}

/** The ids used to find a node's cached state; stable across refreshes so VS Code keeps expansion. */
export const nodeIds = {
  cluster: (c: string) => `c:${c}`,
  buckets: (c: string) => `c:${c}|buckets`,
  bucket: (c: string, b: string) => `c:${c}|b:${b}`,
  folder: (c: string, b: string, prefix: string) => `c:${c}|b:${b}|p:${prefix}`,
  object: (c: string, b: string, o: string) => `c:${c}|b:${b}|o:${o}`,
  etls: (c: string) => `c:${c}|etls`,
  etl: (c: string, e: string) => `c:${c}|e:${e}`,
  target: (c: string, e: string, t: string) => `c:${c}|e:${e}|t:${t}`,
  pod: (c: string, e: string, p: string) => `c:${c}|e:${e}|pod:${p}`,
};

/** Waiting reasons after which a pod does not become Ready by itself (mirrors engine/k8s STUCK_REASONS). */
const STUCK = new Set(['ImagePullBackOff', 'ErrImagePull', 'InvalidImageName', 'ErrImageNeverPull', 'CrashLoopBackOff',
  'CreateContainerConfigError', 'CreateContainerError', 'RunContainerError', 'Unschedulable', 'Error', 'OOMKilled']);

/** A pod the tree marks with an error icon and explains in its tooltip. */
export function podFailing(p: { phase: string; ready: boolean; reason?: string }): boolean {
  return p.phase === 'Failed' || (!p.ready && p.reason !== undefined && STUCK.has(p.reason));
}

export function etlContextValue(stage: string | undefined): string {
  const s = (stage ?? 'unknown').toLowerCase();
  return ['running', 'aborted', 'stopped', 'initializing'].includes(s) ? `etl.${s}` : 'etl.unknown';
}

export function etlIcon(stage: string | undefined): { icon: string; iconColor?: string } {
  switch ((stage ?? '').toLowerCase()) {
    case 'running': return { icon: 'pass-filled', iconColor: 'testing.iconPassed' };
    case 'initializing': return { icon: 'loading~spin' };
    case 'aborted': return { icon: 'error', iconColor: 'testing.iconFailed' };
    case 'stopped': return { icon: 'debug-stop' };
    default: return { icon: 'question' };
  }
}
