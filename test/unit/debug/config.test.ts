import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEBUG_TYPE, INITIAL_CONFIGURATIONS, configProblem, parseObjectSource } from '../../../src/debug/config';

test('objects are "ais://bucket/object" or {bucket, object, cluster?}', () => {
  assert.deepEqual(parseObjectSource('ais://transform/shard.in'), { bucket: 'transform', object: 'shard.in' });
  assert.deepEqual(parseObjectSource('b/dir/o.txt'), { bucket: 'b', object: 'dir/o.txt' });
  const full = { cluster: 'c', bucket: 'b', object: 'o' };
  assert.deepEqual(parseObjectSource(full), full);
  assert.equal(parseObjectSource('ais://only-bucket'), undefined);
  assert.equal(parseObjectSource({ bucket: 'b', object: '' }), undefined);
});

test('configProblem says what to fix', () => {
  const base = { type: DEBUG_TYPE, request: 'launch', name: 'x' };
  assert.match(configProblem(base) ?? '', /"file"/);
  assert.match(configProblem({ ...base, file: '/a.py', object: 'nobucket' }) ?? '', /ais:\/\/bucket\/object/);
  assert.match(configProblem({ ...base, file: '/a.py', aisVersion: 'latest' }) ?? '', /aisVersion/);
  assert.equal(configProblem({ ...base, file: '/a.py', object: 'ais://b/o', aisVersion: '3.29' }), undefined);
});

test('launch.json starters are valid configurations of this debugger', () => {
  for (const c of INITIAL_CONFIGURATIONS) {
    assert.equal(c.type, DEBUG_TYPE);
    assert.equal(configProblem({ ...c, file: '/etl/code.py' }), undefined);
  }
});

test('package.json declares the debugger with the same type and the debug commands', () => {
  type Pkg = { contributes: { debuggers: { type: string }[]; commands: { command: string }[] } };
  const pkg = require('../../../package.json') as Pkg;
  assert.ok(pkg.contributes.debuggers.some((d) => d.type === DEBUG_TYPE));
  const ids = pkg.contributes.commands.map((c) => c.command);
  assert.ok(ids.includes('aistore.debugEtl') && ids.includes('aistore.debugEtlOnObject'));
});
