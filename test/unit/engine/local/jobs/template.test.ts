import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandTemplate } from '../../../../../src/engine/local/jobs/template';

test('brace ranges expand lazily with zero padding and steps', () => {
  assert.deepEqual([...expandTemplate('shard-{001..003}.tar')], ['shard-001.tar', 'shard-002.tar', 'shard-003.tar']);
  assert.deepEqual([...expandTemplate('a{0..4..2}b{1..2}')], ['a0b1', 'a0b2', 'a2b1', 'a2b2', 'a4b1', 'a4b2']);
  const it = expandTemplate('x{0..99999999}');
  assert.equal(it.next().value, 'x0');
  assert.throws(() => [...expandTemplate('no-range')], /expecting a range/);
  assert.throws(() => [...expandTemplate('a{5..1}')], /increasing/);
});
