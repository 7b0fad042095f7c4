// Where kubectl would read the kubeconfig from, without loading @kubernetes/client-node: the UI may import this
// file statically to decide whether loading the k8s chunk is worth it at all.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { K8sConnectOptions, Unavailable } from './types';

const SA_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** The files kubectl would read, or why there are none. */
export function kubeconfigFiles(o: K8sConnectOptions = {}): string[] | Unavailable {
  if (o.kubeconfigPath) {
    return existsSync(o.kubeconfigPath)
      ? [o.kubeconfigPath]
      : {
          unavailable: `Kubeconfig ${o.kubeconfigPath} does not exist: fix the configured kubeconfig path or clear it to use KUBECONFIG / ~/.kube/config.`,
        };
  }
  const env = o.env ?? process.env;
  const list = (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  if (list.length) {
    const found = list.filter((f) => existsSync(f));
    return found.length
      ? found
      : {
          unavailable: `None of the KUBECONFIG files exist (${list.join(delimiter)}): fix KUBECONFIG or unset it to use ~/.kube/config.`,
        };
  }
  const home = join(o.homeDir ?? homedir(), '.kube', 'config');
  if (existsSync(home)) return [home];
  if (!o.env && !o.homeDir && existsSync(SA_TOKEN)) return []; // in-cluster (real process env only)
  return {
    unavailable: `No kubeconfig found (KUBECONFIG is not set and ${home} does not exist): pod views need one; ETL logs come from the AIS API meanwhile.`,
  };
}
