import { test } from 'node:test';
import assert from 'node:assert/strict';
import { etlStage, isEtlRunning } from '../../../../src/engine/ais/etl-stage';
import { bucketNameError } from '../../../../src/engine/ais/names';

test('ETL stages in any case map to one name; anything else is unknown', () => {
  assert.equal(etlStage('Running'), 'running');
  assert.equal(etlStage('ABORTED'), 'aborted');
  assert.equal(etlStage('Initializing'), 'initializing');
  assert.equal(etlStage('Stopped'), 'stopped');
  assert.equal(etlStage('Weird'), 'unknown');
  assert.equal(etlStage(undefined), 'unknown');
  assert.equal(isEtlRunning('running'), true);
  assert.equal(isEtlRunning('Initializing'), false);
});

test('bucket names follow AIS: letters, digits, - _ . ; no leading dot, no "..", at most 64 bytes', () => {
  assert.equal(bucketNameError('a.b-c_D9'), undefined);
  assert.equal(bucketNameError('a'.repeat(64)), undefined);
  assert.match(bucketNameError('a'.repeat(65)) ?? '', /too long/);
  assert.match(bucketNameError('has space') ?? '', /invalid/);
  assert.match(bucketNameError('a..b') ?? '', /invalid/);
  assert.match(bucketNameError('.sys') ?? '', /reserved/);
  assert.equal(bucketNameError(''), 'bucket name is missing');
});
