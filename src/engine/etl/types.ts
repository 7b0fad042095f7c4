// Public shapes of the ETL definitions room (docs/CONTRACTS.md, "src/engine/etl/").
// Cluster types come from the AIS client room; we import types only, never code.
import type { ClusterInfo, CommType, EtlDialect } from '../ais/types';

export type { ClusterInfo, CommType, EtlDialect };

export type EtlFileKind =
  'python-transform' | 'python-etl-class' | 'io-script' | 'pod-spec' | 'runtime-spec' | 'dockerfile' | 'unknown';

/** 0-based, like VS Code; `character` counts UTF-16 code units. */
export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}
export interface QuickFix {
  title: string;
  range: Range;
  newText: string;
}
export interface EtlDiagnostic {
  severity: 'error' | 'warning' | 'info';
  message: string;
  range: Range;
  code: string;
  fix?: QuickFix;
}

export interface EnvVar {
  name: string;
  value?: string;
}

export type EtlDefinition =
  | {
      kind: 'code';
      name?: string;
      code: string;
      dependencies?: string;
      runtime: string /* python3.11v2 */;
      functionName: string /* transform */;
      commType?: CommType;
    }
  | { kind: 'io'; name?: string; code: string; runtime: string; commType: 'io://' }
  | {
      kind: 'pod-spec';
      name?: string;
      podYaml: string;
      image: string;
      commType?: CommType;
      initTimeout?: string;
      supportDirectPut?: boolean;
    }
  | {
      kind: 'runtime-spec';
      name: string;
      image: string;
      command?: string[];
      env?: EnvVar[];
      commType?: CommType;
      initTimeout?: string;
      objTimeout?: string;
      supportDirectPut?: boolean;
      resources?: unknown;
    }
  | EtlClassDefinition;

/** The SDK web server an ETLServer class derives from (aistore.sdk.etl.webserver). */
export type SdkServerKind = 'FastAPIServer' | 'FlaskServer' | 'HTTPMultiThreadedServer';

/**
 * An ETLServer subclass, deployed as `Etl.init_class` does: cloudpickled by the user's Python into env
 * ETL_CLASS_PAYLOAD on `aistorage/runtime_python:<that Python's major.minor>`. `payload` is filled by
 * buildInitClassMessage (it needs the interpreter); buildInitMessage refuses a class without it.
 */
export interface EtlClassDefinition {
  kind: 'etl-class';
  name?: string;
  className: string;
  server: SdkServerKind;
  commType?: CommType;
  initTimeout?: string;
  objTimeout?: string;
  /** pip packages → env PACKAGES */
  packages?: string[];
  /** Alpine packages → env OS_PACKAGES */
  osPackages?: string[];
  numWorkers?: number;
  /** env ETL_DIRECT_FQN=true: transform() receives the object's local path */
  directFqn?: boolean;
  supportDirectPut?: boolean;
  env?: Record<string, string>;
  payload?: EtlClassPayload;
}

/** What the SDK's init_class produced in the user's interpreter. */
export interface EtlClassPayload {
  /** The ETLSpecMsg init_class sent (name, communication, timeouts, support_direct_put, runtime.image/env). */
  body: Record<string, unknown>;
  /** "3.11": picks the runtime image */
  python: string;
  pythonExecutable: string;
  sdkVersion: string;
}

export interface ParsedEtlFile {
  kind: EtlFileKind;
  definitions: EtlDefinition[];
  diagnostics: EtlDiagnostic[];
}

export interface InitChoices {
  name: string;
  commType?: CommType;
  initTimeout?: string;
  objTimeout?: string;
  /** requirements.txt text */
  dependencies?: string;
  supportDirectPut?: boolean;
  env?: Record<string, string>;
}

export interface BuiltInit {
  body: Record<string, unknown>;
  dialect: EtlDialect;
  notes: string[];
}

export type ClusterEtlCapabilities = Pick<ClusterInfo, 'dialect' | 'local' | 'commTypes' | 'codeInit' | 'etl'>;

/** Thrown by buildInitMessage when the target cluster cannot run the definition; the message says what to do. */
export class EtlDefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EtlDefinitionError';
  }
}
