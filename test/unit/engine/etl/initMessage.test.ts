import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import {
  buildInitMessage,
  EtlDefinitionError,
  EXEC_ETL_SRC,
  parseEtlFile,
  type ClusterEtlCapabilities,
  type EtlDefinition,
} from '../../../../src/engine/etl';
import { ALL_COMM_TYPES, etlCluster, helloRuntimeSpec, tutorial } from './helpers';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (s: unknown) => Buffer.from(String(s), 'base64').toString('utf8');

const V316 = etlCluster({ dialect: 'v3.16', commTypes: ['hpush://', 'hpull://', 'io://'], codeInit: true });
const V329 = etlCluster({ dialect: 'v3.29', commTypes: [...ALL_COMM_TYPES], codeInit: true });
const V330 = etlCluster({ dialect: 'v3.30', commTypes: [...ALL_COMM_TYPES] });
const V50 = etlCluster();
const LOCAL = etlCluster({
  dialect: 'v3.29',
  local: true,
  commTypes: [...ALL_COMM_TYPES],
  codeInit: true,
  deployment: 'aisetl-local',
} as Partial<ClusterEtlCapabilities>);
const LOCAL50 = etlCluster({ local: true });

const CODE = tutorial('code.py');
const DEPS = 'numpy\npillow>=10\n';
const codeDef: EtlDefinition = { kind: 'code', code: CODE, runtime: 'python3.11v2', functionName: 'transform' };
const ioDef: EtlDefinition = { kind: 'io', code: tutorial('io/code.py'), runtime: 'python3.11v2', commType: 'io://' };
const podDef = parseEtlFile('spec.yaml', tutorial('spec.yaml')).definitions[0];

/** Same keys, and each field equal — reports the first differing field by name. */
function assertFields(actual: Record<string, unknown>, expected: Record<string, unknown>): void {
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), 'field names');
  for (const k of Object.keys(expected)) assert.deepEqual(actual[k], expected[k], `field "${k}"`);
}

describe('buildInitMessage: code ETLs on ≤3.29 (InitCodeMsg)', () => {
  it('v3.16 matches etl-api.md §5.2 (CLI, 3.16–3.28) field by field', () => {
    const built = buildInitMessage(
      codeDef,
      { name: 'my-etl', commType: 'hpull://', dependencies: DEPS, initTimeout: '0s' },
      V316,
    );
    assert.equal(built.dialect, 'v3.16');
    assertFields(built.body, {
      id: 'my-etl',
      communication: 'hpull://',
      argument: '',
      timeout: '0s',
      code: b64(CODE),
      dependencies: b64(DEPS),
      runtime: 'python3.11v2',
      Funcs: { transform: 'transform' },
      chunk_size: 0,
      flags: 0,
    });
  });

  it('v3.29 matches etl-api.md §5.2 (Python SDK 1.13.9) field by field, with the SDK default timeouts', () => {
    const built = buildInitMessage(codeDef, { name: 'my-etl', commType: 'hpull://', dependencies: DEPS }, V329);
    assert.equal(built.dialect, 'v3.29');
    assertFields(built.body, {
      name: 'my-etl',
      runtime: 'python3.11v2',
      communication: 'hpull://',
      init_timeout: '5m',
      obj_timeout: '45s',
      funcs: { transform: 'transform' },
      code: b64(CODE),
      dependencies: b64(DEPS),
      argument: '',
    });
  });

  it('io:// script on 3.29 is an InitCodeMsg with communication io://', () => {
    const built = buildInitMessage(ioDef, { name: 'compute-md5' }, V329);
    assert.equal(built.body.communication, 'io://');
    assert.equal(unb64(built.body.code), tutorial('io/code.py'));
  });

  it('io:// is refused where the cluster does not list it', () => {
    assert.throws(
      () => buildInitMessage(ioDef, { name: 'compute-md5' }, { ...V329, commTypes: ['hpush://', 'hpull://', 'ws://'] }),
      (e: Error) => e instanceof EtlDefinitionError && /does not accept communication "io:\/\/"/.test(e.message),
    );
  });

  it('ws:// fills support_direct_put and says so', () => {
    const built = buildInitMessage(codeDef, { name: 'my-etl', commType: 'ws://' }, V329);
    assert.equal(built.body.support_direct_put, true);
    assert.ok(built.notes.some((n) => /support_direct_put is set to true/.test(n)));
  });
});

describe('buildInitMessage: ≥3.30 wrapper for code and io:// (ETLSpecMsg on the runtime image)', () => {
  it('has the §6.2 (a) shape: runtime_python image, python -c exec(ETL_SRC), ETL_SRC env', () => {
    const built = buildInitMessage(codeDef, { name: 'md5-code-etl' }, V50);
    assert.equal(built.dialect, 'v5.0');
    const runtime = built.body.runtime as { image: string; command: string[]; env: { name: string; value: string }[] };
    assertFields(built.body, {
      name: 'md5-code-etl',
      communication: 'hpush://',
      init_timeout: '5m',
      obj_timeout: '45s',
      support_direct_put: true,
      runtime: {
        image: 'aistorage/runtime_python:3.11',
        command: ['python', '-c', "import base64,os;exec(base64.b64decode(os.environ['ETL_SRC']).decode())"],
        env: runtime.env,
      },
    });
    assert.equal(runtime.command[2], EXEC_ETL_SRC);
    assert.deepEqual(
      runtime.env.map((e) => e.name),
      ['ETL_SRC'],
    );
    const wrapper = unb64(runtime.env[0].value);
    assert.match(
      wrapper,
      /from aistore\.sdk\.etl\.webserver\.http_multi_threaded_server import HTTPMultiThreadedServer/,
    );
    assert.ok(wrapper.includes(b64(CODE)), 'the user code travels base64-encoded inside the wrapper');
    assert.ok(built.notes.some((n) => /no code-init API/.test(n)));
  });

  it('ws:// uses FastAPIServer + uvicorn', () => {
    const built = buildInitMessage(codeDef, { name: 'md5-code-etl', commType: 'ws://' }, V330);
    const env = (built.body.runtime as { env: { value: string }[] }).env;
    const wrapper = unb64(env[0].value);
    assert.match(wrapper, /fastapi_server import FastAPIServer/);
    assert.match(wrapper, /uvicorn\.run\(/);
    assert.equal(built.body.communication, 'ws://');
  });

  it('dependencies become sh -c "pip install … && python -c …"; user env is appended', () => {
    const built = buildInitMessage(
      codeDef,
      { name: 'md5-code-etl', dependencies: '# deps\nnumpy\npillow>=10  # images\n', env: { NUM_WORKERS: '4' } },
      V50,
    );
    const runtime = built.body.runtime as { command: string[]; env: { name: string; value: string }[] };
    assert.deepEqual(runtime.command, [
      'sh',
      '-c',
      `pip install --no-cache-dir 'numpy' 'pillow>=10' && exec python -c "${EXEC_ETL_SRC}"`,
    ]);
    assert.deepEqual(runtime.env.slice(1), [{ name: 'NUM_WORKERS', value: '4' }]);
  });

  it('requirements that point at local files are refused', () => {
    assert.throws(
      () => buildInitMessage(codeDef, { name: 'md5-code-etl', dependencies: '-r other.txt\n' }, V50),
      /refers to a local file/,
    );
  });

  it('io:// on 3.30–4.9 is wrapped into transform(bytes) and deployed as hpush://', () => {
    const built = buildInitMessage(ioDef, { name: 'compute-md5' }, V330);
    assert.equal(built.body.communication, 'hpush://');
    const wrapper = unb64((built.body.runtime as { env: { value: string }[] }).env[0].value);
    const userCode = unb64(/_CODE = base64\.b64decode\("([^"]+)"\)/.exec(wrapper)![1]);
    assert.match(userCode, /^# Converted from an io:\/\/ script/);
    assert.ok(built.notes.some((n) => /no io:\/\/ server/.test(n)));
  });

  it('io:// on 5.0 is a clear error', () => {
    assert.throws(
      () => buildInitMessage(ioDef, { name: 'compute-md5' }, V50),
      (e: Error) =>
        e instanceof EtlDefinitionError &&
        e.message ===
          'io:// was removed in AIS 5.0; convert it to a transform(bytes) function — the extension can do that for you.',
    );
  });

  it('a transform() cannot be deployed with io://', () => {
    assert.throws(
      () => buildInitMessage({ ...codeDef, commType: 'io://' }, { name: 'my-etl' }, V329),
      /stdin→stdout script/,
    );
  });
});

describe('buildInitMessage: Pod specs (InitSpecMsg)', () => {
  it('matches the Python SDK unit test JSON (etl-api.md §9) on 3.30 and 5.0', () => {
    for (const c of [V330, V50]) {
      const built = buildInitMessage(podDef, { name: 'transformer-md5', commType: 'hpush://' }, c);
      assertFields(built.body, {
        communication: 'hpush://',
        init_timeout: '5m',
        obj_timeout: '45s',
        spec: b64(tutorial('spec.yaml')),
        name: 'transformer-md5',
      });
      assert.equal(built.dialect, c.dialect);
      assert.ok(built.notes.some((n) => /no readinessProbe/.test(n)));
    }
  });

  it('3.16 uses id/timeout; the annotations fill communication/timeout/direct put', () => {
    const yamlText = tutorial('spec.yaml').replace(
      '  name: transformer-md5\n',
      '  name: transformer-md5\n  annotations:\n    communication_type: "hpull://"\n    wait_timeout: 2m\n',
    );
    const def = parseEtlFile('spec.yaml', yamlText).definitions[0];
    const built = buildInitMessage(def, { name: 'transformer-md5' }, V316);
    assertFields(built.body, { id: 'transformer-md5', communication: 'hpull://', timeout: '2m', spec: b64(yamlText) });
  });

  it('user choices override annotations; ws:// with direct put explicitly off is refused', () => {
    const def: EtlDefinition = {
      ...(podDef as Extract<EtlDefinition, { kind: 'pod-spec' }>),
      commType: 'hpull://',
      initTimeout: '2m',
    };
    const built = buildInitMessage(
      def,
      { name: 'transformer-md5', commType: 'hpush://', initTimeout: '10m', objTimeout: '1m', env: { A: '1' } },
      V50,
    );
    assertFields(built.body, {
      name: 'transformer-md5',
      communication: 'hpush://',
      init_timeout: '10m',
      obj_timeout: '1m',
      spec: b64(tutorial('spec.yaml')),
      env: [{ name: 'A', value: '1' }],
    });
    assert.throws(
      () => buildInitMessage(def, { name: 'transformer-md5', commType: 'ws://', supportDirectPut: false }, V50),
      /requires support_direct_put: true/,
    );
  });
});

describe('buildInitMessage: runtime specs', () => {
  const hello = parseEtlFile('etl.yaml', helloRuntimeSpec('"1"')).definitions[0];
  // the fields every dialect's message carries at its top level
  const helloTop = {
    name: 'hello-world-etl',
    communication: 'hpush://',
    init_timeout: '5m',
    obj_timeout: '45s',
    support_direct_put: true,
  };

  it('5.0: ETLSpecMsg equal to the etl-api.md §2.2 example', () => {
    const built = buildInitMessage(hello, { name: 'hello-world-etl' }, V50);
    assertFields(built.body, {
      ...helloTop,
      runtime: {
        image: 'aistorage/transformer_hello_world:latest',
        command: ['uvicorn', 'fastapi_server:fastapi_app', '--host', '0.0.0.0', '--port', '8000'],
        env: [{ name: 'NUM_WORKERS', value: '4' }],
      },
      resources: { requests: { memory: '256Mi', cpu: '500m' }, limits: { memory: '512Mi', cpu: '1' } },
    });
  });

  it('3.29: InitSpecMsg carrying the runtime spec YAML, which parses back to the same definition', () => {
    const built = buildInitMessage(hello, { name: 'hello-world-etl' }, V329);
    assert.equal(built.dialect, 'v3.29');
    assertFields(built.body, {
      ...helloTop,
      spec: built.body.spec,
    });
    const yamlText = unb64(built.body.spec);
    const round = parseEtlFile('spec.yaml', yamlText);
    assert.deepEqual(round.diagnostics, []);
    const { resources: _r, ...withoutResources } = hello as Extract<EtlDefinition, { kind: 'runtime-spec' }>;
    assert.deepEqual(round.definitions, [withoutResources]);
  });

  it('3.16–3.28: sent as an equivalent Pod spec that our own validator accepts', () => {
    const built = buildInitMessage(hello, { name: 'hello-world-etl' }, V316);
    assert.equal(built.dialect, 'v3.16');
    assert.deepEqual(Object.keys(built.body).sort(), ['communication', 'id', 'spec', 'support_direct_put', 'timeout']);
    const pod = parseEtlFile('pod.yaml', unb64(built.body.spec));
    assert.deepEqual(
      pod.diagnostics.filter((d) => d.severity !== 'info'),
      [],
    );
    const container = parse(unb64(built.body.spec)).spec.containers[0];
    assert.deepEqual(container.ports, [{ name: 'default', containerPort: 8000 }]);
    assert.equal(container.image, 'aistorage/transformer_hello_world:latest');
  });

  it('io:// runtime specs are refused on 5.0 with the accepted list', () => {
    const def: EtlDefinition = { kind: 'runtime-spec', name: 'io-etl-x', image: 'x', commType: 'io://' };
    assert.throws(
      () => buildInitMessage(def, { name: 'io-etl-x' }, V50),
      /does not accept communication "io:\/\/" \(io:\/\/ was removed in AIS 5\.0\): choose one of "hpush:\/\/", "hpull:\/\/", "ws:\/\/"/,
    );
  });
});

describe('buildInitMessage: the local cluster gets exactly what the release it emulates accepts', () => {
  it('3.29: code and io → InitCodeMsg 3.29; pod spec → InitSpecMsg; runtime spec → inside `spec`', () => {
    assert.equal(buildInitMessage(codeDef, { name: 'md5-code-etl' }, LOCAL).body.funcs !== undefined, true);
    const io = buildInitMessage(ioDef, { name: 'compute-md5' }, LOCAL);
    assert.equal(io.dialect, 'v3.29');
    assert.equal(io.body.communication, 'io://');
    const pod = buildInitMessage(podDef, { name: 'transformer-md5' }, LOCAL);
    assert.equal(pod.body.spec, b64(tutorial('spec.yaml')));
    assert.equal(pod.body.name, 'transformer-md5');
    assert.ok(pod.notes.some((n) => /works locally only/.test(n)));
    const rt = buildInitMessage(
      { kind: 'runtime-spec', name: 'hello-etl', image: 'img' },
      { name: 'hello-etl' },
      LOCAL,
    );
    assert.equal(rt.dialect, 'v3.29');
    assert.equal(rt.body.runtime, undefined);
    assert.match(unb64(rt.body.spec), /image: img/);
  });

  it('5.0: code → runtime spec on aistorage/runtime_python; io:// refused; runtime spec → ETLSpecMsg', () => {
    const code = buildInitMessage(codeDef, { name: 'md5-code-etl' }, LOCAL50);
    assert.equal(code.dialect, 'v5.0');
    assert.match(String((code.body.runtime as { image: string }).image), /^aistorage\/runtime_python:/);
    assert.throws(() => buildInitMessage(ioDef, { name: 'compute-md5' }, LOCAL50), /io:\/\/ was removed in AIS 5.0/);
    const rt = buildInitMessage(
      { kind: 'runtime-spec', name: 'hello-etl', image: 'img' },
      { name: 'hello-etl' },
      LOCAL50,
    );
    assert.deepEqual(rt.body.runtime, { image: 'img' });
  });

  it('local works even when the probe says not-built/no-k8s (the local cluster runs ETLs itself)', () => {
    assert.doesNotThrow(() => buildInitMessage(codeDef, { name: 'md5-code-etl' }, { ...LOCAL, etl: 'no-k8s' }));
  });
});

describe('buildInitMessage: refusals with clear messages', () => {
  it('clusters without ETL', () => {
    assert.throws(
      () => buildInitMessage(codeDef, { name: 'md5-code-etl' }, { ...V50, etl: 'not-built' }),
      /built without ETL support.*-etl/,
    );
    assert.throws(
      () => buildInitMessage(codeDef, { name: 'md5-code-etl' }, { ...V50, etl: 'no-k8s' }),
      /needs AIS running on Kubernetes/,
    );
  });
  it('bad names, bad timeouts, unknown runtimes, comm types the cluster lacks', () => {
    assert.throws(
      () => buildInitMessage(codeDef, { name: 'My_ETL' }, V50),
      /^EtlDefinitionError: ETL name "My_ETL" is invalid: can only contain \[a-z0-9-\]/,
    );
    assert.throws(
      () => buildInitMessage(codeDef, { name: 'md5-code-etl', initTimeout: '300' }, V50),
      /init timeout "300" is not a duration/,
    );
    assert.throws(
      () => buildInitMessage({ ...codeDef, runtime: 'python2' }, { name: 'md5-code-etl' }, V329),
      /Unsupported runtime "python2"/,
    );
    assert.throws(
      () => buildInitMessage(codeDef, { name: 'md5-code-etl', commType: 'ws://' }, V316),
      /does not accept communication "ws:\/\/" \(ws:\/\/ needs AIS 3\.28 or later\)/,
    );
  });
});
