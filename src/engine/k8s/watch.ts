// List + watch of an ETL's pods, kept alive across disconnects: a clean close re-watches from the last
// resourceVersion; a 410 Gone (history compacted) or an error re-lists after a backoff. onChange always gets
// the full current list, sorted by target id.
import { Watch } from '@kubernetes/client-node';
import { describeK8sError, httpStatusOf } from './errors';
import { belongsToEtl, ETL_POD_SELECTOR, toEtlPod } from './pods';
import { call, type K8sSession } from './session';
import type { Disposable, EtlPod } from './types';

export interface WatchOptions {
  /** Told when the watch is interrupted and will retry (one line); the list stays as last seen. */
  onError?(message: string): void;
  initialBackoffMs?: number;   // default 500
  maxBackoffMs?: number;       // default 30 000
  pollMs?: number;             // when RBAC allows list but not watch: re-list this often (default 5000)
}

export async function listEtlPods(s: K8sSession, etlName: string): Promise<{ pods: EtlPod[]; resourceVersion?: string }> {
  const list = await call(s, 'list pods', () => s.core.listNamespacedPod({ namespace: s.where.namespace, labelSelector: ETL_POD_SELECTOR }));
  const pods = (list.items ?? []).filter((p) => belongsToEtl(p, etlName)).map(toEtlPod);
  return { pods: sortPods(pods), resourceVersion: list.metadata?.resourceVersion };
}

export function sortPods(pods: EtlPod[]): EtlPod[] {
  return pods.sort((a, b) => a.targetId.localeCompare(b.targetId) || a.name.localeCompare(b.name));
}

export function watchEtlPods(s: K8sSession, etlName: string, onChange: (pods: EtlPod[]) => void, o: WatchOptions = {}): Disposable {
  const initialBackoff = o.initialBackoffMs ?? 500;
  const maxBackoff = o.maxBackoffMs ?? 30_000;
  const pods = new Map<string, EtlPod>();
  let resourceVersion: string | undefined;
  let disposed = false;
  let backoff = initialBackoff;
  let timer: NodeJS.Timeout | undefined;
  let controller: AbortController | undefined;
  let gone = false;   // the server said 410: our resourceVersion is too old to resume from
  let polling = false; // watch is forbidden (403) but list works: re-list periodically instead

  const emit = () => { if (!disposed) onChange(sortPods([...pods.values()])); };
  const retryLater = (why: string, relist: boolean, report = true) => {
    if (disposed) return;
    if (report) o.onError?.(`${why}; retrying in ${(backoff / 1000).toFixed(1)}s`);
    timer = setTimeout(() => void (relist ? relistAndWatch() : startWatch()), backoff);
    backoff = Math.min(backoff * 2, maxBackoff);
  };

  const relistAndWatch = async () => {
    if (disposed) return;
    try {
      const r = await listEtlPods(s, etlName);
      if (disposed) return;
      pods.clear();
      for (const p of r.pods) pods.set(p.name, p);
      resourceVersion = r.resourceVersion;
      emit();
      if (polling) { timer = setTimeout(() => void relistAndWatch(), o.pollMs ?? 5000); return; }
      await startWatch();
    } catch (err) {
      retryLater(describeK8sError(err, 'list pods', s.where), true);
    }
  };

  const onEvent = (type: string, obj: any) => {
    if (type === 'ERROR') {
      if (obj?.code === 410) gone = true;
      return;
    }
    const rv = obj?.metadata?.resourceVersion;
    if (rv) resourceVersion = rv;
    if (type === 'BOOKMARK') return;
    const name: string | undefined = obj?.metadata?.name;
    if (!name) return;
    const ours = type !== 'DELETED' && belongsToEtl(obj, etlName);
    if (ours) pods.set(name, toEtlPod(obj));
    else if (!pods.delete(name)) return;   // not ours before, not ours now: nothing changed
    backoff = initialBackoff;                // events flow again: the connection is healthy
    emit();
  };

  const startWatch = async () => {
    if (disposed) return;
    gone = false;
    const path = `/api/v1/namespaces/${encodeURIComponent(s.where.namespace)}/pods`;
    const query = { labelSelector: ETL_POD_SELECTOR, allowWatchBookmarks: true, resourceVersion };
    let done = false;
    const onDone = (err: unknown) => {
      if (done || disposed) return;
      done = true;
      if (gone || httpStatusOf(err) === 410) { gone = false; retryLater('pod watch expired (410 Gone)', true); return; }
      if (httpStatusOf(err) === 403) {
        polling = true;
        o.onError?.(`${describeK8sError(err, 'watch pods', s.where)} Refreshing by listing every ${((o.pollMs ?? 5000) / 1000).toFixed(1)}s instead.`);
        void relistAndWatch();
        return;
      }
      if (err) { retryLater(describeK8sError(err, 'watch pods', s.where), true); return; }
      // A clean close is routine (the API server ends watches every few minutes): resume where we were.
      retryLater('pod watch closed by the API server', false, false);
    };
    try {
      controller = await new Watch(s.kc).watch(path, query, onEvent, onDone);
      if (disposed) controller.abort();
    } catch (err) {
      onDone(err);
    }
  };

  void relistAndWatch();
  return {
    dispose() {
      disposed = true;
      if (timer) clearTimeout(timer);
      controller?.abort();
    },
  };
}
