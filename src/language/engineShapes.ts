// The parts of the engine's ETL-definitions contract (docs/CONTRACTS.md, src/engine/etl) that the pure language
// modules use, restated structurally so they load in unit tests without the engine. The engine's own types are
// assignable to these.

export type EtlFileKindLike = 'python-transform' | 'io-script' | 'pod-spec' | 'runtime-spec' | 'dockerfile' | 'unknown';
export interface PositionLike { line: number; character: number }
export interface RangeLike { start: PositionLike; end: PositionLike }
export interface QuickFixLike { title: string; range: RangeLike; newText: string }
export interface EtlDiagnosticLike {
  severity: 'error' | 'warning' | 'info';
  message: string;
  range: RangeLike;
  code: string;
  fix?: QuickFixLike;
}
export interface ParsedEtlFileLike { kind: EtlFileKindLike; diagnostics: EtlDiagnosticLike[] }
export type ParseEtlFileFn = (fileName: string, text: string) => ParsedEtlFileLike;
