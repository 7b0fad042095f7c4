// Normalisation of every init dialect into LocalEtlSpec (no HTTP, no workers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseInitMsg } from '../../../../../src/engine/local/etl/init-msg';
import { parseGoDuration } from '../../../../../src/engine/common/goDuration';
import { AisHttpError } from '../../../../../src/engine/local/errors';
import { aisProfile } from '../../../../../src/engine/local/version';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const parse = (o: unknown) => parseInitMsg(JSON.stringify(o)); // 5.0, the default
const parse329 = (o: unknown) => parseInitMsg(JSON.stringify(o), aisProfile('3.29'));

test('3.16 InitCodeMsg: id/timeout/Funcs/chunk_size → code source with defaults', () => {
  const p = parse329({
    id: 'old-style',
    communication: 'hpull://',
    timeout: '0s',
    code: b64('def f(b): return b'),
    dependencies: b64('requests\n'),
    runtime: 'python3.10v2',
    Funcs: { transform: 'f' },
    chunk_size: 1024,
    flags: 0,
    argument: 'fqn',
  });
  assert.equal(p.dialect, 'v3.16');
  assert.equal(p.kind, 'code');
  assert.equal(p.spec.name, 'old-style');
  assert.equal(p.spec.commType, 'hpull://');
  assert.equal(p.spec.initTimeoutMs, 45_000);
  assert.equal(p.spec.objTimeoutMs, 10_000);
  assert.deepEqual(p.spec.source, {
    type: 'code',
    code: 'def f(b): return b',
    dependencies: 'requests\n',
    runtime: 'python3.10v2',
    functionName: 'f',
    chunkSize: 1024,
    argType: 'fqn',
  });
});

test('3.29 io:// code → io source; keys matched case-insensitively', () => {
  const p = parse329({
    NAME: 'compute-md5',
    Communication: 'io://',
    runtime: 'python3.11v2',
    code: b64('import sys'),
    init_timeout: '1m30s',
    obj_timeout: '45s',
  });
  assert.equal(p.spec.name, 'compute-md5');
  assert.deepEqual(p.spec.source, { type: 'io', code: 'import sys', runtime: 'python3.11v2' });
  assert.equal(p.spec.initTimeoutMs, 90_000);
  assert.equal(p.spec.objTimeoutMs, 45_000);
});

test('pod spec → container source with port, command, env and readiness; annotations as fallbacks', () => {
  const yaml =
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: from-meta\n  annotations:\n    communication_type: "hpull://"\n    wait_timeout: 2m\n    support_direct_put: "true"\nspec:\n  containers:\n  - name: c\n    image: img:1\n    command: [python, s.py]\n    args: ["--port", "8080"]\n    env: [{name: A, value: "1"}]\n    ports: [{name: default, containerPort: 8080}]\n    readinessProbe: {httpGet: {path: /healthz, port: default}}\n';
  const p = parse({ spec: b64(yaml), env: [{ name: 'TOP', value: 'x' }] });
  assert.equal(p.kind, 'pod-spec');
  assert.equal(p.spec.name, 'from-meta');
  assert.equal(p.spec.commType, 'hpull://');
  assert.equal(p.spec.initTimeoutMs, 120_000);
  assert.equal(p.spec.supportDirectPut, true);
  assert.deepEqual(p.spec.env, [{ name: 'TOP', value: 'x' }]);
  assert.deepEqual(p.spec.source, {
    type: 'container',
    image: 'img:1',
    command: ['python', 's.py'],
    args: ['--port', '8080'],
    env: [{ name: 'A', value: '1' }],
    port: 8080,
    readinessPath: '/healthz',
    origin: 'pod-spec',
  });
});

test('3.29 runtime-spec YAML inside "spec" and 5.0 ETLSpecMsg → container on port 8000 with /health', () => {
  assert.throws(() => parse({ spec: b64('name: rts-etl\nruntime:\n  image: i\n') }), /Object 'Kind' is missing/); // not on 5.0
  const p = parse329({
    spec: b64('name: rts-etl\nruntime:\n  image: aistorage/transformer_md5:latest\n  command: [a, b]\n'),
  });
  assert.equal(p.kind, 'runtime-spec');
  assert.equal(p.spec.name, 'rts-etl');
  assert.deepEqual(p.spec.source, {
    type: 'container',
    image: 'aistorage/transformer_md5:latest',
    command: ['a', 'b'],
    env: [],
    port: 8000,
    readinessPath: '/health',
    origin: 'runtime-spec',
  });
  const q = parse({
    name: 'hello-world-etl',
    communication: 'ws://',
    support_direct_put: true,
    runtime: { image: 'x', env: [{ name: 'N', value: '4' }] },
  });
  assert.equal(q.dialect, 'v5.0');
  assert.equal(q.spec.commType, 'ws://');
});

test('3.29 code-init errors', () => {
  const cases: [unknown, RegExp][] = [
    [
      { name: 'valid-name', code: b64('x'), runtime: 'python3.11v2', chunk_size: 2 << 20 },
      /chunk-size \d+ is invalid, expecting 0 <= chunk-size <= MiB/,
    ],
    [{ name: 'valid-name', code: '!!notbase64!!', runtime: 'python3.11v2' }, /illegal base64/],
  ];
  for (const [m, re] of cases) {
    assert.throws(
      () => parse329(m),
      (e: unknown) => e instanceof AisHttpError && e.status === 400 && re.test(e.message),
      JSON.stringify(m),
    );
  }
});

test('errors are 400 AisHttpErrors with the server wording', () => {
  const cases: [unknown, RegExp][] = [
    [{ name: 'x'.repeat(33), runtime: { image: 'i' } }, /ETL name "x+" is too long/],
    [
      {
        name: 'valid-name',
        spec: b64(
          'kind: Pod\nspec:\n  containers:\n  - image: a\n    ports: [{name: default, containerPort: 80}]\n    readinessProbe: {exec: {}}\n',
        ),
      },
      /httpGet missing in the readinessProbe/,
    ],
    [
      {
        name: 'valid-name',
        spec: b64(
          'kind: Pod\nspec:\n  affinity: {nodeAffinity: {x: 1}}\n  containers:\n  - image: a\n    ports: [{name: default, containerPort: 80}]\n    readinessProbe: {httpGet: {path: /h, port: default}}\n',
        ),
      },
      /NodeAffinities/,
    ],
    [
      {
        name: 'valid-name',
        spec: b64('kind: Pod\nspec:\n  containers:\n  - image: a\n    ports: [{name: default, containerPort: 80}]\n'),
      },
      /readinessProbe section is required in a container spec/,
    ],
    [
      { name: 'valid-name', init_timeout: '5 minutes', runtime: { image: 'i' } },
      /time: unknown unit " minutes" in duration "5 minutes"/,
    ],
  ];
  for (const [m, re] of cases) {
    assert.throws(
      () => parse(m),
      (e: unknown) => e instanceof AisHttpError && e.status === 400 && re.test(e.message),
      JSON.stringify(m),
    );
  }
});

test('Go durations', () => {
  assert.equal(parseGoDuration('45s'), 45_000);
  assert.equal(parseGoDuration('1h30m'), 5_400_000);
  assert.equal(parseGoDuration('1.5m'), 90_000);
  assert.equal(parseGoDuration('300ms'), 300);
  assert.equal(parseGoDuration('0'), 0);
  assert.match(String(parseGoDuration('5')), /missing unit/);
  assert.match(String(parseGoDuration('x')), /invalid duration/);
});

// The exact bodies aistore SDK 1.25.0 sends (sdk/types.py InitSpecETLArgs.as_dict, ETLSpecMsg.as_dict): its
// methods take "hpush"/"hpull"/"ws" and append "://" themselves, so the wire always has the full form.
test('SDK 1.25.0 init bodies (init_spec, init) are accepted with their comm types; a bare "hpush" is not (as AIS)', () => {
  const podSpec =
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: md5\nspec:\n  containers:\n    - name: server\n      image: docker.io/aistore/md5_server:v1\n      ports: [{ name: default, containerPort: 80 }]\n      command: ["gunicorn", "server:app", "--bind", "0.0.0.0:80"]\n      readinessProbe: {httpGet: {path: /health, port: default}}\n';
  const initSpec = parse({
    name: 'sdk-spec',
    init_timeout: '2m',
    obj_timeout: '45s',
    communication: 'hpush://',
    spec: b64(podSpec),
  });
  assert.equal(initSpec.spec.commType, 'hpush://');
  assert.equal(initSpec.spec.source.type, 'container');
  for (const comm of ['hpush', 'hpull', 'ws']) {
    const p = parse({
      name: 'sdk-web',
      communication: `${comm}://`,
      init_timeout: '2m',
      obj_timeout: '45s',
      support_direct_put: true,
      runtime: { image: 'aisetl/x:v1', command: ['python', '/code/server.py', '--port', '8000'] },
    });
    assert.equal(p.spec.commType, `${comm}://`);
    assert.equal(p.spec.initTimeoutMs, 120_000);
  }
  assert.throws(
    () => parse({ name: 'sdk-web', communication: 'hpush', runtime: { image: 'aisetl/x:v1' } }),
    (e: unknown) =>
      e instanceof AisHttpError &&
      e.status === 400 &&
      /unknown comm-type "hpush" \[init-etl-spec\[sdk-web-hpush\]\]/.test(e.message),
  );
});
