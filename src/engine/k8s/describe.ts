// `kubectl get pod -o yaml` without the noise (managedFields), and delete.
import { stringify } from 'yaml';
import { httpStatusOf } from './errors';
import type { PodJson } from './pods';
import { call, type K8sSession } from './session';

export async function describePod(s: K8sSession, name: string): Promise<string> {
  const pod = await call(s, `read pod ${name}`, () => s.core.readNamespacedPod({ name, namespace: s.where.namespace }));
  // The typed object uses the wire's field names; a JSON round trip turns Dates back into RFC 3339 strings.
  const plain: PodJson = JSON.parse(JSON.stringify(pod));
  if (plain.metadata) delete plain.metadata.managedFields;
  return stringify({ apiVersion: plain.apiVersion ?? 'v1', kind: plain.kind ?? 'Pod', ...plain }, { lineWidth: 0 });
}

/** Deletes the pod (the caller has asked the user). A pod that is already gone counts as deleted. */
export async function deletePod(s: K8sSession, name: string): Promise<void> {
  try {
    await call(s, `delete pod ${name}`, () => s.core.deleteNamespacedPod({ name, namespace: s.where.namespace }));
  } catch (err) {
    if (httpStatusOf(err) !== 404) throw err;
  }
}
