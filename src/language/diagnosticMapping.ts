// Engine diagnostics (0-based ranges, severity words) → what the editor shows. Ranges are clamped to the
// document (the engine may point past the end of a line or at a line that no longer exists while the user types),
// and an empty range widens to its line so the squiggle is visible. Pure: no vscode.
import type { EtlDiagnostic, Range } from '../engine/etl';

export const DIAGNOSTIC_SOURCE = 'AIStore ETL';

/** Same numbers as vscode.DiagnosticSeverity. */
export enum EditorSeverity {
  Error = 0,
  Warning = 1,
  Information = 2,
  Hint = 3,
}

export interface DocumentLines {
  lineCount: number;
  lineText(line: number): string;
}

export interface EditorDiagnostic {
  range: Range;
  message: string;
  severity: EditorSeverity;
  code: string;
  source: string;
}

export function toEditorSeverity(s: EtlDiagnostic['severity']): EditorSeverity {
  return s === 'error' ? EditorSeverity.Error : s === 'warning' ? EditorSeverity.Warning : EditorSeverity.Information;
}

function clampPosition(
  p: { line: number; character: number },
  doc: DocumentLines,
): { line: number; character: number } {
  const lastLine = Math.max(0, doc.lineCount - 1);
  const line = Math.min(Math.max(0, Math.floor(p.line)), lastLine);
  const length = doc.lineText(line).length;
  return { line, character: Math.min(Math.max(0, Math.floor(p.character)), length) };
}

/** The range moved inside the document (start before end); empty ranges stay empty (edits insert there). */
export function clampRange(range: Range, doc: DocumentLines): Range {
  const start = clampPosition(range.start, doc);
  const end = clampPosition(range.end, doc);
  const reversed = end.line < start.line || (end.line === start.line && end.character < start.character);
  return reversed ? { start: end, end: start } : { start, end };
}

/** Like clampRange, but an empty range widens to the text of its line so the squiggle can be seen. */
export function displayRange(range: Range, doc: DocumentLines): Range {
  const r = clampRange(range, doc);
  if (r.start.line !== r.end.line || r.start.character !== r.end.character) return r;
  const text = doc.lineText(r.start.line);
  const first = text.length - text.trimStart().length;
  const last = text.trimEnd().length;
  return last > first
    ? { start: { line: r.start.line, character: first }, end: { line: r.start.line, character: last } }
    : r;
}

export function toEditorDiagnostic(d: EtlDiagnostic, doc: DocumentLines): EditorDiagnostic {
  return {
    range: displayRange(d.range, doc),
    message: d.message,
    severity: toEditorSeverity(d.severity),
    code: d.code,
    source: DIAGNOSTIC_SOURCE,
  };
}

export function rangesOverlap(a: Range, b: Range): boolean {
  const before = (x: { line: number; character: number }, y: { line: number; character: number }) =>
    x.line < y.line || (x.line === y.line && x.character < y.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}
