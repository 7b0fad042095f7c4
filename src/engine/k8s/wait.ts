// Deploy progress on Kubernetes: which target's ETL pod exists / is Ready, while AIS's blocking init runs.
// Resolves when every expected target has a Ready pod; rejects with explain() text as soon as one is stuck.
import { explainPod } from './explain';
import { isStuck } from './pods';
import type { K8sSession } from './session';
import { watchEtlPods } from './watch';
import type { EtlPod, EtlPodsProgress, TargetPodState, WaitForEtlPodsOptions } from './types';

export class EtlPodFailure extends Error {
  constructor(
    message: string,
    readonly pod: EtlPod,
  ) {
    super(message);
  }
}

/** `expected`: the target ids (from the AIS cluster map), or just how many targets there are. */
export function progressOf(pods: EtlPod[], expected: string[] | number): EtlPodsProgress {
  // A Terminating pod is a leftover of an earlier run that AIS is replacing: never count it as ready.
  const stateOf = (p: EtlPod | undefined): TargetPodState =>
    !p ? 'waiting' : p.ready && p.reason !== 'Terminating' ? 'ready' : isStuck(p) ? 'failing' : 'created';
  if (typeof expected === 'number') {
    const targets = pods.map((p) => ({ targetId: p.targetId, state: stateOf(p), pod: p }));
    return { targets, ready: targets.filter((t) => t.state === 'ready').length, expected };
  }
  const byTarget = new Map<string, EtlPod>();
  for (const p of pods) {
    const key = p.targetId.toLowerCase();
    if (!byTarget.has(key) || byTarget.get(key)!.reason === 'Terminating') byTarget.set(key, p);
  }
  const targets = expected.map((tid) => {
    const pod = byTarget.get(tid.toLowerCase());
    return { targetId: tid, state: stateOf(pod), ...(pod ? { pod } : {}) };
  });
  return { targets, ready: targets.filter((t) => t.state === 'ready').length, expected: expected.length };
}

export function waitForEtlPods(
  s: K8sSession,
  etlName: string,
  expected: string[] | number,
  o: WaitForEtlPodsOptions = {},
): Promise<EtlPod[]> {
  if (typeof expected === 'number' ? expected <= 0 : expected.length === 0) return Promise.resolve([]);
  return new Promise<EtlPod[]>((resolve, reject) => {
    let settled = false;
    let explaining = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      watch.dispose();
      o.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () =>
      finish(() =>
        reject(Object.assign(new Error(`Stopped waiting for the pods of ETL ${etlName}.`), { name: 'AbortError' })),
      );
    const watch = watchEtlPods(s, etlName, (pods) => {
      if (settled) return;
      const p = progressOf(pods, expected);
      o.onChange?.(p);
      if (p.expected > 0 && p.ready >= p.expected) {
        finish(() => resolve(pods));
        return;
      }
      const stuck = p.targets.find((t) => t.state === 'failing')?.pod;
      if (stuck && !explaining) {
        explaining = true;
        void explainPod(s, stuck)
          .catch((err) => `${stuck.name}: ${stuck.reason ?? stuck.phase} (${(err as Error).message})`)
          .then((text) =>
            finish(() =>
              reject(new EtlPodFailure(`ETL ${etlName} failed on target ${stuck.targetId}: ${text}`, stuck)),
            ),
          );
      }
    });
    if (o.signal?.aborted) onAbort();
    else o.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
