import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkEtlName, nameFromPath, uniqueEtlName } from '../../../src/commands/etlNames';

test('generic file names take the folder name', () => {
  assert.equal(nameFromPath('/ws/transformer-md5/code.py'), 'transformer-md5');
  assert.equal(nameFromPath('/ws/md5/server/spec.yaml'), 'server');
  assert.equal(nameFromPath('/ws/md5/resize_images.py'), 'resize-images');
});

test('a taken name gets the first free -N suffix, unless this file deployed it', () => {
  assert.equal(uniqueEtlName('transformer-md5', ['transformer-md5', 'transformer-md5-2']), 'transformer-md5-3');
  assert.equal(uniqueEtlName('transformer-md5', ['transformer-md5'], ['transformer-md5']), 'transformer-md5');
  assert.equal(uniqueEtlName('a'.repeat(32), ['a'.repeat(32)]).length, 32);
});

test('the name box names the broken rule, and warns about a taken name without blocking', () => {
  assert.match(JSON.stringify(checkEtlName('ab', [], 'local')), /too short/);
  assert.deepEqual(checkEtlName('free-name', [], 'local'), undefined);
  assert.match(
    JSON.stringify(checkEtlName('taken-name', [{ name: 'taken-name', stage: 'Running' }], 'local')),
    /warning.*already exists on local \(Running\)/,
  );
});
