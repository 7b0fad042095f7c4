// Following a pod's log (client-node Log, follow=true) line by line, and saying why it stopped.
import { Writable } from 'node:stream';
import { Log, type LogOptions, type V1Pod } from '@kubernetes/client-node';
import { describeK8sError, httpStatusOf } from './errors';
import { LineSplitter } from './lines';
import { mainContainerStatus } from './pods';
import { call, type K8sSession } from './session';
import type { Disposable, EtlPod, FollowLogsOptions } from './types';

export async function readPod(s: K8sSession, name: string): Promise<V1Pod | undefined> {
  try {
    return await call(s, `read pod ${name}`, () => s.core.readNamespacedPod({ name, namespace: s.where.namespace }));
  } catch (err) {
    if (httpStatusOf(err) === 404) return undefined;
    throw err;
  }
}

/** What identifies one run of a container: a restart changes the containerID and bumps restartCount. */
function runOf(pod: V1Pod, container: string): { uid?: string; containerId?: string; restarts: number } {
  const cs = mainContainerStatus(pod, container);
  return { uid: pod.metadata?.uid, containerId: cs?.containerID, restarts: Number(cs?.restartCount) || 0 };
}

export function followPodLogs(s: K8sSession, podName: string, o: FollowLogsOptions): Disposable {
  const follower = new PodLogFollower(s, podName, o);
  follower.start();
  return { dispose: () => follower.dispose() };
}

type ContainerRun = ReturnType<typeof runOf>;

/** client-node Log options for a follow: Log drops tailLines=0 (falsy) and would send the whole log. */
function followOptions(o: FollowLogsOptions): LogOptions {
  return {
    follow: true,
    ...(o.tail ? { tailLines: o.tail } : {}),
    ...(o.sinceSeconds !== undefined ? { sinceSeconds: o.sinceSeconds } : {}),
    // "only new lines" is "since now"
    ...(o.tail === 0 && o.sinceSeconds === undefined ? { sinceTime: new Date().toISOString() } : {}),
  };
}

class PodLogFollower {
  private disposed = false;
  private ended = false;
  private lines = 0;
  private controller: AbortController | undefined;
  private readonly splitter = new LineSplitter((line) => {
    if (this.disposed) return;
    this.lines++;
    this.o.onLine(line);
  });

  constructor(
    private readonly s: K8sSession,
    private readonly podName: string,
    private readonly o: FollowLogsOptions,
  ) {}

  start(): void {
    this.run().catch((err) => {
      if (this.disposed) return this.end('disposed');
      this.end(`error: ${logErrorLine(err, this.podName, this.s)}`);
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.controller?.abort();
    this.end('disposed');
  }

  private end(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.o.onEnd(reason);
  }

  private async run(): Promise<void> {
    const pod = await readPod(this.s, this.podName);
    if (!pod) {
      return this.end(
        `pod ${this.podName} not found: it was deleted (AIS deletes ETL pods when the ETL is stopped or fails)`,
      );
    }
    const container = this.o.container ?? pod.spec?.containers?.[0]?.name ?? '';
    const sink = this.sink(container, runOf(pod, container));
    if (this.disposed) return this.end('disposed');
    const log = new Log(this.s.kc);
    this.controller = await log.log(this.s.where.namespace, this.podName, container, sink, followOptions(this.o));
    if (this.disposed) this.controller.abort();
  }

  /** Where Log writes the body; when it ends, asks the API server why. */
  private sink(container: string, before: ContainerRun): Writable {
    const splitter = this.splitter;
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        splitter.push(chunk);
        cb();
      },
      final(cb) {
        splitter.end();
        cb();
      },
    });
    // Log pipes the response body into `sink`; aborting makes that body emit 'error', which nobody else listens to.
    sink.on('pipe', (body) =>
      body.on('error', (err: unknown) => {
        const why = err instanceof Error ? err.message : String(err);
        if (!this.disposed) this.end(`error: the log stream broke (${why}); follow the log again`);
      }),
    );
    sink.on('finish', () => {
      if (this.disposed) return;
      const failed = (err: unknown) =>
        this.end(`error: ${describeK8sError(err, `read pod ${this.podName}`, this.s.where)}`);
      void this.whyEnded(container, before).then((reason) => this.end(reason), failed);
    });
    return sink;
  }

  private async whyEnded(container: string, before: ContainerRun): Promise<string> {
    const podName = this.podName;
    const empty = this.lines === 0 ? '; the log was empty' : '';
    const now = await readPod(this.s, podName);
    if (!now) return `pod deleted: ${podName} no longer exists${empty}`;
    const after = runOf(now, container);
    if (after.uid !== before.uid) return `pod deleted: ${podName} was replaced by a new pod of the same name${empty}`;
    const newContainer = after.containerId && before.containerId && after.containerId !== before.containerId;
    if (after.restarts > before.restarts || newContainer) {
      return `container restarted (restart #${after.restarts}); follow again for the new container's log${empty}`;
    }
    const t = mainContainerStatus(now, container)?.state?.terminated;
    if (t) return `container exited with code ${t.exitCode}${t.reason ? ` (${t.reason})` : ''}${empty}`;
    if (now.metadata?.deletionTimestamp) return `pod deleted: ${podName} is terminating${empty}`;
    return `the API server closed the log stream${empty}; follow again to resume`;
  }
}

function logErrorLine(err: unknown, podName: string, s: K8sSession): string {
  // Log turns a 400 "container … is waiting to start" into a bare 'Error occurred in log request'.
  if (httpStatusOf(err) === 400)
    return `the log of ${podName} is not available yet (its container has not started); explain the pod to see why`;
  return describeK8sError(err, `read the log of pod ${podName}`, s.where);
}

/** The last lines of a (possibly previous) container's log, as text; '' when the log is empty. */
export async function readLogTail(
  s: K8sSession,
  pod: string,
  container: string | undefined,
  tail: number,
  previous: boolean,
): Promise<string> {
  return call(s, `read the ${previous ? 'previous ' : ''}log of pod ${pod}`, () =>
    s.core.readNamespacedPodLog({
      name: pod,
      namespace: s.where.namespace,
      tailLines: tail,
      previous,
      ...(container ? { container } : {}),
    }),
  );
}

export interface FollowAllOptions {
  tail?: number;
  sinceSeconds?: number;
  onLine(line: string, pod: EtlPod): void;
  onEnd(reason: string, pod: EtlPod): void;
  onAllEnded?(): void;
}

/** "All targets": every pod's lines, interleaved as they arrive, each prefixed `[<target>] `. */
export function followAllPods(s: K8sSession, pods: EtlPod[], o: FollowAllOptions): Disposable {
  let open = pods.length;
  if (open === 0) {
    o.onAllEnded?.();
    return {
      dispose() {
        /* nothing to stop */
      },
    };
  }
  const handles = pods.map((pod) =>
    followPodLogs(s, pod.name, {
      tail: o.tail,
      sinceSeconds: o.sinceSeconds,
      container: pod.container,
      onLine: (line) => o.onLine(`[${pod.targetId || pod.name}] ${line}`, pod),
      onEnd: (reason) => {
        o.onEnd(`[${pod.targetId || pod.name}] ${reason}`, pod);
        if (--open === 0) o.onAllEnded?.();
      },
    }),
  );
  return {
    dispose() {
      for (const h of handles) h.dispose();
    },
  };
}
