// Where transforms start in a Python document: top-level `def transform` functions and the transform /
// transform_stream methods of ETLServer classes. Deploy / Test lenses sit on them, and any other lens (e.g. Debug)
// can reuse the same positions. Pure: takes anything with getText(), such as a vscode.TextDocument.
import { findEtlEntryPoints, type EtlEntryPoint } from '../engine/etl';

export type { EtlEntryPoint };

export function etlEntryPoints(document: { getText(): string }): EtlEntryPoint[] {
  return findEtlEntryPoints(document.getText());
}
