// Deploy on Kubernetes: while AIS's blocking init runs, the ETL's pods per target feed the progress message, and on
// failure the stuck pod's explanation goes into the error. No `vscode` import: unit-tested with a fake pods API.
import type { EtlPod, EtlPodsProgress } from '../engine/k8s';
import { podFailing } from '../engine/k8s/pods';
import type { Connection } from '../services/k8sPods';

/** "2/3 pods ready — t3: ContainerCreating" (the targets not ready yet, at most three). */
export function formatPodsProgress(p: EtlPodsProgress): string {
  const pending = p.targets.filter((t) => t.state !== 'ready');
  if (pending.length === 0) return `${p.ready}/${p.expected} pods ready — waiting for AIS to finish the init`;
  const what = (t: EtlPodsProgress['targets'][number]) => !t.pod ? 'no pod yet' : t.pod.reason ?? (t.pod.phase === 'Running' ? 'starting (not ready)' : t.pod.phase);
  const shown = pending.slice(0, 3).map((t) => `${t.targetId}: ${what(t)}`).join(', ');
  return `${p.ready}/${p.expected} pods ready — ${shown}${pending.length > 3 ? `, +${pending.length - 3} more` : ''}`;
}

export interface DeployPodsWatch {
  /** Stop waiting (init settled). */
  stop(): void;
  /** Why the pods failed: the engine's explanation of the stuck pod, or of a pod that never became ready; undefined if none. */
  explainFailure(): Promise<string | undefined>;
}

/**
 * Starts watching the pods of `etl` on `targets` (ids from the cluster map, or just a count). Connecting happens in
 * the background so the init call is never delayed by Kubernetes; an unavailable Kubernetes only logs one line.
 */
export function watchDeployPods(connect: () => Promise<Connection>, etl: string, targets: () => Promise<string[] | number>,
  report: (message: string) => void, log: (message: string) => void): DeployPodsWatch {
  const ac = new AbortController();
  let last: EtlPodsProgress | undefined;
  let failure: string | undefined;
  const connected = connect().then((c) => {
    if ('unavailable' in c) { log(`deploy ${etl}: no pod progress (Kubernetes not reachable: ${c.unavailable})`); return undefined; }
    return c;
  }, (err: unknown) => { log(`deploy ${etl}: no pod progress (${(err as Error)?.message ?? err})`); return undefined; });
  void (async () => {
    const c = await connected;
    if (!c) return;
    const expected = await targets();
    if (ac.signal.aborted) return;
    await c.waitForEtlPods(etl, expected, {
      signal: ac.signal,
      onChange: (p) => { last = p; if (!ac.signal.aborted) report(formatPodsProgress(p)); },
    }).then(() => undefined, (err: unknown) => {
      if (ac.signal.aborted || (err as Error)?.name === 'AbortError') return;
      failure = (err as Error)?.message ?? String(err);
      log(`deploy ${etl}: ${failure}`);
      report(`${failure.split('\n')[0]} — AIS keeps trying until the init timeout`);
    });
  })().catch((err: unknown) => log(`deploy ${etl}: pod progress stopped: ${(err as Error)?.message ?? err}`));
  return {
    stop: () => ac.abort(),
    async explainFailure() {
      if (failure) return failure;
      const c = await connected;
      if (failure) return failure;
      if (!c) return undefined;
      // The init may fail before the watch saw anything: look at the pods now.
      const targetsNow = last?.targets ?? (await c.listEtlPods(etl).catch(() => [] as EtlPod[]))
        .map((p) => ({ targetId: p.targetId, state: podFailing(p) ? 'failing' as const : p.ready ? 'ready' as const : 'created' as const, pod: p }));
      const notReady = targetsNow.find((t) => t.state === 'failing') ?? targetsNow.find((t) => t.state !== 'ready' && t.pod);
      if (!notReady?.pod) {
        const missing = targetsNow.filter((t) => !t.pod).map((t) => t.targetId);
        return missing.length ? `No ETL pod was created on target${missing.length > 1 ? 's' : ''} ${missing.join(', ')}.` : undefined;
      }
      const text = await c.explain(notReady.pod).catch((err: unknown) => `${notReady.pod!.name}: ${notReady.pod!.reason ?? notReady.pod!.phase} (${(err as Error)?.message ?? err})`);
      return `ETL ${etl} on target ${notReady.targetId}: ${text}`;
    },
  };
}
