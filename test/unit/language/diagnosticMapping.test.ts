import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  clampRange,
  displayRange,
  EditorSeverity,
  rangesOverlap,
  toEditorDiagnostic,
  toEditorSeverity,
  DIAGNOSTIC_SOURCE,
  type DocumentLines,
} from '../../../src/language/diagnosticMapping';

function doc(text: string): DocumentLines {
  const lines = text.split('\n');
  return { lineCount: lines.length, lineText: (i) => lines[i] };
}
const r = (sl: number, sc: number, el: number, ec: number) => ({
  start: { line: sl, character: sc },
  end: { line: el, character: ec },
});
const spec = doc('apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: server\n');

test('severities map to vscode.DiagnosticSeverity numbers', () => {
  assert.equal(toEditorSeverity('error'), EditorSeverity.Error);
  assert.equal(toEditorSeverity('warning'), EditorSeverity.Warning);
  assert.equal(toEditorSeverity('info'), EditorSeverity.Information);
  assert.deepEqual(
    [EditorSeverity.Error, EditorSeverity.Warning, EditorSeverity.Information, EditorSeverity.Hint],
    [0, 1, 2, 3],
  );
});

test('ranges inside the document pass through unchanged', () => {
  assert.deepEqual(clampRange(r(4, 6, 4, 18), spec), r(4, 6, 4, 18));
});

test('ranges past the end of a line or the document are clamped, negative ones raised to 0', () => {
  assert.deepEqual(clampRange(r(1, 3, 1, 99), spec), r(1, 3, 1, 9));
  assert.deepEqual(clampRange(r(40, 0, 50, 5), spec), r(5, 0, 5, 0));
  assert.deepEqual(clampRange(r(-1, -4, 0, 3), spec), r(0, 0, 0, 3));
});

test('reversed ranges are put in order', () => {
  assert.deepEqual(clampRange(r(2, 4, 1, 0), spec), r(1, 0, 2, 4));
});

test('an empty range stays empty for edits but widens to the line text for display', () => {
  assert.deepEqual(clampRange(r(4, 0, 4, 0), spec), r(4, 0, 4, 0));
  assert.deepEqual(displayRange(r(4, 0, 4, 0), spec), r(4, 4, 4, 18));
  assert.deepEqual(displayRange(r(5, 0, 5, 0), spec), r(5, 0, 5, 0), 'an empty line stays a point');
});

test('toEditorDiagnostic keeps message and code and sets the source', () => {
  const d = toEditorDiagnostic(
    { severity: 'warning', message: 'readinessProbe is missing', code: 'pod-readiness-missing', range: r(4, 4, 4, 18) },
    spec,
  );
  assert.deepEqual(d, {
    range: r(4, 4, 4, 18),
    message: 'readinessProbe is missing',
    severity: EditorSeverity.Warning,
    code: 'pod-readiness-missing',
    source: DIAGNOSTIC_SOURCE,
  });
  assert.equal(DIAGNOSTIC_SOURCE, 'AIStore ETL');
});

test('rangesOverlap: touching counts (cursor at the end of a squiggle), disjoint does not', () => {
  assert.ok(rangesOverlap(r(1, 0, 1, 5), r(1, 5, 1, 5)));
  assert.ok(rangesOverlap(r(1, 0, 3, 0), r(2, 2, 2, 2)));
  assert.ok(!rangesOverlap(r(1, 0, 1, 5), r(1, 6, 1, 8)));
  assert.ok(!rangesOverlap(r(1, 0, 1, 5), r(2, 0, 2, 1)));
});
