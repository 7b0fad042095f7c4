// The only place the VS Code layer touches the engine's concrete modules. Views and commands see `Pick<…>`s of the
// engine's own classes, so tests pass small fakes of exactly what is used; Kubernetes is reached only through the lazy
// loader in k8sPods.ts, never at activation.
import type { AisClient, AisClientOptions } from '../engine/ais';
import {
  buildInitClassMessage,
  buildInitMessage,
  normalizeCommType,
  parseEtlFile,
  validateEtlName,
} from '../engine/etl';
import type { K8sEtlPods } from '../engine/k8s';
import type { LocalRunRequest, LocalRunResult } from '../engine/run';

/** What the views and commands call on a cluster. */
export type ClusterClient = Pick<
  AisClient,
  | 'endpoint'
  | 'cluster'
  | 'clusterMap'
  | 'listBuckets'
  | 'createBucket'
  | 'destroyBucket'
  | 'listObjectsPage'
  | 'headObject'
  | 'getObject'
  | 'putObject'
  | 'deleteObject'
  | 'initEtl'
  | 'listEtls'
  | 'etlDetails'
  | 'stopEtl'
  | 'startEtl'
  | 'deleteEtl'
  | 'etlLogs'
  | 'etlHealth'
  | 'setEtlDebug'
  | 'startBucketTransform'
  | 'startMultiObjectTransform'
  | 'jobProgress'
  | 'waitJob'
  | 'abortJob'
  | 'close'
>;

/** What the views and commands call on a Kubernetes connection (engine/k8s, loaded lazily). */
export type PodsApi = Pick<
  K8sEtlPods,
  | 'namespace'
  | 'context'
  | 'listEtlPods'
  | 'watchEtlPods'
  | 'followLogs'
  | 'followAllLogs'
  | 'readLog'
  | 'explain'
  | 'describe'
  | 'deletePod'
  | 'discoverClusters'
  | 'waitForEtlPods'
  | 'portForward'
>;

let ais: typeof import('../engine/ais') | undefined;

/** The HTTP client (undici, ~1 MB bundled) is evaluated on the first cluster call, not at activation. */
export function createClient(o: AisClientOptions): ClusterClient {
  ais ??= require('../engine/ais') as typeof import('../engine/ais');
  return new ais.AisClient(o);
}

export const etl = { parseEtlFile, buildInitMessage, buildInitClassMessage, validateEtlName, normalizeCommType };

/** Runs an ETL file on this machine as the runtime would (engine/run); a seam so command tests pass a fake. */
export interface LocalRunner {
  run(req: LocalRunRequest): Promise<LocalRunResult>;
}

let runModule: typeof import('../engine/run') | undefined;

/** The runner (Python processes, debugpy plumbing) is loaded on the first test run, not at activation. */
export const localRunner: LocalRunner = {
  run(req) {
    runModule ??= require('../engine/run') as typeof import('../engine/run');
    return runModule.runTransformLocally(req);
  },
};
export type EtlEngine = typeof etl;
