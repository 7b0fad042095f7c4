import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podSpecImage, summarizeInitMsg } from '../../../../src/engine/etl/initSummary';

test('comm type and runtime/image from init messages of every kind', () => {
  assert.deepEqual(summarizeInitMsg({ comm_type: 'hpull://', runtime: { image: 'aistore/md5:v1' } }), {
    commType: 'hpull://',
    runtime: 'aistore/md5:v1',
  });
  assert.deepEqual(summarizeInitMsg({ communication: 'io://', runtime: 'python3.11v2' }), {
    commType: 'io://',
    runtime: 'python3.11v2',
  });
  const yaml = 'spec:\n  containers:\n    - name: server\n      image: docker.io/aistore/md5_server:v1\n';
  const spec = Buffer.from(yaml).toString('base64');
  assert.deepEqual(summarizeInitMsg({ comm_type: 'hpush://', spec }), {
    commType: 'hpush://',
    runtime: 'docker.io/aistore/md5_server:v1',
  });
  assert.deepEqual(summarizeInitMsg(undefined), {});
});

test('pod spec image from plain YAML, base64 YAML, and nothing from garbage', () => {
  const yaml = 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - image: "repo/img:2"\n    - image: other\n';
  assert.equal(podSpecImage(yaml), 'repo/img:2');
  assert.equal(podSpecImage(Buffer.from(yaml).toString('base64')), 'repo/img:2');
  assert.equal(podSpecImage('spec: [unclosed'), undefined);
  assert.equal(podSpecImage('spec:\n  containers: []\n'), undefined);
});
