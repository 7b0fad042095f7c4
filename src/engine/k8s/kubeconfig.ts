// Kubeconfig resolution with kubectl's loading rules: explicit path, else every existing file of KUBECONFIG
// (first file wins on name clashes), else ~/.kube/config, else the in-cluster service account.
// Everything that can go wrong becomes `{ unavailable }` with one actionable line.
import { delimiter } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { kubeconfigFiles } from './locate';
import type { K8sConnectOptions, Unavailable } from './types';

export interface LoadedKubeconfig {
  kc: KubeConfig;
  files: string[];
  context: string;
  namespace: string;
  server: string;
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}

function readFiles(files: string[]): KubeConfig | Unavailable {
  const kc = new KubeConfig();
  try {
    if (files.length === 0) kc.loadFromCluster();
    files.forEach((f, i) => {
      if (i === 0) {
        kc.loadFromFile(f);
        return;
      }
      const more = new KubeConfig();
      more.loadFromFile(f);
      mergeFirstWins(kc, more);
    });
  } catch (err) {
    return {
      unavailable: `Kubeconfig ${files.join(delimiter) || '(in-cluster)'} could not be read (${firstLine(err)}): fix the file or point KUBECONFIG elsewhere.`,
    };
  }
  return kc;
}

export function loadKubeconfig(o: K8sConnectOptions = {}): LoadedKubeconfig | Unavailable {
  const files = kubeconfigFiles(o);
  if ('unavailable' in files) return files;
  const kc = readFiles(files);
  if ('unavailable' in kc) return kc;
  const contextName = o.context ?? kc.getCurrentContext();
  const names = kc.getContexts().map((c) => c.name);
  if (!contextName) {
    return {
      unavailable: `Kubeconfig ${files.join(delimiter)} has no current-context: choose one of ${names.join(', ') || '(none defined)'}.`,
    };
  }
  const ctx = kc.getContextObject(contextName);
  if (!ctx) {
    return {
      unavailable: `Kubernetes context "${contextName}" is not in ${files.join(delimiter) || 'the kubeconfig'}: choose one of ${names.join(', ') || '(none defined)'}.`,
    };
  }
  kc.setCurrentContext(contextName);
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server) {
    return {
      unavailable: `Kubernetes context "${contextName}" names cluster "${ctx.cluster}", which is missing from the kubeconfig: fix the file.`,
    };
  }
  if (!kc.getCurrentUser()) {
    return {
      unavailable: `Kubernetes context "${contextName}" names user "${ctx.user}", which is missing from the kubeconfig: fix the file.`,
    };
  }
  return {
    kc,
    files,
    context: contextName,
    namespace: o.namespace || ctx.namespace || 'default',
    server: cluster.server,
  };
}

/** Like kubectl merging a KUBECONFIG list: an entry already defined by an earlier file is kept. */
function mergeFirstWins(into: KubeConfig, from: KubeConfig): void {
  const has = (list: { name: string }[], name: string) => list.some((x) => x.name === name);
  for (const c of from.clusters) if (!has(into.clusters, c.name)) into.addCluster(c);
  for (const u of from.users) if (!has(into.users, u.name)) into.addUser(u);
  for (const c of from.contexts) if (!has(into.contexts, c.name)) into.addContext(c);
  if (!into.getCurrentContext() && from.getCurrentContext()) into.setCurrentContext(from.getCurrentContext());
}

/** For a context picker: the contexts of the resolved kubeconfig and which one is current. */
export function listContexts(
  o: K8sConnectOptions = {},
): { contexts: { name: string; cluster: string; namespace?: string }[]; current?: string } | Unavailable {
  const files = kubeconfigFiles(o);
  if ('unavailable' in files) return files;
  const kc = readFiles(files);
  if ('unavailable' in kc) return kc;
  return {
    contexts: kc
      .getContexts()
      .map((c) => ({ name: c.name, cluster: c.cluster, ...(c.namespace ? { namespace: c.namespace } : {}) })),
    ...(kc.getCurrentContext() ? { current: kc.getCurrentContext() } : {}),
  };
}
