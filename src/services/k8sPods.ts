// ETL pods from Kubernetes for the tree and the commands, loaded lazily: the k8s client (several MB) is imported the
// first time a non-local ETL is expanded or a k8s command runs, and only when a kubeconfig exists (checked with
// engine/k8s/locate, which does not load the client). One connection per (kubeconfig, context, namespace).
import { homedir } from 'node:os';
import { join } from 'node:path';
import { kubeconfigFiles } from '../engine/k8s/locate';
import type { K8sEtlPods, Unavailable } from '../engine/k8s';
import type { ClusterEntry } from './clusterSources';
import type { PodsApi } from './engine';
import { UiError } from './errors';

export interface K8sWhere {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
}

export type Connection = PodsApi | Unavailable;

export interface K8sPodsServiceOptions {
  /** `aistore.kubernetes.kubeconfig`; '' = kubectl's rules (KUBECONFIG list merged, ~/.kube/config, in-cluster). */
  kubeconfig(): string;
  log(msg: string): void;
  /** For tests: instead of process.env / os.homedir(). */
  env?: Record<string, string | undefined>;
  homeDir?: string;
  /** For tests: connect without the engine (default: the lazily loaded engine/k8s). */
  connect?(o: K8sWhere & { env?: Record<string, string | undefined>; homeDir?: string }): Promise<Connection>;
}

export class K8sPodsService {
  private readonly conns = new Map<string, Promise<Connection>>();
  private readonly failed = new Set<string>();
  constructor(private readonly o: K8sPodsServiceOptions) {}

  /** Where a cluster's pods live: the cluster entry's own kubeconfig/context/namespace, else the global setting. */
  whereFor(cluster?: ClusterEntry): K8sWhere {
    const k = cluster?.k8s ?? {};
    const own = k.kubeconfig?.startsWith('~/')
      ? join(this.o.homeDir ?? homedir(), k.kubeconfig.slice(2))
      : k.kubeconfig;
    const kubeconfig = own || this.o.kubeconfig() || undefined;
    return {
      ...(kubeconfig ? { kubeconfig } : {}),
      ...(k.context ? { context: k.context } : {}),
      ...(k.namespace ? { namespace: k.namespace } : {}),
    };
  }

  /**
   * The pods API for a cluster, or why there is none (one line). The local cluster never touches Kubernetes.
   * A failed connection is remembered until `forgetFailures()` (Refresh), so the tree never retries in a loop.
   */
  async forCluster(cluster: ClusterEntry): Promise<Connection> {
    if (cluster.source === 'local')
      return { unavailable: 'the local cluster runs ETLs as local processes, not Kubernetes pods' };
    return this.connect(this.whereFor(cluster));
  }

  /** Like forCluster, for commands that need Kubernetes: throws the reason with what to do. */
  async require(cluster: ClusterEntry | undefined, what: string): Promise<PodsApi> {
    const c = cluster ? await this.forCluster(cluster) : await this.connect(this.whereFor(undefined));
    if ('unavailable' in c) {
      throw new UiError(`${what} needs Kubernetes: ${c.unavailable}`, {
        hint:
          'set "aistore.kubernetes.kubeconfig", or "kubeconfig"/"context"/"namespace" of the cluster in ' +
          '"aistore.clusters", then Refresh',
      });
    }
    return c;
  }

  connect(where: K8sWhere): Promise<Connection> {
    const key = JSON.stringify([where.kubeconfig ?? '', where.context ?? '', where.namespace ?? '']);
    let c = this.conns.get(key);
    if (!c) {
      c = this.open(where).then((r) => {
        if ('unavailable' in r) this.failed.add(key);
        return r;
      });
      this.conns.set(key, c);
    }
    return c;
  }

  /** After Refresh or a settings change: connections that failed are tried again on next use. */
  forgetFailures(): void {
    for (const k of this.failed) this.conns.delete(k);
    this.failed.clear();
  }

  reset(): void {
    this.conns.clear();
    this.failed.clear();
  }

  private async open(where: K8sWhere): Promise<Connection> {
    const opts = {
      ...(where.kubeconfig ? { kubeconfigPath: where.kubeconfig } : {}),
      ...(where.context ? { context: where.context } : {}),
      ...(where.namespace ? { namespace: where.namespace } : {}),
      ...(this.o.env ? { env: this.o.env } : {}),
      ...(this.o.homeDir ? { homeDir: this.o.homeDir } : {}),
    };
    // Decide without loading client-node whether there is a kubeconfig at all.
    const files = kubeconfigFiles(opts);
    if ('unavailable' in files) {
      this.o.log(`Kubernetes not used: ${files.unavailable}`);
      return files;
    }
    try {
      const r: Connection | K8sEtlPods = this.o.connect
        ? await this.o.connect({ ...where, env: this.o.env, homeDir: this.o.homeDir })
        : await (await (await import('../engine/k8s/lazy')).loadK8s()).K8sEtlPods.fromKubeconfig(opts);
      if ('unavailable' in r) this.o.log(`Kubernetes not used: ${r.unavailable}`);
      else this.o.log(`Kubernetes: context ${r.context}, namespace ${r.namespace}`);
      return r;
    } catch (err) {
      const msg = (err instanceof Error ? err.message : String(err)).split('\n')[0];
      this.o.log(`Kubernetes not used: ${msg}`);
      return { unavailable: msg };
    }
  }
}
