// The parts of the engine's ETL-definitions contract (src/engine/etl) that the pure language modules use. Type-only
// imports are erased, so these modules still load in unit tests without pulling in the engine.
import type { EtlDiagnostic, EtlFileKind, ParsedEtlFile, Range } from '../engine/etl';

export type EtlFileKindLike = EtlFileKind;
export type RangeLike = Range;
export type EtlDiagnosticLike = EtlDiagnostic;
export type ParsedEtlFileLike = Pick<ParsedEtlFile, 'kind' | 'diagnostics'>;
export type ParseEtlFileFn = (fileName: string, text: string) => ParsedEtlFileLike;
