import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeInitMsg, formatBytes, pluralize } from '../../../src/services/format';
import { formatError, isCancellation } from '../../../src/services/errors';

test('bytes and counts', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(1023), '1023 B');
  assert.equal(formatBytes(1536), '1.50 KiB');
  assert.equal(formatBytes(5 * 1024 ** 3), '5.00 GiB');
  assert.equal(formatBytes(150 * 1024 ** 2), '150 MiB');
  assert.equal(formatBytes(undefined), '');
  assert.equal(pluralize(1, 'object'), '1 object');
  assert.equal(pluralize(2, 'object'), '2 objects');
});

test('engine errors show message — hint; cancellations are recognised', () => {
  const e = Object.assign(new Error('the operation requires Kubernetes'), { hint: 'use the local cluster or an AIS on Kubernetes' });
  assert.equal(formatError(e), 'the operation requires Kubernetes — use the local cluster or an AIS on Kubernetes');
  assert.equal(formatError(Object.assign(new Error('bad.yaml:4: one container expected.'), { hint: 'fix it' })), 'bad.yaml:4: one container expected — fix it');
  assert.equal(formatError(new Error('plain')), 'plain');
  assert.equal(formatError('str'), 'str');
  assert.equal(isCancellation(Object.assign(new Error('x'), { name: 'AbortError' })), true);
  assert.equal(isCancellation(new Error('x')), false);
});

test('comm type and runtime/image from init messages of every kind', () => {
  assert.deepEqual(describeInitMsg({ comm_type: 'hpull://', runtime: { image: 'aistore/md5:v1' } }), { commType: 'hpull://', runtime: 'aistore/md5:v1' });
  assert.deepEqual(describeInitMsg({ communication: 'io://', runtime: 'python3.11v2' }), { commType: 'io://', runtime: 'python3.11v2' });
  const spec = Buffer.from('spec:\n  containers:\n    - name: server\n      image: docker.io/aistore/md5_server:v1\n').toString('base64');
  assert.deepEqual(describeInitMsg({ comm_type: 'hpush://', spec }), { commType: 'hpush://', runtime: 'docker.io/aistore/md5_server:v1' });
  assert.deepEqual(describeInitMsg(undefined), {});
});
