// The local AIS cluster: an AIS-compatible gateway + targets on loopback, with ETL workers as local processes.
import { join } from 'node:path';
import { aisetlHome } from './state';

export { startLocalCluster, type LocalCluster, type LocalClusterOptions } from './cluster/start';
export type { WorkerFactory, EtlWorker, LocalEtlSpec, WorkerContext, TransformInput, TransformOutput } from './worker-contract';
export { LOCAL_VERSION, DEPLOYMENT } from './cluster/context';
export { buildLocalImage, type LocalImage } from './images';

export { aisetlHome } from './state';

/** ~/.aisetl/data (AISETL_HOME overrides ~/.aisetl). */
export function defaultDataDir(): string { return join(aisetlHome(), 'data'); }
