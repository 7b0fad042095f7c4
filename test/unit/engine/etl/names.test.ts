import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  normalizeCommType,
  serverEtlNameError,
  suggestEtlName,
  validateEtlName,
  ETL_NAME_PATTERN,
} from '../../../../src/engine/etl';

describe('validateEtlName', () => {
  it('accepts names that match the recommended pattern', () => {
    for (const n of ['transformer-md5', 'compute-md5', 'abcdef', 'a'.repeat(32), 'md5-2-sha1']) {
      assert.equal(validateEtlName(n), undefined, n);
      assert.ok(ETL_NAME_PATTERN.test(n));
    }
  });
  it("returns the server's exact messages", () => {
    assert.equal(validateEtlName(''), 'ETL name "" is empty');
    assert.equal(validateEtlName('abc'), 'ETL name "abc" is too short');
    assert.equal(validateEtlName('a'.repeat(33)), `ETL name "${'a'.repeat(33)}" is too long`);
    assert.equal(validateEtlName('My_ETL'), 'ETL name "My_ETL" is invalid: can only contain [a-z0-9-]');
    assert.equal(validateEtlName('my_etl_x'), 'ETL name "my_etl_x" is invalid: can only contain [a-z0-9-]');
    assert.equal(validateEtlName('MyEtlName'), 'ETL name "MyEtlName" is invalid: can only contain [a-z0-9-]');
  });
  it('adds the stricter start/end rule the server does not check', () => {
    for (const n of ['1abcde', '-abcde', 'abcde-']) {
      assert.equal(serverEtlNameError(n), undefined, `server accepts ${n}`);
      assert.match(validateEtlName(n)!, /must start with a lowercase letter and end with a lowercase letter or digit/);
    }
  });
});

describe('suggestEtlName', () => {
  it('turns near-misses into valid names', () => {
    assert.equal(suggestEtlName('My_ETL'), 'my-etl');
    assert.equal(suggestEtlName('Compute MD5'), 'compute-md5');
    assert.equal(suggestEtlName('1-abc'), 'abc-etl');
    const long = suggestEtlName('x'.repeat(40))!;
    assert.equal(long.length, 32);
    for (const s of ['My_ETL', 'Compute MD5', 'ab', 'etl_spec'])
      assert.equal(validateEtlName(suggestEtlName(s)!), undefined, s);
  });
  it('gives up on names with no letters', () => {
    assert.equal(suggestEtlName('1234_-'), undefined);
  });
});

describe('normalizeCommType', () => {
  it('adds the :// suffix and lowercases', () => {
    assert.equal(normalizeCommType('hpush'), 'hpush://');
    assert.equal(normalizeCommType('HPULL://'), 'hpull://');
    assert.equal(normalizeCommType(' ws '), 'ws://');
    assert.equal(normalizeCommType('io://'), 'io://');
  });
  it('rejects unknown and removed comm types', () => {
    for (const x of ['hrev://', 'hrev', 'http://', 'grpc', '', '://']) assert.equal(normalizeCommType(x), undefined, x);
  });
});
