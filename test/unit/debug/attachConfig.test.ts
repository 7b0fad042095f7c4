import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ATTACH_KEY, attachConfigurations, attachInfo } from '../../../src/debug/attachConfig';

const targets = [
  { targetId: 'tA', host: '127.0.0.1', port: 5001, workDir: '/d/.etl/md5/tA', codeFile: '/d/.etl/md5/tA/code.py' },
  { targetId: 'tB', host: '127.0.0.1', port: 5002, workDir: '/d/.etl/md5/tB', codeFile: '/d/.etl/md5/tB/code.py' },
];

test('one attach session per target, the worker copy mapped to the deployed file', () => {
  const cs = attachConfigurations('local', 'md5', targets, '/home/u/etl/code.py');
  assert.deepEqual(
    cs.map((c) => c.name),
    ['ETL md5 on t[tA]', 'ETL md5 on t[tB]'],
  );
  assert.deepEqual(cs[1].pathMappings, [{ localRoot: '/home/u/etl/code.py', remoteRoot: '/d/.etl/md5/tB/code.py' }]);
  assert.deepEqual(attachInfo(cs[0]), {
    cluster: 'local',
    etl: 'md5',
    host: '127.0.0.1',
    port: 5001,
  });
  assert.equal(cs[0].request, 'attach');
});

test('without a known deployed file the worker folder maps to itself', () => {
  const [c] = attachConfigurations('local', 'md5', targets.slice(0, 1), undefined);
  assert.deepEqual(c.pathMappings, [{ localRoot: '/d/.etl/md5/tA', remoteRoot: '/d/.etl/md5/tA' }]);
});

test('attachInfo ignores launch configurations and malformed values', () => {
  assert.equal(attachInfo({ type: 'aistore-etl', request: 'launch' }), undefined);
  assert.equal(attachInfo({ [ATTACH_KEY]: { cluster: 'local', etl: 'md5', host: 'h', port: '1' } }), undefined);
});
