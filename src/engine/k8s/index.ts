// Entry of the lazily loaded Kubernetes chunk (dist/k8s.js). Load it only through ./lazy.ts: importing this
// file pulls in @kubernetes/client-node (several MB), which activation must not pay for.
import { describeK8sError } from './errors';
import { explainPod } from './explain';
import { discoverClusters } from './discovery';
import { deletePod, describePod } from './describe';
import { loadKubeconfig } from './kubeconfig';
import { followAllPods, followPodLogs, readLogTail, type FollowAllOptions } from './logs';
import { ETL_POD_SELECTOR } from './pods';
import { callWithin, makeSession, type K8sSession } from './session';
import { startPortForward, type PortForwardTarget } from './portforward';
import { waitForEtlPods } from './wait';
import { listEtlPods, watchEtlPods, type WatchOptions } from './watch';
import type {
  DiscoveredCluster,
  Disposable,
  EtlPod,
  FollowLogsOptions,
  K8sConnectOptions,
  PortForwardHandle,
  Unavailable,
  WaitForEtlPodsOptions,
} from './types';

export * from './types';
export { listContexts } from './kubeconfig';
export { kubeconfigFiles } from './locate';
export {
  belongsToEtl,
  etlPodName,
  formatAge,
  toEtlPod,
  ETL_POD_SELECTOR,
  LABEL_ETL_NAME,
  LABEL_ETL_TARGET,
} from './pods';
export { proxyServiceCluster, serviceEndpoint, AISTORE_CRD } from './discovery';
export { progressOf, EtlPodFailure } from './wait';
export { K8sError } from './errors';
export { LineSplitter } from './lines';
export type { FollowAllOptions } from './logs';
export type { WatchOptions } from './watch';
export type { PortForwardTarget } from './portforward';

export class K8sEtlPods {
  private constructor(private readonly s: K8sSession) {}

  /** Never throws: no kubeconfig, a bad one, an unreachable API or no access give `{ unavailable }` (one line). */
  static async fromKubeconfig(o: K8sConnectOptions = {}): Promise<K8sEtlPods | Unavailable> {
    try {
      const loaded = loadKubeconfig(o);
      if ('unavailable' in loaded) return loaded;
      const s = makeSession(loaded);
      if (o.probe !== false) {
        // The call every pod view makes first: proves the server is reachable and we may list pods here.
        await callWithin(s, 'list pods', o.probeTimeoutMs ?? 8000, () =>
          s.core.listNamespacedPod({ namespace: s.where.namespace, labelSelector: ETL_POD_SELECTOR, limit: 1 }),
        );
      }
      return new K8sEtlPods(s);
    } catch (err) {
      return { unavailable: err instanceof Error ? err.message.split('\n')[0] : String(err) };
    }
  }

  get namespace(): string {
    return this.s.where.namespace;
  }
  get context(): string {
    return this.s.where.context;
  }
  get server(): string {
    return this.s.where.server;
  }

  async listEtlPods(etlName: string): Promise<EtlPod[]> {
    return (await listEtlPods(this.s, etlName)).pods;
  }

  watchEtlPods(etlName: string, onChange: (pods: EtlPod[]) => void, o?: WatchOptions): Disposable {
    return watchEtlPods(this.s, etlName, onChange, o);
  }

  followLogs(pod: string, o: FollowLogsOptions): Disposable {
    return followPodLogs(this.s, pod, o);
  }

  /** All targets' logs interleaved, each line prefixed `[<target>] `. */
  followAllLogs(pods: EtlPod[], o: FollowAllOptions): Disposable {
    return followAllPods(this.s, pods, o);
  }

  /** The last `tail` lines (not following); '' when the log is empty. */
  readLog(pod: string, o: { tail?: number; previous?: boolean; container?: string } = {}): Promise<string> {
    return readLogTail(this.s, pod, o.container, o.tail ?? 200, o.previous ?? false);
  }

  explain(pod: EtlPod): Promise<string> {
    return explainPod(this.s, pod);
  }
  describe(pod: string): Promise<string> {
    return describePod(this.s, pod);
  }
  deletePod(pod: string): Promise<void> {
    return deletePod(this.s, pod);
  }
  discoverClusters(): Promise<DiscoveredCluster[]> {
    return discoverClusters(this.s);
  }

  waitForEtlPods(etlName: string, expectedTargets: string[] | number, o?: WaitForEtlPodsOptions): Promise<EtlPod[]> {
    return waitForEtlPods(this.s, etlName, expectedTargets, o);
  }

  /** Forwards 127.0.0.1:localPort (0 = any free) to a pod's port or a Service's port. */
  portForward(target: PortForwardTarget, remotePort: number, localPort = 0): Promise<PortForwardHandle> {
    return startPortForward(this.s, target, remotePort, localPort);
  }

  /** One line for a failure of any method above (they already throw K8sError with such lines). */
  describeError(err: unknown, action: string): string {
    return describeK8sError(err, action, this.s.where);
  }
}
