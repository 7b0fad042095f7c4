// The kubelet of the real-Kubernetes conformance suite: watches the ETL pods AIS creates (and their NodePort
// services) through the apiserver and, once a pod is bound to a node, runs its container as a host process on
// hostIP:nodePort. It marks the pod ready (annotation read by our kwok stage) when the container's readiness probe
// passes, reports an exit the way a kubelet would (terminated state + message), maps the pod to its CRI log file
// with a kwok Logs object (so `kubectl logs` / the API's pods/log work), and ends the process when the pod goes.
//
//   node --import tsx pod-runner.ts --kubeconfig F --namespace NS --work DIR --image-store DIR --venv-cache DIR
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  makeInformer,
  setHeaderOptions,
  type Informer,
  type KubernetesObject,
  type V1Pod,
  type V1Service,
} from '@kubernetes/client-node';
import { startPodProcess, type PodProcessOptions, type RunningPod } from './pod-process';

const ETL_SELECTOR = 'app.kubernetes.io/name=etl';
const ANN_READY = 'aisetl.test/ready';
const ANN_EXIT = 'aisetl.test/exit-code';
const ANN_MESSAGE = 'aisetl.test/message';

interface Slot {
  uid: string;
  run?: RunningPod;
  starting: boolean;
  killed: boolean;
}

export class PodRunner {
  private readonly core: CoreV1Api;
  private readonly custom: CustomObjectsApi;
  private readonly slots = new Map<string, Slot>();
  private pods!: Informer<V1Pod> & { get(name: string, ns?: string): V1Pod | undefined };
  private svcs!: Informer<V1Service> & { get(name: string, ns?: string): V1Service | undefined };

  constructor(
    private readonly kc: KubeConfig,
    private readonly ns: string,
    private readonly o: PodProcessOptions,
  ) {
    this.core = kc.makeApiClient(CoreV1Api);
    this.custom = kc.makeApiClient(CustomObjectsApi);
  }

  async start(): Promise<void> {
    const ns = this.ns;
    this.pods = makeInformer(
      this.kc,
      `/api/v1/namespaces/${ns}/pods`,
      () => this.core.listNamespacedPod({ namespace: ns, labelSelector: ETL_SELECTOR }),
      ETL_SELECTOR,
    );
    this.svcs = makeInformer(
      this.kc,
      `/api/v1/namespaces/${ns}/services`,
      () => this.core.listNamespacedService({ namespace: ns, labelSelector: ETL_SELECTOR }),
      ETL_SELECTOR,
    );
    for (const inf of [this.pods, this.svcs] as Informer<KubernetesObject>[]) {
      for (const ev of ['add', 'update', 'delete'] as const)
        inf.on(ev, (obj) => this.reconcile(obj.metadata?.name ?? ''));
      // a broken watch is re-listed and re-watched, as a kubelet's informer does
      inf.on('error', () => setTimeout(() => void inf.start().catch(() => undefined), 500));
    }
    await Promise.all([this.pods.start(), this.svcs.start()]);
    log(`watching ETL pods and services in namespace ${ns}`);
  }

  async stop(): Promise<void> {
    await Promise.all([this.pods?.stop(), this.svcs?.stop()]);
    await Promise.all([...this.slots.keys()].map((n) => this.end(n)));
  }

  private reconcile(name: string): void {
    if (!name) return;
    const pod = this.pods.get(name, this.ns);
    const slot = this.slots.get(name);
    if (!pod || pod.metadata?.deletionTimestamp || (slot && slot.uid !== pod.metadata?.uid)) {
      if (slot && !slot.killed) void this.end(name).then(() => this.reconcile(name));
      return;
    }
    if (slot || !pod.spec?.nodeName || pod.metadata?.annotations?.[ANN_EXIT]) return;
    const nodePort = this.svcs.get(name, this.ns)?.spec?.ports?.[0]?.nodePort;
    if (!nodePort) return; // AIS creates the service right after the pod
    const fresh: Slot = { uid: pod.metadata?.uid ?? '', starting: true, killed: false };
    this.slots.set(name, fresh);
    void this.launch(name, pod, nodePort, fresh);
  }

  private async launch(name: string, pod: V1Pod, nodePort: number, slot: Slot): Promise<void> {
    try {
      fs.mkdirSync(this.o.logDir, { recursive: true });
      const run = await startPodProcess(pod, nodePort, this.o);
      slot.run = run;
      if (slot.killed) {
        await run.kill();
        return;
      } // the pod went away while its venv was being prepared
      await this.mapLogs(
        name,
        pod.spec!.containers.map((c) => c.name),
        run.logFile,
      );
      log(`${name}: started on ${this.o.host}:${nodePort}`);
      run.ready.then(
        () => this.annotate(name, { [ANN_READY]: 'true' }),
        () => undefined,
      );
      const { code, message } = await run.exited;
      if (!slot.killed) {
        log(`${name}: container exited (${code})`);
        await this.annotate(name, { [ANN_EXIT]: String(code || 1), [ANN_MESSAGE]: message.slice(-1000) });
      }
    } catch (e) {
      log(`${name}: cannot run the container: ${(e as Error).message}`);
      if (!slot.killed)
        await this.annotate(name, { [ANN_EXIT]: '128', [ANN_MESSAGE]: (e as Error).message.slice(0, 1000) });
    } finally {
      slot.starting = false;
    }
  }

  private async end(name: string): Promise<void> {
    const slot = this.slots.get(name);
    if (!slot || slot.killed) return; // a deletion is seen twice (deletionTimestamp, then DELETED)
    slot.killed = true;
    await slot.run?.kill().catch((e: Error) => log(`${name}: stopping failed: ${e.message}`));
    this.slots.delete(name);
    await this.deleteLogsMapping(name);
    log(`${name}: stopped`);
  }

  private async mapLogs(name: string, containers: string[], file: string): Promise<void> {
    const body = {
      apiVersion: 'kwok.x-k8s.io/v1alpha1',
      kind: 'Logs',
      metadata: { name, namespace: this.ns },
      spec: { logs: [{ containers, logsFile: file, follow: true }] },
    };
    await this.deleteLogsMapping(name);
    await this.custom.createNamespacedCustomObject({ ...this.logsKind(), body });
  }

  /** kwok's Logs kind (which file a pod's log is read from) in this namespace. */
  private logsKind() {
    return { group: 'kwok.x-k8s.io', version: 'v1alpha1', namespace: this.ns, plural: 'logs' };
  }

  /** Removes a pod's Logs object; there may be none. */
  private async deleteLogsMapping(name: string): Promise<void> {
    await this.custom.deleteNamespacedCustomObject({ ...this.logsKind(), name }).catch(() => undefined);
  }

  private async annotate(name: string, annotations: Record<string, string>): Promise<void> {
    await this.core
      .patchNamespacedPod(
        { name, namespace: this.ns, body: { metadata: { annotations } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      )
      .catch((e: Error) => log(`${name}: annotate failed: ${e.message}`));
  }
}

function log(line: string): void {
  process.stdout.write(`${new Date().toISOString()} ${line}\n`);
}

function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const v = i > 0 ? process.argv[i + 1] : fallback;
  if (v === undefined) throw new Error(`pod-runner: --${name} is required`);
  return v;
}

async function main(): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(arg('kubeconfig'));
  const work = path.resolve(arg('work'));
  const runner = new PodRunner(kc, arg('namespace', 'ais'), {
    imageStore: arg('image-store'),
    venvCache: arg('venv-cache'),
    host: arg('host', '127.0.0.1'),
    workRoot: path.join(work, 'pods'),
    logDir: path.join(work, 'logs'),
  });
  await runner.start();
  const quit = (): void => {
    void runner.stop().finally(() => process.exit(0));
  };
  process.on('SIGTERM', quit);
  process.on('SIGINT', quit);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    log(`pod-runner failed: ${(e as Error).stack ?? String(e)}`);
    process.exit(1);
  });
}
