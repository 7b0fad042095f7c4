// Deploy on Kubernetes: while AIS's blocking init runs, the ETL's pods per target feed the progress message, and on
// failure the stuck pod's explanation goes into the error. No `vscode` import: unit-tested with a fake pods API.
import type { EtlPod, EtlPodsProgress } from '../engine/k8s';
import { podFailing } from '../engine/k8s/pods';
import type { PodsApi } from '../services/engine';
import { formatError, isCancellation } from '../services/errors';
import type { Connection } from '../services/k8sPods';

/** "2/3 pods ready — t3: ContainerCreating" (the targets not ready yet, at most three). */
export function formatPodsProgress(p: EtlPodsProgress): string {
  const pending = p.targets.filter((t) => t.state !== 'ready');
  if (pending.length === 0) return `${p.ready}/${p.expected} pods ready — waiting for AIS to finish the init`;
  const what = (t: EtlPodsProgress['targets'][number]) =>
    !t.pod ? 'no pod yet' : (t.pod.reason ?? (t.pod.phase === 'Running' ? 'starting (not ready)' : t.pod.phase));
  const shown = pending
    .slice(0, 3)
    .map((t) => `${t.targetId}: ${what(t)}`)
    .join(', ');
  return `${p.ready}/${p.expected} pods ready — ${shown}${pending.length > 3 ? `, +${pending.length - 3} more` : ''}`;
}

export interface DeployPodsWatch {
  /** Stop waiting (init settled). */
  stop(): void;
  /** Why the pods failed: the engine's explanation of the stuck pod, or of one that never became ready. */
  explainFailure(): Promise<string | undefined>;
}

type TargetState = EtlPodsProgress['targets'][number];

/**
 * Starts watching the pods of `etl` on `targets` (ids from the cluster map, or just a count). Connecting happens in
 * the background so the init call is never delayed by Kubernetes; an unavailable Kubernetes only logs one line.
 */
export function watchDeployPods(
  connect: () => Promise<Connection>,
  etl: string,
  targets: () => Promise<string[] | number>,
  report: (message: string) => void,
  log: (message: string) => void,
): DeployPodsWatch {
  return new DeployPodsWatcher(etl, report, log, connect, targets);
}

class DeployPodsWatcher implements DeployPodsWatch {
  private readonly ac = new AbortController();
  private readonly connected: Promise<PodsApi | undefined>;
  private last: EtlPodsProgress | undefined;
  private failure: string | undefined;

  constructor(
    private readonly etl: string,
    private readonly report: (message: string) => void,
    private readonly log: (message: string) => void,
    connect: () => Promise<Connection>,
    targets: () => Promise<string[] | number>,
  ) {
    this.connected = connect().then(
      (c) => {
        if (!('unavailable' in c)) return c;
        log(`deploy ${etl}: no pod progress (Kubernetes not reachable: ${c.unavailable})`);
        return undefined;
      },
      (err: unknown) => {
        log(`deploy ${etl}: no pod progress (${formatError(err)})`);
        return undefined;
      },
    );
    this.follow(targets).catch((err: unknown) => log(`deploy ${etl}: pod progress stopped: ${formatError(err)}`));
  }

  stop(): void {
    this.ac.abort();
  }

  private async follow(targets: () => Promise<string[] | number>): Promise<void> {
    const c = await this.connected;
    if (!c) return;
    const expected = await targets();
    if (this.ac.signal.aborted) return;
    const onChange = (p: EtlPodsProgress) => {
      this.last = p;
      if (!this.ac.signal.aborted) this.report(formatPodsProgress(p));
    };
    await c.waitForEtlPods(this.etl, expected, { signal: this.ac.signal, onChange }).catch((err: unknown) => {
      if (this.ac.signal.aborted || isCancellation(err)) return;
      this.failure = formatError(err);
      this.log(`deploy ${this.etl}: ${this.failure}`);
      this.report(`${this.failure.split('\n')[0]} — AIS keeps trying until the init timeout`);
    });
  }

  async explainFailure(): Promise<string | undefined> {
    const c = this.failure ? undefined : await this.connected;
    if (this.failure || !c) return this.failure;
    // The init may fail before the watch saw anything: look at the pods now.
    const targetsNow = this.last?.targets ?? (await c.listEtlPods(this.etl).catch(() => [] as EtlPod[])).map(stateOf);
    const notReady =
      targetsNow.find((t) => t.state === 'failing') ?? targetsNow.find((t) => t.state !== 'ready' && t.pod);
    const pod = notReady?.pod;
    if (!notReady || !pod) {
      const missing = targetsNow.filter((t) => !t.pod).map((t) => t.targetId);
      return missing.length
        ? `No ETL pod was created on target${missing.length > 1 ? 's' : ''} ${missing.join(', ')}.`
        : undefined;
    }
    const text = await c
      .explain(pod)
      .catch((err: unknown) => `${pod.name}: ${pod.reason ?? pod.phase} (${formatError(err)})`);
    return `ETL ${this.etl} on target ${notReady.targetId}: ${text}`;
  }
}

function stateOf(p: EtlPod): TargetState {
  return { targetId: p.targetId, state: podFailing(p) ? 'failing' : p.ready ? 'ready' : 'created', pod: p };
}
