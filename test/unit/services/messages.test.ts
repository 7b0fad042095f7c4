import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oneLine, withoutRepeats } from '../../../src/services/messages';

test('a sentence said twice is kept once; everything else stays as written', () => {
  const msg = 'ETL x did not start: 409. ETL "x" already exists. ETL "x" already exists — delete it first.';
  assert.equal(
    withoutRepeats('ETL "x" already exists. ETL "x" already exists. Show logs.'),
    'ETL "x" already exists. Show logs.',
  );
  assert.equal(withoutRepeats(msg), msg, 'a longer sentence that contains an earlier one is not a repeat');
  assert.equal(withoutRepeats('a — b. c: d.\nline'), 'a — b. c: d.\nline');
});

test('one short line for a tree row', () => {
  assert.equal(oneLine('404 Not Found. The ETL is stopped.\nmore'), '404 Not Found.');
  assert.equal(oneLine('x'.repeat(100), 10), `${'x'.repeat(9)}…`);
});
