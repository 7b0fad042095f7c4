import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bucketTarget, clusterTarget, etlNameFromFile, etlTarget, objectTarget, parsePipeline } from '../../../src/commands/args';

test('object target from a tree node, plain args, a Uri-like and an ais:// string', () => {
  assert.deepEqual(objectTarget({ kind: 'object', clusterId: 'local', bucket: 'b', object: 'd/o.txt' }), { cluster: 'local', bucket: 'b', object: 'd/o.txt' });
  assert.deepEqual(objectTarget({ bucket: 'transform', object: 'shard.in' }), { cluster: undefined, bucket: 'transform', object: 'shard.in' });
  assert.deepEqual(objectTarget({ scheme: 'ais', authority: 'prod', path: '/b/x/y.bin' }), { cluster: 'prod', bucket: 'b', object: 'x/y.bin' });
  assert.deepEqual(objectTarget('ais://local/b/o%20space'), { cluster: 'local', bucket: 'b', object: 'o space' });
  assert.equal(objectTarget({ bucket: 'b' }), undefined);
  assert.equal(objectTarget(undefined), undefined);
});

test('bucket target from node, string and Uri-like', () => {
  assert.deepEqual(bucketTarget({ kind: 'bucket', clusterId: 'c', bucket: 'b' }), { cluster: 'c', bucket: 'b' });
  assert.deepEqual(bucketTarget('ais://local/b'), { cluster: 'local', bucket: 'b' });
  assert.equal(bucketTarget('ais://local'), undefined);
  assert.deepEqual(bucketTarget('plain'), { bucket: 'plain' });
  assert.deepEqual(bucketTarget({ scheme: 'ais', authority: 'c', path: '/b' }), { cluster: 'c', bucket: 'b' });
  assert.equal(bucketTarget({}), undefined);
});

test('ETL target from node, plain args and a name', () => {
  assert.deepEqual(etlTarget({ kind: 'etlTarget', clusterId: 'c', etlName: 'md5', targetId: 't1' }), { cluster: 'c', etl: 'md5', target: 't1' });
  assert.deepEqual(etlTarget({ cluster: 'c', etl: 'md5' }), { cluster: 'c', etl: 'md5', target: undefined });
  assert.deepEqual(etlTarget('md5'), { etl: 'md5' });
  assert.equal(etlTarget({ cluster: 'c' }), undefined);
  assert.equal(clusterTarget({ clusterId: 'x' }), 'x');
  assert.equal(clusterTarget('y'), 'y');
});

test('pipeline text and ETL names from file names', () => {
  assert.deepEqual(parsePipeline(' a, b  c,,'), ['a', 'b', 'c']);
  assert.deepEqual(parsePipeline(undefined), []);
  assert.equal(etlNameFromFile('/w/My_MD5.py'), 'my-md5');
  assert.equal(etlNameFromFile('C:\\w\\spec.yaml'), 'spec');
  assert.equal(etlNameFromFile('123.py'), 'etl-123');
});
