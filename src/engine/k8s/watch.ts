// List + watch of an ETL's pods, kept alive across disconnects: a clean close re-watches from the last
// resourceVersion; a 410 Gone (history compacted) or an error re-lists after a backoff. onChange always gets
// the full current list, sorted by target id.
import { Watch } from '@kubernetes/client-node';
import { describeK8sError, httpStatusOf } from './errors';
import { belongsToEtl, ETL_POD_SELECTOR, toEtlPod, type PodJson } from './pods';
import { call, type K8sSession } from './session';
import type { Disposable, EtlPod } from './types';

export interface WatchOptions {
  /** Told when the watch is interrupted and will retry (one line); the list stays as last seen. */
  onError?(message: string): void;
  initialBackoffMs?: number; // default 500
  maxBackoffMs?: number; // default 30 000
  pollMs?: number; // when RBAC allows list but not watch: re-list this often (default 5000)
}

export async function listEtlPods(
  s: K8sSession,
  etlName: string,
): Promise<{ pods: EtlPod[]; resourceVersion?: string }> {
  const list = await call(s, 'list pods', () =>
    s.core.listNamespacedPod({ namespace: s.where.namespace, labelSelector: ETL_POD_SELECTOR }),
  );
  const pods = (list.items ?? []).filter((p) => belongsToEtl(p, etlName)).map(toEtlPod);
  return { pods: sortPods(pods), resourceVersion: list.metadata?.resourceVersion };
}

export function sortPods(pods: EtlPod[]): EtlPod[] {
  return pods.sort((a, b) => a.targetId.localeCompare(b.targetId) || a.name.localeCompare(b.name));
}

export function watchEtlPods(
  s: K8sSession,
  etlName: string,
  onChange: (pods: EtlPod[]) => void,
  o: WatchOptions = {},
): Disposable {
  const w = new EtlPodWatch(s, etlName, onChange, o);
  void w.relistAndWatch();
  return { dispose: () => w.dispose() };
}

/** What a watch event carries: a Pod, or for ERROR a v1 Status (code 410 when our resourceVersion is too old). */
type WatchObject = PodJson & { code?: number };

const isWatchObject = (x: unknown): x is WatchObject => typeof x === 'object' && x !== null;

class EtlPodWatch {
  private readonly pods = new Map<string, EtlPod>();
  private readonly initialBackoff: number;
  private readonly maxBackoff: number;
  private readonly pollMs: number;
  private backoff: number;
  private resourceVersion: string | undefined;
  private disposed = false;
  private timer: NodeJS.Timeout | undefined;
  private controller: AbortController | undefined;
  /** The server said 410: our resourceVersion is too old to resume from. */
  private gone = false;
  /** Watch is forbidden (403) but list works: re-list periodically instead. */
  private polling = false;

  constructor(
    private readonly s: K8sSession,
    private readonly etlName: string,
    private readonly onChange: (pods: EtlPod[]) => void,
    private readonly o: WatchOptions,
  ) {
    this.initialBackoff = o.initialBackoffMs ?? 500;
    this.maxBackoff = o.maxBackoffMs ?? 30_000;
    this.pollMs = o.pollMs ?? 5000;
    this.backoff = this.initialBackoff;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.controller?.abort();
  }

  private emit(): void {
    if (!this.disposed) this.onChange(sortPods([...this.pods.values()]));
  }

  private retryLater(why: string, relist: boolean, report = true): void {
    if (this.disposed) return;
    if (report) this.o.onError?.(`${why}; retrying in ${(this.backoff / 1000).toFixed(1)}s`);
    this.timer = setTimeout(() => void (relist ? this.relistAndWatch() : this.startWatch()), this.backoff);
    this.backoff = Math.min(this.backoff * 2, this.maxBackoff);
  }

  async relistAndWatch(): Promise<void> {
    if (this.disposed) return;
    try {
      const r = await listEtlPods(this.s, this.etlName);
      if (this.disposed) return;
      this.pods.clear();
      for (const p of r.pods) this.pods.set(p.name, p);
      this.resourceVersion = r.resourceVersion;
      this.emit();
      if (this.polling) {
        this.timer = setTimeout(() => void this.relistAndWatch(), this.pollMs);
        return;
      }
      await this.startWatch();
    } catch (err) {
      this.retryLater(describeK8sError(err, 'list pods', this.s.where), true);
    }
  }

  private onEvent(type: string, obj: unknown): void {
    if (!isWatchObject(obj)) return;
    if (type === 'ERROR') {
      if (obj.code === 410) this.gone = true;
      return;
    }
    const rv = obj.metadata?.resourceVersion;
    if (rv) this.resourceVersion = rv;
    if (type === 'BOOKMARK') return;
    const name = obj.metadata?.name;
    if (!name) return;
    const ours = type !== 'DELETED' && belongsToEtl(obj, this.etlName);
    if (ours) this.pods.set(name, toEtlPod(obj));
    else if (!this.pods.delete(name)) return; // not ours before, not ours now: nothing changed
    this.backoff = this.initialBackoff; // events flow again: the connection is healthy
    this.emit();
  }

  private onDone(err: unknown): void {
    if (this.gone || httpStatusOf(err) === 410) {
      this.gone = false;
      this.retryLater('pod watch expired (410 Gone)', true);
      return;
    }
    if (httpStatusOf(err) === 403) {
      this.polling = true;
      const every = `Refreshing by listing every ${(this.pollMs / 1000).toFixed(1)}s instead.`;
      this.o.onError?.(`${describeK8sError(err, 'watch pods', this.s.where)} ${every}`);
      void this.relistAndWatch();
      return;
    }
    if (err) {
      this.retryLater(describeK8sError(err, 'watch pods', this.s.where), true);
      return;
    }
    // A clean close is routine (the API server ends watches every few minutes): resume where we were.
    this.retryLater('pod watch closed by the API server', false, false);
  }

  private async startWatch(): Promise<void> {
    if (this.disposed) return;
    this.gone = false;
    const path = `/api/v1/namespaces/${encodeURIComponent(this.s.where.namespace)}/pods`;
    const query = { labelSelector: ETL_POD_SELECTOR, allowWatchBookmarks: true, resourceVersion: this.resourceVersion };
    let done = false;
    const onDone = (err: unknown) => {
      if (done || this.disposed) return;
      done = true;
      this.onDone(err);
    };
    try {
      this.controller = await new Watch(this.s.kc).watch(
        path,
        query,
        (t, obj: unknown) => this.onEvent(t, obj),
        onDone,
      );
      if (this.disposed) this.controller.abort();
    } catch (err) {
      onDone(err);
    }
  }
}
