// Shapes this room exports (docs/CONTRACTS.md, issue 6). Plain data: the UI and the CLI can hold them
// without loading @kubernetes/client-node.

/** One ETL pod, i.e. the ETL's instance on one AIS target. */
export interface EtlPod {
  name: string;
  namespace: string;
  targetId: string; // label nvidia.com/ais-etl-target (original case)
  phase: string; // Pending | Running | Succeeded | Failed | Unknown
  ready: boolean; // condition Ready == True
  restarts: number; // summed over container statuses
  node?: string;
  startTime?: string; // ISO 8601
  reason?: string; // kubectl-style: CrashLoopBackOff, ImagePullBackOff, Terminating, Unschedulable …
  message?: string;
  image?: string;
  container?: string; // the main (first) container: its log is the ETL's log
  exitCode?: number; // last termination of the main container, when there was one
}

export interface K8sConnectOptions {
  kubeconfigPath?: string; // explicit file; otherwise KUBECONFIG (path list), then ~/.kube/config, then in-cluster
  context?: string; // otherwise current-context
  namespace?: string; // otherwise the context's namespace, then "default"
  /** Check reachability and access with one small list call (default true). */
  probe?: boolean;
  probeTimeoutMs?: number; // default 8000
  /** For tests: where to look instead of process.env / os.homedir(). */
  env?: Record<string, string | undefined>;
  homeDir?: string;
}

export interface Unavailable {
  unavailable: string;
}

export interface FollowLogsOptions {
  tail?: number;
  sinceSeconds?: number;
  container?: string; // default: the pod's first container
  onLine(line: string): void;
  /** Why following stopped: "pod deleted", "container restarted …", "disposed", "error: …". Called once. */
  onEnd(reason: string): void;
}

export interface Disposable {
  dispose(): void;
}

export type DiscoveryHow = 'node-port' | 'load-balancer' | 'port-forward';

export interface DiscoveredCluster {
  name: string;
  namespace: string;
  endpoint?: string; // set for node-port / load-balancer
  how: DiscoveryHow;
  source: 'operator' | 'service'; // an AIStore custom resource, or only a proxy Service
  state?: string; // AIStore .status.state
  service?: { name: string; port: number }; // for "start a port-forward"
  note?: string; // why the endpoint may not work / what is missing
}

export type TargetPodState = 'waiting' | 'created' | 'ready' | 'failing';

export interface EtlPodsProgress {
  targets: { targetId: string; state: TargetPodState; pod?: EtlPod }[];
  ready: number;
  expected: number;
}

export interface WaitForEtlPodsOptions {
  onChange?(p: EtlPodsProgress): void;
  signal?: AbortSignal;
}

export interface PortForwardHandle {
  localPort: number;
  url: string;
  dispose(): Promise<void>;
}
