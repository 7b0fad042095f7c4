import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { parseEtlFile } from '../../../../src/engine/etl';
import { applyFix, byCode, errors, only, textAt, tutorial } from './helpers';

const POD = (container: string, metadata = '  name: md5-etl\n', extraSpec = '') =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n${metadata}spec:\n${extraSpec}  containers:\n${container}`;
const GOOD_CONTAINER = [
  '    - name: server',
  '      image: docker.io/aistore/md5_server:v1',
  '      ports:',
  '        - name: default',
  '          containerPort: 8000',
  '      command: ["python", "server.py", "--port", "8000"]',
  '      readinessProbe:',
  '        httpGet:',
  '          path: /health',
  '          port: default',
  '',
].join('\n');

describe('pod spec: tutorial spec.yaml', () => {
  const text = tutorial('spec.yaml');
  const r = parseEtlFile('spec.yaml', text);

  it('has exactly one warning, the missing readinessProbe, on the container line', () => {
    assert.equal(r.kind, 'pod-spec');
    assert.deepEqual(errors(r.diagnostics), []);
    const warnings = r.diagnostics.filter((d) => d.severity === 'warning');
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0].code, 'pod-readiness-missing');
    assert.deepEqual(warnings[0].range, { start: { line: 6, character: 6 }, end: { line: 6, character: 18 } });
    assert.equal(textAt(text, warnings[0]), 'name: server');
  });

  it('maps metadata to the definition', () => {
    assert.deepEqual(r.definitions, [
      { kind: 'pod-spec', name: 'transformer-md5', podYaml: text, image: 'docker.io/aistore/md5_server:v1' },
    ]);
  });

  it('the quick fix inserts an httpGet /health probe on port "default" and clears the warning', () => {
    const fixed = applyFix(text, only(r.diagnostics, 'pod-readiness-missing').fix!);
    const again = parseEtlFile('spec.yaml', fixed);
    assert.deepEqual(
      again.diagnostics.filter((d) => d.severity !== 'info'),
      [],
    );
    const container = parse(fixed).spec.containers[0];
    assert.deepEqual(container.readinessProbe, { httpGet: { path: '/health', port: 'default' } });
    assert.deepEqual(container.command, ['/code/server.py', '--listen', '0.0.0.0', '--port', '80']);
  });
});

describe('pod spec: validation like the server', () => {
  it('a complete spec has no warnings or errors', () => {
    const r = parseEtlFile('p.yaml', POD(GOOD_CONTAINER));
    assert.deepEqual(
      r.diagnostics.filter((d) => d.severity !== 'info'),
      [],
    );
    assert.equal(r.definitions.length, 1);
  });

  it('wrong kind: server message, no definition', () => {
    const text = 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 1\n';
    const r = parseEtlFile('d.yaml', text);
    const d = only(r.diagnostics, 'pod-kind');
    assert.match(d.message, /^expected pod spec, got: Deployment/);
    assert.equal(textAt(text, d), 'Deployment');
    assert.deepEqual(r.definitions, []);
  });

  it('missing apiVersion/kind get fixes that insert them', () => {
    const text = 'metadata:\n  name: md5-etl\nspec:\n  containers:\n' + GOOD_CONTAINER;
    const r = parseEtlFile('p.yaml', text);
    let fixed = applyFix(text, only(r.diagnostics, 'pod-kind-missing').fix!);
    fixed = applyFix(fixed, only(parseEtlFile('p.yaml', fixed).diagnostics, 'pod-apiversion-missing').fix!);
    assert.deepEqual(errors(parseEtlFile('p.yaml', fixed).diagnostics), []);
    assert.equal(parse(fixed).kind, 'Pod');
  });

  it('exactly one container', () => {
    const two = GOOD_CONTAINER + GOOD_CONTAINER.replace('name: server', 'name: sidecar');
    const text = POD(two);
    const d = only(parseEtlFile('p.yaml', text).diagnostics, 'pod-containers');
    assert.match(d.message, /^unsupported number of containers \(2\), expected: 1/);
    assert.equal(textAt(text, d), 'containers');
  });

  it('exactly one port, named "default" (fix renames it)', () => {
    const text = POD(GOOD_CONTAINER.replace('- name: default', '- name: http'));
    const d = only(parseEtlFile('p.yaml', text).diagnostics, 'pod-port-name');
    assert.match(d.message, /^expected port name: "default", got: "http"/);
    assert.equal(textAt(text, d), 'http');
    assert.deepEqual(errors(parseEtlFile('p.yaml', applyFix(text, d.fix!)).diagnostics), []);

    const twoPorts = POD(
      GOOD_CONTAINER.replace(
        '          containerPort: 8000\n',
        '          containerPort: 8000\n        - name: metrics\n          containerPort: 9090\n',
      ),
    );
    assert.match(
      only(parseEtlFile('p.yaml', twoPorts).diagnostics, 'pod-ports').message,
      /^unsupported number of container ports \(2\), expected: 1/,
    );
  });

  it('an unnamed port gets a fix adding name: default', () => {
    const text = POD(
      GOOD_CONTAINER.replace('        - name: default\n          containerPort: 8000', '        - containerPort: 8000'),
    );
    const d = only(parseEtlFile('p.yaml', text).diagnostics, 'pod-port-name');
    const fixed = applyFix(text, d.fix!);
    assert.deepEqual(parse(fixed).spec.containers[0].ports, [{ containerPort: 8000, name: 'default' }]);
  });

  it('missing ports: the fix uses the port from the command line', () => {
    const text = POD(
      GOOD_CONTAINER.replace('      ports:\n        - name: default\n          containerPort: 8000\n', ''),
    );
    const d = only(parseEtlFile('p.yaml', text).diagnostics, 'pod-ports');
    assert.deepEqual(parse(applyFix(text, d.fix!)).spec.containers[0].ports, [
      { name: 'default', containerPort: 8000 },
    ]);
  });

  it('readinessProbe: httpGet required, non-empty path, port "default"', () => {
    const tcp = POD(
      GOOD_CONTAINER.replace(
        '        httpGet:\n          path: /health\n          port: default',
        '        tcpSocket:\n          port: 8000',
      ),
    );
    assert.equal(only(parseEtlFile('p.yaml', tcp).diagnostics, 'pod-readiness-httpget').severity, 'error');

    const numeric = POD(GOOD_CONTAINER.replace('          port: default', '          port: 8000'));
    const d = only(parseEtlFile('p.yaml', numeric).diagnostics, 'pod-readiness-port');
    assert.equal(d.message, 'readinessProbe port must be the "default" port (by name, not number).');
    assert.equal(textAt(numeric, d), '8000');
    assert.deepEqual(errors(parseEtlFile('p.yaml', applyFix(numeric, d.fix!)).diagnostics), []);

    const noPath = POD(GOOD_CONTAINER.replace('          path: /health\n', '          path: ""\n'));
    const p = only(parseEtlFile('p.yaml', noPath).diagnostics, 'pod-readiness-path');
    assert.equal(parse(applyFix(noPath, p.fix!)).spec.containers[0].readinessProbe.httpGet.path, '/health');
  });

  it('node affinity and pod anti-affinity are forbidden', () => {
    const affinity =
      '  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution: {}\n    podAntiAffinity:\n      preferredDuringSchedulingIgnoredDuringExecution: []\n';
    const text = POD(GOOD_CONTAINER, '  name: md5-etl\n', affinity);
    const r = parseEtlFile('p.yaml', text);
    assert.equal(textAt(text, only(r.diagnostics, 'pod-node-affinity')), 'nodeAffinity');
    assert.equal(textAt(text, only(r.diagnostics, 'pod-anti-affinity')), 'podAntiAffinity');
    assert.deepEqual(r.definitions, []);
  });

  it('containerPort vs command line port mismatch is a warning with a fix', () => {
    const text = POD(GOOD_CONTAINER.replace('"--port", "8000"', '"--port", "80"'));
    const d = only(parseEtlFile('p.yaml', text).diagnostics, 'pod-port-mismatch');
    assert.equal(d.severity, 'warning');
    assert.equal(textAt(text, d), '8000');
    assert.equal(parse(applyFix(text, d.fix!)).spec.containers[0].ports[0].containerPort, 80);
  });
});

describe('pod spec: annotations as the CLI maps them', () => {
  it('communication_type, wait_timeout and support_direct_put fill the definition', () => {
    const meta =
      '  name: md5-etl\n  annotations:\n    communication_type: "hpull://"\n    wait_timeout: 2m\n    support_direct_put: "true"\n';
    const r = parseEtlFile('p.yaml', POD(GOOD_CONTAINER, meta));
    assert.deepEqual(errors(r.diagnostics), []);
    const def = r.definitions[0];
    assert.equal(def.kind, 'pod-spec');
    if (def.kind === 'pod-spec') {
      assert.equal(def.commType, 'hpull://');
      assert.equal(def.initTimeout, '2m');
      assert.equal(def.supportDirectPut, true);
    }
  });

  it('hpush without :// is rejected with a fix', () => {
    const text = POD(GOOD_CONTAINER, '  name: md5-etl\n  annotations:\n    communication_type: hpush\n');
    const d = only(parseEtlFile('p.yaml', text).diagnostics, 'comm-type-no-scheme');
    assert.equal(textAt(text, d), 'hpush');
    assert.equal(d.fix!.newText, 'hpush://');
  });

  it('ws:// without support_direct_put is an error whose fix adds the annotation', () => {
    const text = POD(GOOD_CONTAINER, '  name: md5-etl\n  annotations:\n    communication_type: "ws://"\n');
    const d = only(parseEtlFile('p.yaml', text).diagnostics, 'ws-needs-direct-put');
    const fixed = applyFix(text, d.fix!);
    assert.equal(parse(fixed).metadata.annotations.support_direct_put, 'true');
    assert.deepEqual(errors(parseEtlFile('p.yaml', fixed).diagnostics), []);
  });

  it('annotation values must be strings: unquoted booleans and numbers get quoted', () => {
    const text = POD(
      GOOD_CONTAINER,
      '  name: md5-etl\n  annotations:\n    support_direct_put: true\n    wait_timeout: 45\n',
    );
    const r = parseEtlFile('p.yaml', text);
    const notString = byCode(r.diagnostics, 'annotation-not-string');
    assert.equal(notString.length, 1);
    assert.equal(notString[0].fix!.newText, '"true"');
    const timeout = only(r.diagnostics, 'timeout-number');
    assert.equal(timeout.fix!.newText, '"45s"');
  });

  it('metadata.name follows the ETL name rules', () => {
    const text = POD(GOOD_CONTAINER, '  name: Transformer_MD5\n');
    const d = only(parseEtlFile('p.yaml', text).diagnostics, 'name-invalid-chars');
    assert.equal(textAt(text, d), 'Transformer_MD5');
    assert.equal(d.fix!.newText, 'transformer-md5');
  });
});

describe('pod spec: several documents in one file', () => {
  it('each document becomes its own definition whose podYaml is just that document', () => {
    const one = POD(GOOD_CONTAINER);
    const two = POD(GOOD_CONTAINER, '  name: sha-etl-2\n');
    const rt = 'name: runtime-etl\nruntime:\n  image: x\n';
    const r = parseEtlFile('pods.yaml', `${one}---\n${two}---\n${rt}`);
    assert.deepEqual(
      r.definitions.map((d) => [d.kind, d.name]),
      [
        ['pod-spec', 'md5-etl'],
        ['pod-spec', 'sha-etl-2'],
        ['runtime-spec', 'runtime-etl'],
      ],
    );
    const [a, b] = r.definitions;
    assert.ok(a.kind === 'pod-spec' && b.kind === 'pod-spec');
    assert.equal(parse(a.podYaml).metadata.name, 'md5-etl');
    assert.equal(parse(b.podYaml).metadata.name, 'sha-etl-2');
    assert.equal(r.kind, 'pod-spec');
  });
});
