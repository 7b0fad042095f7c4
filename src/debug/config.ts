// The `aistore-etl` debug configuration: what launch.json holds and how it is checked. Pure: no vscode.
import type { LocalRunKind } from '../engine/run';

export const DEBUG_TYPE = 'aistore-etl';

export interface ObjectSource {
  cluster?: string;
  bucket: string;
  object: string;
}

export interface AisEtlDebugConfiguration {
  type: string;
  request: string;
  name: string;
  /** The ETL file: code.py, an io:// script, an ETLServer class, server.py or a Pod/runtime spec. */
  file?: string;
  /** The input: an object ("ais://bucket/object" or {cluster, bucket, object}) or a local file. */
  object?: string | ObjectSource;
  inputFile?: string;
  etlArgs?: string;
  /** What a server receives: "5.0" (etl_fqn, empty body) or "3.29" (the bytes). */
  aisVersion?: string;
  kind?: LocalRunKind;
  python?: string;
  [key: string]: unknown;
}

/** `ais://bucket/path/to/object` → { bucket, object }. */
export function parseObjectSource(o: string | ObjectSource): ObjectSource | undefined {
  if (typeof o !== 'string') return o.bucket && o.object ? o : undefined;
  const m = /^([^/:]+)\/(.+)$/.exec(o.trim().replace(/^ais:\/\//, ''));
  return m ? { bucket: m[1], object: m[2] } : undefined;
}

/** What is wrong with a configuration after defaults were filled in, or undefined. */
export function configProblem(c: AisEtlDebugConfiguration): string | undefined {
  if (!c.file) {
    return 'The debug configuration names no ETL file: set "file" (e.g. "${file}" or "${workspaceFolder}/code.py").';
  }
  if (c.object !== undefined && !parseObjectSource(c.object)) {
    const got = JSON.stringify(c.object);
    return `"object" must be "ais://bucket/object" or { "bucket", "object", "cluster"? }; got ${got}.`;
  }
  if (c.aisVersion !== undefined && !/^\d+\.\d+/.test(c.aisVersion)) {
    return '"aisVersion" must look like "5.0" or "3.29".';
  }
  return undefined;
}

/** launch.json entries offered when the user creates one. */
export const INITIAL_CONFIGURATIONS: AisEtlDebugConfiguration[] = [
  {
    type: DEBUG_TYPE,
    request: 'launch',
    name: 'Debug ETL on an object',
    file: '${file}',
    object: 'ais://transform/shard.in',
  },
  {
    type: DEBUG_TYPE,
    request: 'launch',
    name: 'Debug ETL on a local file',
    file: '${file}',
    inputFile: '${workspaceFolder}/sample.in',
  },
];
