import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { convertedSpecFileName, convertPodSpecToRuntimeSpec, parseEtlFile } from '../../../../src/engine/etl';
import { textAt, tutorial } from './helpers';

const FULL = `apiVersion: v1
kind: Pod
metadata:
  name: md5-etl
  labels:
    team: data
  annotations:
    communication_type: "hpull://"
    wait_timeout: 2m
    support_direct_put: "true"
    owner: me
spec:
  nodeSelector:
    disk: ssd
  containers:
    - name: server
      image: repo/md5:v1
      imagePullPolicy: IfNotPresent
      command: ["uvicorn", "app:app"]
      args: ["--host", "0.0.0.0", "--port", "8000"]
      env:
        - name: NUM_WORKERS
          value: "4"
      resources:
        limits: {memory: 512Mi}
      workingDir: /code
      ports:
        - name: default
          containerPort: 8000
      readinessProbe:
        httpGet: {path: /ready, port: default}
`;

describe('Pod spec → runtime spec', () => {
  it('carries image, command + args, env, resources, comm type, timeout, direct put and name', () => {
    const r = convertPodSpecToRuntimeSpec('spec.yaml', FULL);
    assert.equal(r.converted, 1);
    assert.deepEqual(parse(r.yaml), {
      name: 'md5-etl',
      communication: 'hpull://',
      init_timeout: '2m',
      support_direct_put: true,
      runtime: {
        image: 'repo/md5:v1',
        command: ['uvicorn', 'app:app', '--host', '0.0.0.0', '--port', '8000'],
        env: [{ name: 'NUM_WORKERS', value: '4' }],
      },
      resources: { limits: { memory: '512Mi' } },
    });
    const out = parseEtlFile('etl_spec.yaml', r.yaml);
    assert.equal(out.kind, 'runtime-spec');
    assert.deepEqual(
      out.diagnostics.filter((d) => d.severity !== 'info'),
      [],
    );
  });

  it('every field a runtime spec cannot express is a diagnostic on its line, and a comment in the result', () => {
    const r = convertPodSpecToRuntimeSpec('spec.yaml', FULL);
    const at = r.diagnostics.map((d) => textAt(FULL, d).split('\n')[0]);
    assert.deepEqual(
      at.sort(),
      [
        'imagePullPolicy: IfNotPresent',
        'labels:',
        'nodeSelector:',
        'owner: me',
        'readinessProbe:',
        'workingDir: /code',
      ].sort(),
    );
    for (const d of r.diagnostics) assert.equal(d.code, 'pod-to-runtime-lost');
    assert.equal((r.yaml.match(/^# Not converted \(spec\.yaml:\d+\)/gm) ?? []).length, r.diagnostics.length);
    // the pod spec itself shows them while editing
    const shown = parseEtlFile('spec.yaml', FULL).diagnostics.filter((d) => d.code === 'pod-to-runtime-lost');
    assert.equal(shown.length, r.diagnostics.length);
  });

  it('the tutorial spec: port 80 becomes 8000 in the command, said on the containerPort line', () => {
    const text = tutorial('spec.yaml');
    const r = convertPodSpecToRuntimeSpec('spec.yaml', text);
    assert.deepEqual(parse(r.yaml).runtime.command, ['/code/server.py', '--listen', '0.0.0.0', '--port', '8000']);
    assert.equal(r.diagnostics.length, 1);
    assert.equal(textAt(text, r.diagnostics[0]), 'containerPort: 80');
    assert.match(r.diagnostics[0].message, /listens on 8000/);
  });

  it('args without command cannot be expressed; io:// becomes the default comm type', () => {
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: io-etl-x\n  annotations:\n    communication_type: ' +
      'io://\nspec:\n  containers:\n' +
      '    - name: s\n      image: img\n      args: ["--fast"]\n      ports: [{name: default, containerPort: 8000}]\n';
    const r = convertPodSpecToRuntimeSpec('io.yaml', text);
    assert.equal(parse(r.yaml).runtime.command, undefined);
    assert.equal(parse(r.yaml).communication, undefined);
    assert.deepEqual(r.diagnostics.map((d) => textAt(text, d).split(':')[0]).sort(), ['args', 'communication_type']);
  });

  it('multi-document files convert each Pod; broken files convert nothing', () => {
    const two = `${FULL}---\n${FULL.replace('md5-etl', 'md5-etl-two')}`;
    const r = convertPodSpecToRuntimeSpec('spec.yaml', two);
    assert.equal(r.converted, 2);
    assert.deepEqual(
      parseEtlFile('etl_spec.yaml', r.yaml).definitions.map((d) => d.name),
      ['md5-etl', 'md5-etl-two'],
    );
    assert.equal(convertPodSpecToRuntimeSpec('spec.yaml', 'kind: Pod\nspec: [').converted, 0);
  });

  it('the new file never replaces an existing one', () => {
    assert.equal(
      convertedSpecFileName('spec.yaml', () => false),
      'etl_spec.yaml',
    );
    assert.equal(
      convertedSpecFileName('spec.yaml', (n) => n === 'etl_spec.yaml'),
      'spec.etl.yaml',
    );
    assert.equal(
      convertedSpecFileName('spec.yaml', (n) => n !== 'spec-3.etl.yaml'),
      'spec-3.etl.yaml',
    );
  });
});
