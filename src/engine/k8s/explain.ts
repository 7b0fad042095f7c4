// Why is this ETL pod not serving? Reads the pod, its events and, for crashes, the previous container's log,
// the way a person would with `kubectl describe` + `kubectl logs --previous`, and says it in a few lines.
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import { describeK8sError } from './errors';
import { isoTime, IMAGE_REASONS, mainContainerStatus } from './pods';
import { readLogTail, readPod } from './logs';
import { call, type K8sSession } from './session';
import type { EtlPod } from './types';

export const EXPLAIN_LOG_LINES = 20;

export async function listPodEvents(s: K8sSession, pod: string): Promise<CoreV1Event[]> {
  const list = await call(s, `list events of pod ${pod}`, () =>
    s.core.listNamespacedEvent({
      namespace: s.where.namespace,
      fieldSelector: `involvedObject.name=${pod}`,
    }),
  );
  const when = (e: CoreV1Event) =>
    Date.parse(isoTime(e.lastTimestamp) ?? isoTime(e.eventTime) ?? isoTime(e.metadata?.creationTimestamp) ?? '') || 0;
  return [...(list.items ?? [])].sort((a, b) => when(a) - when(b));
}

const lastEvent = (events: CoreV1Event[], test: (e: CoreV1Event) => boolean) => [...events].reverse().find(test);

export async function explainPod(s: K8sSession, pod: EtlPod, tailLines = EXPLAIN_LOG_LINES): Promise<string> {
  const fresh = await readPod(s, pod.name);
  if (!fresh)
    return `Pod ${pod.name} no longer exists: AIS deletes ETL pods when the ETL is stopped, deleted or its init fails.`;
  const events = await listPodEvents(s, pod.name).catch((err) => {
    // Events help but are not essential (RBAC may hide them): explain from the status alone.
    return [{ reason: 'EventsUnavailable', message: describeK8sError(err, 'list events', s.where) } as CoreV1Event];
  });
  const container = pod.container ?? fresh.spec?.containers?.[0]?.name;
  const cs = mainContainerStatus(fresh, container);
  const waiting = cs?.state?.waiting;
  const phase = fresh.status?.phase ?? 'Unknown';
  const where = `Pod ${pod.name} (target ${pod.targetId || '?'}${fresh.spec?.nodeName ? `, node ${fresh.spec.nodeName}` : ''})`;

  if (fresh.metadata?.deletionTimestamp) return `${where} is being deleted.`;
  if (waiting?.reason && IMAGE_REASONS.has(waiting.reason)) return explainImage(where, fresh, waiting, events);
  const terminated = cs?.state?.terminated ?? cs?.lastState?.terminated;
  if (
    waiting?.reason === 'CrashLoopBackOff' ||
    phase === 'Failed' ||
    (cs?.state?.terminated && cs.state.terminated.exitCode !== 0)
  ) {
    return explainCrash(s, where, fresh, container, waiting?.reason, terminated, tailLines);
  }
  if (waiting?.reason && waiting.reason !== 'ContainerCreating' && waiting.reason !== 'PodInitializing') {
    return (
      `${where} cannot start its container: ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}.` +
      hintFromEvents(events)
    );
  }
  if (phase === 'Pending') return explainPending(where, fresh, events);
  const ready = (fresh.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
  if (phase === 'Running' && !ready) return explainNotReady(where, events);
  if (phase === 'Succeeded')
    return `${where} ran to completion (phase Succeeded): an ETL container must keep serving; check its command/entrypoint.`;
  return `${where} is ${phase}${ready ? ' and ready' : ''}, ${Number(cs?.restartCount) || 0} restart(s)${terminated ? `; the last run exited with code ${terminated.exitCode}${terminated.reason ? ` (${terminated.reason})` : ''}` : ''}.`;
}

function explainImage(
  where: string,
  pod: V1Pod,
  waiting: { reason?: string; message?: string },
  events: CoreV1Event[],
): string {
  const image = pod.spec?.containers?.[0]?.image ?? '?';
  const ev =
    lastEvent(events, (e) => e.reason === 'Failed' && /image|pull/i.test(e.message ?? '')) ??
    lastEvent(
      events,
      (e) => e.reason === 'BackOff' || e.reason === 'ErrImageNeverPull' || e.reason === 'InspectFailed',
    );
  const why = ev?.message ?? waiting.message ?? 'the kubelet gave no message';
  return (
    `${where} cannot pull image "${image}" (${waiting.reason}): ${why}\n` +
    'Check the image name and tag, that the registry is reachable from the node, and imagePullSecrets for a private registry; then stop and start the ETL.'
  );
}

async function explainCrash(
  s: K8sSession,
  where: string,
  pod: V1Pod,
  container: string | undefined,
  reason: string | undefined,
  terminated: { exitCode?: number; reason?: string; message?: string } | undefined,
  tail: number,
): Promise<string> {
  const cs = mainContainerStatus(pod, container);
  const restarts = Number(cs?.restartCount) || 0;
  const exit = terminated
    ? `exit code ${terminated.exitCode}${terminated.reason ? ` (${terminated.reason})` : ''}`
    : 'no exit code recorded';
  const head =
    reason === 'CrashLoopBackOff'
      ? `${where} keeps crashing (CrashLoopBackOff, ${restarts} restart(s)); last ${exit}.`
      : `${where} stopped: ${exit}.`;
  const oom =
    terminated?.reason === 'OOMKilled'
      ? '\nThe container ran out of memory: raise its memory limit or make the transform stream instead of buffering.'
      : '';
  // The crashed run's log is the "previous" one while the container is restarting; otherwise the current one.
  const log = await readLogTail(s, pod.metadata?.name ?? '', container, tail, restarts > 0 && !cs?.state?.terminated)
    .catch(() => readLogTail(s, pod.metadata?.name ?? '', container, tail, false))
    .catch((err) => `(log unavailable: ${describeK8sError(err, 'read the log', s.where)})`);
  const lines = log.replace(/\n$/, '');
  const count = lines ? lines.split('\n').length : 0;
  const body = log.trim()
    ? `Last ${count} log line(s) of the crashed run:\n${lines}`
    : 'The container wrote no log lines before exiting.';
  return `${head}${terminated?.message ? ` ${terminated.message.trim()}` : ''}${oom}\n${body}`;
}

function explainPending(where: string, pod: V1Pod, events: CoreV1Event[]): string {
  const cond = (pod.status?.conditions ?? []).find((c) => c.type === 'PodScheduled' && c.status === 'False');
  const sched = lastEvent(events, (e) => e.reason === 'FailedScheduling');
  if (cond || sched) {
    return (
      `${where} is Pending: not scheduled: ${sched?.message ?? cond?.message ?? cond?.reason ?? 'no message'}\n` +
      "AIS pins each ETL pod to its target's node, so that node needs room for the pod's resource requests (or remove requests/taints)."
    );
  }
  const warn = lastEvent(events, (e) => e.type === 'Warning');
  if (warn) return `${where} is Pending: ${warn.reason}: ${warn.message ?? ''}`.trim();
  return `${where} is Pending: scheduled, its container is being created (pulling the image can take a while).`;
}

function explainNotReady(where: string, events: CoreV1Event[]): string {
  const probes = events.filter((e) => e.reason === 'Unhealthy' && /readiness/i.test(e.message ?? ''));
  if (!probes.length) return `${where} is Running but not ready yet; no readiness probe failures reported so far.`;
  const count = probes.reduce((n, e) => n + (e.count ?? 1), 0);
  return (
    `${where} is Running but not ready: readiness probe failed ${count} time(s): ${probes[probes.length - 1].message}\n` +
    'The ETL server must answer GET /health on its port with 200: check that it listens on 0.0.0.0 and the port of the spec.'
  );
}

function hintFromEvents(events: CoreV1Event[]): string {
  const warn = lastEvent(events, (e) => e.type === 'Warning');
  return warn ? `\nLast warning: ${warn.reason}: ${warn.message ?? ''}` : '';
}
