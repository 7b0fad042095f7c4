// Public shapes of the ETL definitions room (docs/CONTRACTS.md, "src/engine/etl/").
// Cluster types come from the AIS client room; we import types only, never code.
import type { ClusterInfo, CommType, EtlDialect } from '../ais/types';

export type { ClusterInfo, CommType, EtlDialect };

export type EtlFileKind = 'python-transform' | 'io-script' | 'pod-spec' | 'runtime-spec' | 'dockerfile' | 'unknown';

/** 0-based, like VS Code; `character` counts UTF-16 code units. */
export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }
export interface QuickFix { title: string; range: Range; newText: string }
export interface EtlDiagnostic {
  severity: 'error' | 'warning' | 'info';
  message: string;
  range: Range;
  code: string;
  fix?: QuickFix;
}

export interface EnvVar { name: string; value?: string }

export type EtlDefinition =
  | { kind: 'code'; name?: string; code: string; dependencies?: string; runtime: string /* python3.11v2 */; functionName: string /* transform */; commType?: CommType }
  | { kind: 'io'; name?: string; code: string; runtime: string; commType: 'io://' }
  | { kind: 'pod-spec'; name?: string; podYaml: string; image: string; commType?: CommType; initTimeout?: string; supportDirectPut?: boolean }
  | { kind: 'runtime-spec'; name: string; image: string; command?: string[]; env?: EnvVar[]; commType?: CommType; initTimeout?: string; objTimeout?: string; supportDirectPut?: boolean; resources?: unknown };

export interface ParsedEtlFile { kind: EtlFileKind; definitions: EtlDefinition[]; diagnostics: EtlDiagnostic[] }

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

export interface BuiltInit { body: Record<string, unknown>; dialect: EtlDialect; notes: string[] }

export type ClusterEtlCapabilities = Pick<ClusterInfo, 'dialect' | 'local' | 'commTypes' | 'codeInit' | 'etl'>;

/** Thrown by buildInitMessage when the target cluster cannot run the definition; the message says what to do. */
export class EtlDefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EtlDefinitionError';
  }
}
