// ETL pods from Kubernetes for the tree, loaded lazily: the k8s client (several MB) is imported the first time an ETL
// of a non-local cluster is expanded, and only when a kubeconfig is present.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ClusterEntry } from './clusterSources';
import type { EtlPodLike } from './engineTypes';

type PodsApi = { listEtlPods(etl: string): Promise<EtlPodLike[]>; followLogs(pod: string, o: { tail?: number; onLine(line: string): void; onEnd(reason: string): void }): { dispose(): void } };

export class K8sPodsService {
  private api: Promise<PodsApi | undefined> | undefined;
  constructor(private readonly kubeconfig: () => string, private readonly log: (msg: string) => void) {}

  /** undefined when there is no kubeconfig or it doesn't work (the tree then shows AIS health only). */
  async pods(cluster: ClusterEntry, etlName: string): Promise<EtlPodLike[] | undefined> {
    if (cluster.source === 'local') return undefined;
    const api = await this.load();
    return api?.listEtlPods(etlName);
  }

  async podsApi(): Promise<PodsApi | undefined> { return this.load(); }

  reset(): void { this.api = undefined; }

  private load(): Promise<PodsApi | undefined> {
    this.api ??= (async () => {
      const path = this.kubeconfig() || process.env.KUBECONFIG?.split(':')[0] || join(homedir(), '.kube', 'config');
      if (!existsSync(path)) return undefined;
      try {
        const { loadK8s } = await import('../engine/k8s/lazy');
        const k8s = await loadK8s();
        const r = await k8s.K8sEtlPods.fromKubeconfig({ kubeconfigPath: path });
        if ('unavailable' in r) { this.log(`Kubernetes not used: ${r.unavailable}`); return undefined; }
        return r;
      } catch (err) {
        this.log(`Kubernetes not used: ${(err as Error).message}`);
        return undefined;
      }
    })();
    return this.api;
  }
}
