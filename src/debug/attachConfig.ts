// Debug configurations for attaching to an ETL running on the local cluster: one session per target's debugpy, with
// the worker's copy of the code mapped back to the user's deployed file so that breakpoints set there bind.
import type { EtlDebugTarget } from '../engine/ais';
import { DEBUG_TYPE } from './config';

/** Configuration key marking an attach session (the adapter is the target's debugpy, no local run). */
export const ATTACH_KEY = 'aisetlAttach';

export interface AttachInfo {
  cluster: string;
  etl: string;
  host: string;
  port: number;
}
export interface AttachConfiguration {
  type: string;
  request: 'attach';
  name: string;
  justMyCode: boolean;
  pathMappings: { localRoot: string; remoteRoot: string }[];
  [ATTACH_KEY]: AttachInfo;
}

export function attachConfigurations(
  cluster: string,
  etl: string,
  targets: EtlDebugTarget[],
  userFile: string | undefined,
): AttachConfiguration[] {
  return targets.map((t) => ({
    type: DEBUG_TYPE,
    request: 'attach',
    name: `ETL ${etl} on t[${t.targetId}]`,
    justMyCode: true,
    // Without a known deployed file, breakpoints go into the worker's own copy (identity mapping).
    pathMappings: [
      userFile && t.codeFile
        ? { localRoot: userFile, remoteRoot: t.codeFile }
        : { localRoot: t.workDir, remoteRoot: t.workDir },
    ],
    [ATTACH_KEY]: { cluster, etl, host: t.host, port: t.port },
  }));
}

/** The attach info of a session's configuration, when it is an attach session. */
export function attachInfo(config: object): AttachInfo | undefined {
  const a = (config as Record<string, unknown>)[ATTACH_KEY];
  if (typeof a !== 'object' || a === null) return undefined;
  const { cluster, etl, host, port } = a as Partial<AttachInfo>;
  if (typeof cluster !== 'string' || typeof etl !== 'string' || typeof host !== 'string' || typeof port !== 'number') {
    return undefined;
  }
  return { cluster, etl, host, port };
}
