// Plain data for the Clusters tree (no `vscode` import): the provider maps these to TreeItems, tests inspect them.

export type NodeKind = 'cluster' | 'buckets' | 'bucket' | 'folder' | 'object' | 'loadMore' | 'error' | 'empty'
  | 'etls' | 'etl' | 'etlTarget' | 'etlLogs' | 'info';

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
};

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
