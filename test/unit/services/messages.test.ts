import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oneLine, withoutRepeats } from '../../../src/services/messages';

test('a sentence said twice is kept once', () => {
  const msg = 'ETL x did not start: ETL "x" already exists. ETL "x" already exists — delete it or pick another name.';
  assert.equal(withoutRepeats(msg), 'ETL x did not start: ETL "x" already exists. delete it or pick another name.');
  assert.equal(withoutRepeats('a. b. c.'), 'a. b. c.');
});

test('one short line for a tree row', () => {
  assert.equal(oneLine('404 Not Found. The ETL is stopped.\nmore'), '404 Not Found.');
  assert.equal(oneLine('x'.repeat(100), 10), `${'x'.repeat(9)}…`);
});
