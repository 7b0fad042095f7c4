// The local AIS cluster: an AIS-compatible gateway + targets on loopback, with ETL workers as local processes.
import { join } from 'node:path';
import { aisetlHome } from './state';

export { startLocalCluster, type LocalCluster, type LocalClusterOptions } from './cluster/start';
export type {
  WorkerFactory,
  EtlWorker,
  LocalEtlSpec,
  WorkerContext,
  TransformInput,
  TransformOutput,
} from './worker-contract';
export { DEPLOYMENT } from './cluster/context';
export {
  aisProfile,
  DEFAULT_LOCAL_AIS_VERSION,
  LOCAL_AIS_VERSIONS,
  type AisProfile,
  type LocalAisVersion,
} from './version';
export { buildLocalImage, type LocalImage } from './images';

export { aisetlHome } from './state';

/** ~/.aisetl/data (AISETL_HOME overrides ~/.aisetl). */
export function defaultDataDir(): string {
  return join(aisetlHome(), 'data');
}
