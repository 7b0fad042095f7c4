// Following a pod's log (client-node Log, follow=true) line by line, and saying why it stopped.
import { Writable } from 'node:stream';
import { Log, type V1Pod } from '@kubernetes/client-node';
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
  let disposed = false;
  let ended = false;
  let lines = 0;
  let controller: AbortController | undefined;
  const end = (reason: string) => {
    if (ended) return;
    ended = true;
    o.onEnd(reason);
  };
  const splitter = new LineSplitter((line) => { if (!disposed) { lines++; o.onLine(line); } });

  const run = async () => {
    const pod = await readPod(s, podName);
    if (!pod) return end(`pod ${podName} not found: it was deleted (AIS deletes ETL pods when the ETL is stopped or fails)`);
    const container = o.container ?? pod.spec?.containers?.[0]?.name ?? '';
    const before = runOf(pod, container);
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) { splitter.push(chunk); cb(); },
      final(cb) { splitter.end(); cb(); },
    });
    // Log pipes the response body into `sink`; aborting makes that body emit 'error', which nobody else listens to.
    sink.on('pipe', (body) => body.on('error', (err: unknown) => {
      if (!disposed) end(`error: the log stream broke (${(err as Error)?.message ?? err}); follow the log again`);
    }));
    sink.on('finish', () => { if (!disposed) void whyEnded(container, before).then(end, (err) => end(`error: ${describeK8sError(err, `read pod ${podName}`, s.where)}`)); });
    if (disposed) return end('disposed');
    controller = await new Log(s.kc).log(s.where.namespace, podName, container, sink, {
      follow: true,
      ...(o.tail ? { tailLines: o.tail } : {}),
      ...(o.sinceSeconds !== undefined ? { sinceSeconds: o.sinceSeconds } : {}),
      // Log drops tailLines=0 (falsy) and would send the whole log; "only new lines" is "since now".
      ...(o.tail === 0 && o.sinceSeconds === undefined ? { sinceTime: new Date().toISOString() } : {}),
    });
    if (disposed) controller.abort();
  };

  const whyEnded = async (container: string, before: ReturnType<typeof runOf>): Promise<string> => {
    const empty = lines === 0 ? '; the log was empty' : '';
    const now = await readPod(s, podName);
    if (!now) return `pod deleted: ${podName} no longer exists${empty}`;
    const after = runOf(now, container);
    if (after.uid !== before.uid) return `pod deleted: ${podName} was replaced by a new pod of the same name${empty}`;
    if (after.restarts > before.restarts || (after.containerId && before.containerId && after.containerId !== before.containerId)) {
      return `container restarted (restart #${after.restarts}); follow again for the new container's log${empty}`;
    }
    const t = mainContainerStatus(now, container)?.state?.terminated;
    if (t) return `container exited with code ${t.exitCode}${t.reason ? ` (${t.reason})` : ''}${empty}`;
    if (now.metadata?.deletionTimestamp) return `pod deleted: ${podName} is terminating${empty}`;
    return `the API server closed the log stream${empty}; follow again to resume`;
  };

  run().catch((err) => {
    if (disposed) return end('disposed');
    end(`error: ${logErrorLine(err, podName, s)}`);
  });
  return {
    dispose() {
      if (disposed) return;
      disposed = true;
      controller?.abort();
      end('disposed');
    },
  };
}

function logErrorLine(err: unknown, podName: string, s: K8sSession): string {
  // Log turns a 400 "container … is waiting to start" into a bare 'Error occurred in log request'.
  if (httpStatusOf(err) === 400) return `the log of ${podName} is not available yet (its container has not started); explain the pod to see why`;
  return describeK8sError(err, `read the log of pod ${podName}`, s.where);
}

/** The last lines of a (possibly previous) container's log, as text; '' when the log is empty. */
export async function readLogTail(s: K8sSession, pod: string, container: string | undefined, tail: number, previous: boolean): Promise<string> {
  return call(s, `read the ${previous ? 'previous ' : ''}log of pod ${pod}`, () => s.core.readNamespacedPodLog({
    name: pod, namespace: s.where.namespace, tailLines: tail, previous, ...(container ? { container } : {}),
  }));
}

export interface FollowAllOptions { tail?: number; sinceSeconds?: number; onLine(line: string, pod: EtlPod): void; onEnd(reason: string, pod: EtlPod): void; onAllEnded?(): void }

/** "All targets": every pod's lines, interleaved as they arrive, each prefixed `[<target>] `. */
export function followAllPods(s: K8sSession, pods: EtlPod[], o: FollowAllOptions): Disposable {
  let open = pods.length;
  if (open === 0) { o.onAllEnded?.(); return { dispose() { /* nothing to stop */ } }; }
  const handles = pods.map((pod) => followPodLogs(s, pod.name, {
    tail: o.tail, sinceSeconds: o.sinceSeconds, container: pod.container,
    onLine: (line) => o.onLine(`[${pod.targetId || pod.name}] ${line}`, pod),
    onEnd: (reason) => { o.onEnd(`[${pod.targetId || pod.name}] ${reason}`, pod); if (--open === 0) o.onAllEnded?.(); },
  }));
  return { dispose() { for (const h of handles) h.dispose(); } };
}

