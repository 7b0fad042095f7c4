// Which AIS release the local cluster emulates. Each profile accepts what that release accepts and sends ETL
// containers what it sends (etl-api.md §5.1, §7.2); the node version it reports carries a suffix so that clients
// still know it is the local cluster.
import type { CommType } from './worker-contract';

export type LocalAisVersion = '3.29' | '5.0';
export const LOCAL_AIS_VERSIONS: readonly LocalAisVersion[] = ['5.0', '3.29'];
export const DEFAULT_LOCAL_AIS_VERSION: LocalAisVersion = '5.0';
export const LOCAL_VERSION_SUFFIX = 'aisetl-local';

export interface AisProfile {
  version: LocalAisVersion;
  /** `ais_version` of node_status and `what=software_version`: "5.0.aisetl-local". */
  reported: string;
  /** InitCodeMsg (code + runtime python3.Xv2): ≤3.29. */
  codeInit: boolean;
  /** ETLSpecMsg as its own top-level JSON (≥3.30); 3.29 reads a runtime spec only inside `spec`. */
  topLevelRuntimeSpec: boolean;
  commTypes: CommType[];
  /** ≥4.0: hpush is `PUT ?etl_fqn=` with an empty body and hpull GETs carry `etl_fqn`. */
  fqnToContainers: boolean;
  /** Stage name of a stopped ETL: `Stopped` on 3.28–3.29, `Aborted` from 3.30. */
  stoppedStage: 'Stopped' | 'Aborted';
  /** 3.29: the proxy answers `GET /v1/etl/<name>` with the init message from etlMD, whether the ETL runs or not. */
  detailsFromEtlMd: boolean;
  /** 3.29 only: the tutorial's leniencies (POST after a 501, Pod spec without readinessProbe), each recorded. */
  seedLeniencies: boolean;
  /** 5.0: Pod specs still work, with a deprecation note (removal announced for 5.1). */
  podSpecDeprecated: boolean;
}

const PROFILES: Record<LocalAisVersion, AisProfile> = {
  '3.29': {
    version: '3.29',
    reported: `3.29.${LOCAL_VERSION_SUFFIX}`,
    codeInit: true,
    topLevelRuntimeSpec: false,
    commTypes: ['hpush://', 'hpull://', 'io://', 'ws://'],
    fqnToContainers: false,
    stoppedStage: 'Stopped',
    detailsFromEtlMd: true,
    seedLeniencies: true,
    podSpecDeprecated: false,
  },
  '5.0': {
    version: '5.0',
    reported: `5.0.${LOCAL_VERSION_SUFFIX}`,
    codeInit: false,
    topLevelRuntimeSpec: true,
    commTypes: ['hpush://', 'hpull://', 'ws://'],
    fqnToContainers: true,
    stoppedStage: 'Aborted',
    detailsFromEtlMd: false,
    seedLeniencies: false,
    podSpecDeprecated: true,
  },
};

/** "5.0", "5", "v5.0", "3.29" → the profile; anything else is an error naming the choices. */
export function aisProfile(version: string = DEFAULT_LOCAL_AIS_VERSION): AisProfile {
  const v = version.trim().replace(/^v/, '');
  const key = (v === '5' ? '5.0' : v) as LocalAisVersion;
  const p = PROFILES[key];
  if (!p) {
    throw new Error(
      `the local cluster cannot emulate AIS ${JSON.stringify(version)}: choose one of ` +
        `${LOCAL_AIS_VERSIONS.join(', ')} (5.0: runtime specs and ETL server classes; 3.29: the tutorial's code ETLs and io://)`,
    );
  }
  return p;
}
