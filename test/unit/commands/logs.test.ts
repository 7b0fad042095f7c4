import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../_fakes/vscode';
import { collapseRepeats } from '../../../src/commands/logs';

test('a note repeated back to back is shown once with its count; other lines stay in order', () => {
  const note = 'note: the server answered PUT with 501, so objects are sent by GET';
  assert.deepEqual(collapseRepeats(['start', note, note, note, 'ok', note]), ['start', `${note}  (×3)`, 'ok', note]);
  assert.deepEqual(collapseRepeats([]), []);
});
