import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bucketRef, clusterRef, etlNameFromFile, etlRef, objectRef, parsePipeline } from '../../../src/commands/args';
import type { BucketNode, EtlNode, EtlTargetNode, ObjectNode } from '../../../src/views/treeNodes';

const view = { label: 'x', icon: 'x', contextValue: 'x', collapsible: 'none' as const };
const cluster = { ...view, id: 'c:c', kind: 'cluster' as const, clusterId: 'c', local: false };
const buckets = { ...view, id: 'c:c|buckets', kind: 'buckets' as const, clusterId: 'c', parent: cluster };
const bucket: BucketNode = {
  ...view,
  id: 'c:c|b:b',
  kind: 'bucket',
  clusterId: 'c',
  parent: buckets,
  bucket: 'b',
  provider: 'ais',
};
const object: ObjectNode = {
  ...view,
  id: 'o',
  kind: 'object',
  clusterId: 'c',
  parent: bucket,
  bucket: 'b',
  object: 'd/o.txt',
};
const etls = { ...view, id: 'e', kind: 'etls' as const, clusterId: 'c', parent: cluster };
const etl: EtlNode = {
  ...view,
  id: 'c:c|e:md5',
  kind: 'etl',
  clusterId: 'c',
  parent: etls,
  etlName: 'md5',
  stage: 'Running',
};
const target: EtlTargetNode = {
  ...view,
  id: 't',
  kind: 'etlTarget',
  clusterId: 'c',
  parent: etl,
  etlName: 'md5',
  targetId: 't1',
};

test('object reference from a tree node, plain args and an ais: Uri', () => {
  assert.deepEqual(objectRef(object), { cluster: 'c', bucket: 'b', object: 'd/o.txt' });
  assert.deepEqual(objectRef({ bucket: 'transform', object: 'shard.in' }), { bucket: 'transform', object: 'shard.in' });
  assert.deepEqual(objectRef({ scheme: 'ais', authority: 'prod', path: '/b/x/y.bin' }), {
    cluster: 'prod',
    bucket: 'b',
    object: 'x/y.bin',
  });
  assert.deepEqual(objectRef({ scheme: 'file', authority: '', path: '/etc/hosts' }), {});
  assert.deepEqual(objectRef(undefined), {});
});

test('bucket reference from a bucket or object node and a Uri', () => {
  assert.deepEqual(bucketRef(bucket), { cluster: 'c', bucket: 'b' });
  assert.deepEqual(bucketRef(object), { cluster: 'c', bucket: 'b' });
  assert.deepEqual(bucketRef({ scheme: 'ais', authority: 'c', path: '/b' }), { cluster: 'c', bucket: 'b' });
  assert.deepEqual(bucketRef({ scheme: 'ais', authority: 'c', path: '/' }), { cluster: 'c', bucket: undefined });
});

test('ETL reference from ETL and target nodes and plain args; cluster of any node', () => {
  assert.deepEqual(etlRef(etl), { cluster: 'c', etl: 'md5', target: undefined });
  assert.deepEqual(etlRef(target), { cluster: 'c', etl: 'md5', target: 't1' });
  assert.deepEqual(etlRef({ cluster: 'c', etl: 'md5' }), { cluster: 'c', etl: 'md5' });
  assert.equal(clusterRef(bucket), 'c');
  assert.equal(clusterRef({ cluster: 'y' }), 'y');
  assert.equal(clusterRef(undefined), undefined);
});

test('pipeline text and ETL names from file names', () => {
  assert.deepEqual(parsePipeline(' a, b  c,,'), ['a', 'b', 'c']);
  assert.deepEqual(parsePipeline(undefined), []);
  assert.equal(etlNameFromFile('/w/My_MD5.py'), 'my-md5');
  assert.equal(etlNameFromFile('C:\\w\\spec.yaml'), 'spec-etl');
  assert.equal(etlNameFromFile('123.py'), 'etl-123');
});
