import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { goDurationToMs, isGoDuration } from '../../../../src/engine/etl';

describe('Go durations', () => {
  it('accepts what time.ParseDuration accepts', () => {
    for (const s of ['45s', '5m', '1h30m', '0', '1.5m', '300ms', '2h45m10s', '.5s', '10us', '10µs'])
      assert.ok(isGoDuration(s), s);
  });
  it('rejects numbers, bare digits and unknown units', () => {
    for (const s of ['45', '', '5 m', '5min', '1d', 's', '1.2.3s', 'abc']) assert.ok(!isGoDuration(s), s);
  });
  it('converts to milliseconds', () => {
    assert.equal(goDurationToMs('45s'), 45_000);
    assert.equal(goDurationToMs('5m'), 300_000);
    assert.equal(goDurationToMs('1h30m'), 5_400_000);
    assert.equal(goDurationToMs('1.5s'), 1500);
    assert.equal(goDurationToMs('0'), 0);
    assert.equal(goDurationToMs('nope'), undefined);
  });
});
