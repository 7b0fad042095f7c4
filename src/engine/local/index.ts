// The local AIS cluster: an AIS-compatible gateway + targets on loopback, with ETL workers as local processes.
import { homedir } from 'node:os';
import { join } from 'node:path';

export { startLocalCluster, type LocalCluster, type LocalClusterOptions } from './cluster/start';
export type { WorkerFactory, EtlWorker, LocalEtlSpec, WorkerContext, TransformInput, TransformOutput } from './worker-contract';
export { DEPLOYMENT } from './cluster/context';
export { aisProfile, DEFAULT_LOCAL_AIS_VERSION, LOCAL_AIS_VERSIONS, type AisProfile, type LocalAisVersion } from './version';
export { buildLocalImage, type LocalImage } from './images';

/** ~/.aisetl (AISETL_HOME overrides): where the CLI keeps its state file and the default data folder. */
export function aisetlHome(): string { return process.env.AISETL_HOME || join(homedir(), '.aisetl'); }

/** ~/.aisetl/data (AISETL_HOME overrides ~/.aisetl). */
export function defaultDataDir(): string { return join(aisetlHome(), 'data'); }
