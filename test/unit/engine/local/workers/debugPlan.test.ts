// Which running ETLs a debugger can attach to, and the file of each that the user's deployed file maps onto.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildPythonWrapper, wrapperCommand, wrapperEnv } from '../../../../../src/engine/etl/wrapper';
import { debugPlan } from '../../../../../src/engine/local/workers/debugPlan';
import type { ContainerSource, LocalEtlSpec } from '../../../../../src/engine/local/workers/types';

const spec = (source: LocalEtlSpec['source'], commType: LocalEtlSpec['commType'] = 'hpush://'): LocalEtlSpec => ({
  name: 'md5-etl',
  commType,
  initTimeoutMs: 1000,
  objTimeoutMs: 1000,
  supportDirectPut: true,
  source,
  env: [],
});
const container = (o: Partial<ContainerSource>): ContainerSource => ({
  type: 'container',
  image: 'aistorage/runtime_python:3.11',
  env: [],
  origin: 'runtime-spec',
  ...o,
});
const wrapper = buildPythonWrapper({
  userCode: 'def transform(b):\n    return b\n',
  functionName: 'transform',
  server: 'http',
});

test('a code ETL maps onto the worker copy code.py; io:// is refused', () => {
  const code = { type: 'code', code: '', runtime: 'python3.11v2', functionName: 'transform' } as const;
  assert.deepEqual(debugPlan(spec(code)), { ok: true, kind: 'code', codeFile: 'code.py', sourceNames: [] });
  const io = debugPlan(spec({ type: 'io', code: '', runtime: 'python3.11v2' }, 'io://'));
  assert.equal(io.ok, false);
  assert.match(io.ok ? '' : io.problem, /io:\/\/ ETL .*Debug ETL on this object/);
});

test('the SDK wrapper (with or without dependencies) has its user code written to etl_code.py', () => {
  for (const command of [wrapperCommand(), wrapperCommand('numpy\n')]) {
    const env = wrapperEnv(wrapper).map((e) => ({ name: e.name, value: e.value ?? '' }));
    const plan = debugPlan(spec(container({ command, env })));
    assert.deepEqual(plan, { ok: true, kind: 'wrapped code', codeFile: 'etl_code.py', sourceNames: ['etl_code.py'] });
  }
});

test('an init_class payload is renamed to etl_class.py; a Python file server needs no mapping', () => {
  const cls = debugPlan(spec(container({ env: [{ name: 'ETL_CLASS_PAYLOAD', value: 'gASV' }] })));
  assert.deepEqual(cls, { ok: true, kind: 'class', codeFile: 'etl_class.py', sourceNames: ['etl_class.py'] });
  for (const command of [
    ['python', '-u', '/code/server.py', '-c', 'x'],
    ['/code/server.py', '--port', '80'],
  ]) {
    assert.deepEqual(debugPlan(spec(container({ command, origin: 'pod-spec' }))), {
      ok: true,
      kind: 'server',
      sourceNames: [],
    });
  }
});

test('inline python -c (not the wrapper) is refused naming what attaching works for', () => {
  for (const command of [
    ['python', '-c', 'print(1)'],
    ['python3.11', '-uc', 'print(1)'],
  ]) {
    const plan = debugPlan(spec(container({ command })));
    assert.equal(plan.ok, false);
    const problem = plan.ok ? '' : plan.problem;
    assert.match(problem, /inline Python \(python -c\)/);
    assert.match(problem, /code ETLs .*ETLServer classes .*Pod\/runtime-spec ETLs whose command runs a Python file/);
  }
});
