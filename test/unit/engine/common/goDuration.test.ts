import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  durationProblem,
  goDurationToMs,
  isGoDuration,
  parseGoDuration,
} from '../../../../src/engine/common/goDuration';

// Every case here was checked against Go's time.ParseDuration.
describe('Go durations', () => {
  it('reads what time.ParseDuration reads, in milliseconds', () => {
    const cases: [string, number][] = [
      ['45s', 45_000],
      ['5m', 300_000],
      ['1h30m', 5_400_000],
      ['1.5m', 90_000],
      ['500ms', 500],
      ['2h45m10s', 9_910_000],
      ['.5s', 500],
      ['1.s', 1000],
      ['10us', 0.01],
      ['10µs', 0.01],
      ['10μs', 0.01],
      ['1500ns', 0.0015],
      ['0', 0],
      ['+0', 0],
      ['-0', 0],
      ['+5s', 5000],
      ['-1m', -60_000],
      ['-.5s', -500],
    ];
    for (const [text, ms] of cases) assert.equal(parseGoDuration(text), ms, text);
  });

  it("rejects what Go rejects, in Go's words", () => {
    const cases: [string, string][] = [
      ['', 'time: invalid duration ""'],
      ['-', 'time: invalid duration "-"'],
      ['+', 'time: invalid duration "+"'],
      ['abc', 'time: invalid duration "abc"'],
      ['.s', 'time: invalid duration ".s"'],
      ['s', 'time: invalid duration "s"'],
      ['5', 'time: missing unit in duration "5"'],
      ['00', 'time: missing unit in duration "00"'],
      ['1h5', 'time: missing unit in duration "1h5"'],
      ['1.2.3s', 'time: missing unit in duration "1.2.3s"'],
      ['1.5.s', 'time: missing unit in duration "1.5.s"'],
      ['5min', 'time: unknown unit "min" in duration "5min"'],
      ['1d', 'time: unknown unit "d" in duration "1d"'],
      ['5 m', 'time: unknown unit " m" in duration "5 m"'],
      ['5 minutes', 'time: unknown unit " minutes" in duration "5 minutes"'],
      ['3000000h', 'time: invalid duration "3000000h"'],
    ];
    for (const [text, message] of cases) assert.equal(parseGoDuration(text), message, text);
  });

  it('answers yes/no and milliseconds-or-undefined for callers that need no message', () => {
    assert.equal(isGoDuration('1h30m'), true);
    assert.equal(isGoDuration('45'), false);
    assert.equal(goDurationToMs('1.5s'), 1500);
    assert.equal(goDurationToMs('nope'), undefined);
  });

  it('says why a timeout is unusable and what to write instead', () => {
    assert.equal(durationProblem('45s', 'init timeout'), undefined);
    assert.match(durationProblem('45', 'init timeout') ?? '', /^init timeout "45" is not a duration: use .*"45s"/);
    assert.match(durationProblem('-5s', 'obj timeout') ?? '', /^obj timeout "-5s" is negative/);
  });
});
