import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes, pluralize } from '../../../src/services/format';
import { CancelledError, formatError, isCancellation, UiError } from '../../../src/services/errors';

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
  const e = Object.assign(new Error('the operation requires Kubernetes'), {
    hint: 'use the local cluster or an AIS on Kubernetes',
  });
  assert.equal(formatError(e), 'the operation requires Kubernetes — use the local cluster or an AIS on Kubernetes');
  assert.equal(
    formatError(Object.assign(new Error('bad.yaml:4: one container expected.'), { hint: 'fix it' })),
    'bad.yaml:4: one container expected — fix it',
  );
  assert.equal(formatError(new Error('plain')), 'plain');
  assert.equal(formatError('str'), 'str');
  assert.equal(isCancellation(Object.assign(new Error('x'), { name: 'AbortError' })), true);
  assert.equal(isCancellation(new Error('x')), false);
});

test('UiError carries hint, cause and actions; CancelledError is a cancellation', () => {
  const cause = new Error('ECONNREFUSED');
  const e = new UiError("Can't reach the cluster", { hint: 'start it first', cause });
  assert.equal(formatError(e), "Can't reach the cluster — start it first");
  assert.equal(e.cause, cause);
  assert.deepEqual(e.actions, []);
  assert.equal(isCancellation(new CancelledError()), true);
  assert.equal(isCancellation(e), false);
});
