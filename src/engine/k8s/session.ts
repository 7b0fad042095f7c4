// What every operation of this room needs: the loaded kubeconfig, the typed API clients and, for error
// messages, where we are talking to.
import { CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { toK8sError, type K8sWhere } from './errors';
import type { LoadedKubeconfig } from './kubeconfig';

export interface K8sSession {
  kc: KubeConfig;
  core: CoreV1Api;
  custom: CustomObjectsApi;
  where: K8sWhere;
}

export function makeSession(l: LoadedKubeconfig): K8sSession {
  return {
    kc: l.kc,
    core: l.kc.makeApiClient(CoreV1Api),
    custom: l.kc.makeApiClient(CustomObjectsApi),
    where: { server: l.server, context: l.context, namespace: l.namespace },
  };
}

/** Runs one API call; a failure becomes a K8sError whose message says what to do. */
export async function call<T>(s: K8sSession, action: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toK8sError(err, action, s.where);
  }
}

/** Like `call`, but a bounded wait: client-node's typed calls take no abort signal, so the race is ours. */
export function callWithin<T>(s: K8sSession, action: string, ms: number, fn: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(toK8sError(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' }), action, s.where)),
      ms,
    );
  });
  return Promise.race([call(s, action, fn), timeout]).finally(() => clearTimeout(timer));
}
