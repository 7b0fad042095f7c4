import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aisUriComponents, parseAisUri } from '../../../src/editors/aisUri';

test('ais URIs: cluster as authority, bucket, then the object name with its slashes', () => {
  assert.deepEqual(parseAisUri('local', '/transform/shard.in'), {
    cluster: 'local',
    bucket: 'transform',
    object: 'shard.in',
  });
  assert.deepEqual(parseAisUri('prod', '/b/a/b/c.tar'), { cluster: 'prod', bucket: 'b', object: 'a/b/c.tar' });
  assert.deepEqual(parseAisUri('prod', '/b'), { cluster: 'prod', bucket: 'b', object: '' });
  assert.deepEqual(parseAisUri('prod', '/b/dir/'), { cluster: 'prod', bucket: 'b', object: 'dir/' });
});

test('components round-trip through the parser', () => {
  for (const loc of [
    { cluster: 'local', bucket: 'b', object: 'x/y z.bin' },
    { cluster: 'c', bucket: 'b', object: '' },
  ]) {
    const c = aisUriComponents(loc);
    assert.equal(c.scheme, 'ais');
    assert.deepEqual(parseAisUri(c.authority, c.path), loc);
  }
  assert.equal(aisUriComponents({ cluster: 'c', bucket: '', object: '' }).path, '/');
});
