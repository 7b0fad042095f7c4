// The only place the VS Code layer touches the engine's concrete modules. Views and commands see `Pick<…>`s of the
// engine's own classes, so tests pass small fakes of exactly what is used; Kubernetes is reached only through the lazy
// loader in k8sPods.ts, never at activation.
import type { AisClient, AisClientOptions } from '../engine/ais';
import { buildInitClassMessage, buildInitMessage, normalizeCommType, parseEtlFile, validateEtlName } from '../engine/etl';
import type { K8sEtlPods } from '../engine/k8s';

/** What the views and commands call on a cluster. */
export type ClusterClient = Pick<AisClient,
  | 'endpoint' | 'cluster' | 'clusterMap' | 'listBuckets' | 'createBucket' | 'destroyBucket' | 'listObjectsPage'
  | 'headObject' | 'getObject' | 'putObject' | 'deleteObject' | 'initEtl' | 'listEtls' | 'etlDetails' | 'stopEtl' | 'startEtl'
  | 'deleteEtl' | 'etlLogs' | 'etlHealth' | 'setEtlDebug' | 'startBucketTransform' | 'startMultiObjectTransform' | 'jobProgress'
  | 'waitJob' | 'abortJob' | 'close'>;

/** What the views and commands call on a Kubernetes connection (engine/k8s, loaded lazily). */
export type PodsApi = Pick<K8sEtlPods,
  | 'namespace' | 'context' | 'listEtlPods' | 'watchEtlPods' | 'followLogs' | 'followAllLogs' | 'readLog' | 'explain'
  | 'describe' | 'deletePod' | 'discoverClusters' | 'waitForEtlPods' | 'portForward'>;

let ais: typeof import('../engine/ais') | undefined;

/** The HTTP client (undici, ~1 MB bundled) is evaluated on the first cluster call, not at activation. */
export function createClient(o: AisClientOptions): ClusterClient {
  ais ??= require('../engine/ais') as typeof import('../engine/ais');
  return new ais.AisClient(o);
}

export const etl = { parseEtlFile, buildInitMessage, buildInitClassMessage, validateEtlName, normalizeCommType };
export type EtlEngine = typeof etl;
