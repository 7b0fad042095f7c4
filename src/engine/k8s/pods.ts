// Which pods belong to an ETL, and how a Kubernetes Pod reads as an EtlPod. Pure functions: they accept both
// client-node's typed objects (dates as Date) and the raw JSON a watch delivers (dates as strings).
import type { V1ContainerStatus, V1Pod, V1PodCondition } from '@kubernetes/client-node';
import type { EtlPod } from './types';

/** `T` as JSON carries it: client-node's Date fields may also be RFC 3339 strings (watch events, fixtures). */
export type Wire<T> = T extends Date
  ? Date | string
  : T extends (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;
/** A Pod from a list/read call (typed, Dates) or from a watch event (plain JSON, date strings). */
export type PodJson = Wire<V1Pod>;
type ContainerStatusJson = Wire<V1ContainerStatus>;

export const LABEL_ETL_NAME = 'nvidia.com/ais-etl-name';
export const LABEL_ETL_TARGET = 'nvidia.com/ais-etl-target';
/** Every ETL pod of every AIS version since 3.x carries both (ext/etl/boot.go: _updPodLabels). */
export const ETL_POD_SELECTOR = 'app.kubernetes.io/name=etl,app=ais';

/** Kubernetes waiting reasons after which a pod will not become Ready without someone changing something. */
export const STUCK_REASONS = new Set([
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'ErrImageNeverPull',
  'CrashLoopBackOff',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
]);
export const IMAGE_REASONS = new Set(['ImagePullBackOff', 'ErrImagePull', 'InvalidImageName', 'ErrImageNeverPull']);

/** Pod name AIS gives the ETL on a target: `<etl>-<lower(tid)>` (5.0); ≤3.29 also lowercased `_` to `-`. */
export function etlPodName(etlName: string, targetId: string): string {
  return `${etlName}-${targetId.toLowerCase()}`;
}
const cleanName = (s: string) => s.toLowerCase().replace(/_/g, '-');

type Labels = Record<string, string> | undefined;
interface PodLike {
  metadata?: { name?: string; labels?: Labels };
}

/** Exact match, so that `my-etl` never claims `my-etl-2`'s pods (a prefix match would). */
export function belongsToEtl(pod: PodLike, etlName: string): boolean {
  const labels = pod.metadata?.labels ?? {};
  const target = labels[LABEL_ETL_TARGET];
  if (!target) return false;
  const wanted = new Set([etlPodName(etlName, target), cleanName(`${etlName}-${target}`)]);
  return wanted.has(labels[LABEL_ETL_NAME] ?? '') || wanted.has(pod.metadata?.name ?? '');
}

export function isoTime(t: unknown): string | undefined {
  if (t instanceof Date) return Number.isNaN(t.getTime()) ? undefined : t.toISOString();
  return typeof t === 'string' && t ? t : undefined;
}

export function mainContainerStatus(pod: PodJson, container?: string): ContainerStatusJson | undefined {
  const statuses = pod.status?.containerStatuses ?? [];
  const name = container ?? pod.spec?.containers?.[0]?.name;
  return statuses.find((s) => s.name === name) ?? statuses[0];
}

export function toEtlPod(pod: PodJson): EtlPod {
  const meta = pod.metadata ?? {};
  const status = pod.status ?? {};
  const main = mainContainerStatus(pod);
  const first = pod.spec?.containers?.[0];
  const out: EtlPod = {
    name: meta.name ?? '',
    namespace: meta.namespace ?? '',
    targetId: meta.labels?.[LABEL_ETL_TARGET] ?? '',
    phase: status.phase ?? 'Unknown',
    ready: (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
    restarts: (status.containerStatuses ?? []).reduce((n, s) => n + (Number(s.restartCount) || 0), 0),
  };
  if (pod.spec?.nodeName) out.node = pod.spec.nodeName;
  const start = isoTime(status.startTime) ?? isoTime(meta.creationTimestamp);
  if (start) out.startTime = start;
  const image = first?.image ?? main?.image;
  if (image) out.image = image;
  if (first?.name) out.container = first.name;
  const lastExit = main?.state?.terminated?.exitCode ?? main?.lastState?.terminated?.exitCode;
  if (typeof lastExit === 'number') out.exitCode = lastExit;
  Object.assign(out, podReason(pod));
  return out;
}

/** The one reason kubectl would show in STATUS, with the message behind it. */
function podReason(pod: PodJson): { reason?: string; message?: string } {
  const status = pod.status ?? {};
  const statuses = [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])];
  if (pod.metadata?.deletionTimestamp) return { reason: 'Terminating' };
  for (const s of statuses) {
    const w = s.state?.waiting;
    if (w?.reason && w.reason !== 'PodInitializing') return clean({ reason: w.reason, message: w.message });
  }
  for (const s of statuses) {
    const t = s.state?.terminated;
    if (t && (t.exitCode !== 0 || status.phase === 'Failed')) {
      return clean({ reason: t.reason ?? `ExitCode:${t.exitCode}`, message: t.message });
    }
  }
  if (status.reason) return clean({ reason: status.reason, message: status.message });
  const conditions: Wire<V1PodCondition>[] = status.conditions ?? [];
  const unscheduled = conditions.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (unscheduled) return clean({ reason: unscheduled.reason ?? 'Unschedulable', message: unscheduled.message });
  return {};
}

function clean<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined || o[k] === '') delete o[k];
  return o;
}

/** Human age like kubectl's AGE column ("45s", "3m", "2h", "5d"). */
export function formatAge(startTime: string | undefined, now = Date.now()): string {
  if (!startTime) return '';
  const s = Math.max(0, Math.floor((now - Date.parse(startTime)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

/** A pod that will not become Ready on its own (used by waitForEtlPods to fail early). */
export function isStuck(p: EtlPod): boolean {
  return p.phase === 'Failed' || p.phase === 'Succeeded' || (p.reason !== undefined && STUCK_REASONS.has(p.reason));
}

/** A pod shown as failing: not Ready and stuck (the tree's error icon, deploy's "why it failed"). */
export function podFailing(p: EtlPod): boolean {
  return !p.ready && isStuck(p);
}
