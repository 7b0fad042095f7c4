import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { parseEtlFile } from '../../../../src/engine/etl';
import { applyFix, byCode, errors, helloRuntimeSpec, only, textAt } from './helpers';

const HELLO = helloRuntimeSpec('1');

describe('runtime spec', () => {
  it('the etl-api.md example parses into the definition, without diagnostics', () => {
    const r = parseEtlFile('etl.yaml', HELLO);
    assert.equal(r.kind, 'runtime-spec');
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.definitions, [
      {
        kind: 'runtime-spec',
        name: 'hello-world-etl',
        image: 'aistorage/transformer_hello_world:latest',
        command: ['uvicorn', 'fastapi_server:fastapi_app', '--host', '0.0.0.0', '--port', '8000'],
        env: [{ name: 'NUM_WORKERS', value: '4' }],
        commType: 'hpush://',
        initTimeout: '5m',
        objTimeout: '45s',
        supportDirectPut: true,
        resources: { requests: { memory: '256Mi', cpu: '500m' }, limits: { memory: '512Mi', cpu: 1 } },
      },
    ]);
  });

  it('multi-document: several definitions, each validated, duplicate names flagged', () => {
    const text =
      'name: test-etl1\nruntime:\n    image: aistorage/transformer_hello_world:latest\n---\nname: test-etl2\nruntime:\n    image: a\n---\nname: test-etl1\nruntime:\n    image: b\n---\nname: Bad_Name\nruntime:\n    image: c\n';
    const r = parseEtlFile('multi.yaml', text);
    assert.deepEqual(
      r.definitions.map((d) => d.name),
      ['test-etl1', 'test-etl2'],
    );
    const dup = only(r.diagnostics, 'name-duplicate');
    assert.equal(dup.range.start.line, 8);
    assert.match(dup.message, /already defined on line 1/);
    assert.equal(only(r.diagnostics, 'name-invalid-chars').range.start.line, 12);
  });

  it('runtime.image is required', () => {
    const text = 'name: md5-etl\nruntime:\n  command: ["x"]\n';
    const d = only(parseEtlFile('e.yaml', text).diagnostics, 'runtime-image-missing');
    assert.match(d.message, /^runtime\.image must be specified/);
    assert.equal(textAt(text, d), 'runtime');
  });

  it('a missing name is a warning in a single document (fix inserts one from the file name), an error in multi-doc', () => {
    const text = 'runtime:\n  image: x\n';
    const d = only(parseEtlFile('md5_etl.yaml', text).diagnostics, 'name-missing');
    assert.equal(d.severity, 'warning');
    assert.equal(parse(applyFix(text, d.fix!)).name, 'md5-etl');
    const multi = parseEtlFile('m.yaml', `${text}---\nname: other-etl\n${text}`);
    assert.equal(only(multi.diagnostics, 'name-missing').severity, 'error');
  });

  it('comm types: hpush → fix hpush://, unknown → the valid list, io:// → warning', () => {
    const text = 'name: md5-etl\ncommunication: hpush\nruntime: {image: x}\n';
    const d = only(parseEtlFile('e.yaml', text).diagnostics, 'comm-type-no-scheme');
    assert.equal(textAt(text, d), 'hpush');
    assert.deepEqual(parseEtlFile('e.yaml', applyFix(text, d.fix!)).diagnostics, []);

    const unknown = only(
      parseEtlFile('e.yaml', 'name: md5-etl\ncommunication: grpc://\nruntime: {image: x}\n').diagnostics,
      'comm-type-unknown',
    );
    assert.match(unknown.message, /unknown comm-type "grpc:\/\/".*"hpush:\/\/", "hpull:\/\/", "ws:\/\/"/);
    assert.match(
      only(
        parseEtlFile('e.yaml', 'name: md5-etl\ncommunication: hrev://\nruntime: {image: x}\n').diagnostics,
        'comm-type-unknown',
      ).message,
      /removed in AIS 3\.28/,
    );
    assert.equal(
      only(
        parseEtlFile('e.yaml', 'name: md5-etl\ncommunication: io://\nruntime: {image: x}\n').diagnostics,
        'comm-type-io',
      ).severity,
      'warning',
    );
  });

  it('ws:// needs support_direct_put: true (fix adds it, or flips false)', () => {
    const text = 'name: md5-etl\ncommunication: ws://\nruntime:\n  image: x\n';
    const d = only(parseEtlFile('e.yaml', text).diagnostics, 'ws-needs-direct-put');
    assert.equal(textAt(text, d), 'ws://');
    const fixed = applyFix(text, d.fix!);
    assert.equal(parse(fixed).support_direct_put, true);
    assert.deepEqual(parseEtlFile('e.yaml', fixed).diagnostics, []);
    const flipped = 'name: md5-etl\ncommunication: ws://\nsupport_direct_put: false\nruntime: {image: x}\n';
    const d2 = only(parseEtlFile('e.yaml', flipped).diagnostics, 'ws-needs-direct-put');
    assert.equal(parse(applyFix(flipped, d2.fix!)).support_direct_put, true);
  });

  it('timeouts must be Go duration strings; numbers get a "<n>s" fix', () => {
    const text = 'name: md5-etl\ninit_timeout: 300\nobj_timeout: 45sec\nruntime: {image: x}\n';
    const r = parseEtlFile('e.yaml', text);
    const num = only(r.diagnostics, 'timeout-number');
    assert.equal(textAt(text, num), '300');
    assert.equal(num.fix!.newText, '"300s"');
    assert.match(only(r.diagnostics, 'timeout-invalid').message, /obj_timeout "45sec" is not a duration/);
    assert.deepEqual(r.definitions, []);
  });

  it('support_direct_put must be a YAML boolean', () => {
    const text = 'name: md5-etl\nsupport_direct_put: "true"\nruntime: {image: x}\n';
    const d = only(parseEtlFile('e.yaml', text).diagnostics, 'bool-invalid');
    assert.equal(applyFix(text, d.fix!), 'name: md5-etl\nsupport_direct_put: true\nruntime: {image: x}\n');
  });

  it('command must be a list of strings; env values must be strings', () => {
    const text =
      'name: md5-etl\nruntime:\n  image: x\n  command: python server.py\n  env:\n    - name: N\n      value: 4\n';
    const r = parseEtlFile('e.yaml', text);
    const cmd = only(r.diagnostics, 'runtime-command-not-list');
    assert.deepEqual(parse(applyFix(text, cmd.fix!)).runtime.command, ['python', 'server.py']);
    const env = only(r.diagnostics, 'env-value-not-string');
    assert.equal(env.fix!.newText, '"4"');
  });

  it('a command listening on another port than 8000 is a warning', () => {
    const text = 'name: md5-etl\nruntime:\n  image: x\n  command: ["uvicorn", "app:app", "--port", "80"]\n';
    const d = only(parseEtlFile('e.yaml', text).diagnostics, 'runtime-port-mismatch');
    assert.equal(textAt(text, d), '"80"');
    assert.deepEqual(parse(applyFix(text, d.fix!)).runtime.command, ['uvicorn', 'app:app', '--port', '8000']);
  });

  it('unknown fields are flagged (AIS silently drops them) with a did-you-mean fix; argument is informational', () => {
    const text =
      'name: md5-etl\ncomunication: hpull://\nargument: fqn\nruntime:\n  image: x\n  imagePullPolicy: Always\n';
    const r = parseEtlFile('e.yaml', text);
    const typo = byCode(r.diagnostics, 'unknown-field');
    assert.equal(typo.length, 2);
    assert.equal(typo[0].fix!.newText, 'communication');
    assert.match(typo[1].message, /"imagePullPolicy" in runtime/);
    assert.equal(only(r.diagnostics, 'argument-ignored').severity, 'info');
    assert.deepEqual(errors(r.diagnostics), []);
  });

  it('top-level env is appended to runtime.env; valueFrom passes through', () => {
    const text =
      'name: md5-etl\nenv: [{name: B, value: "2"}]\nruntime:\n  image: x\n  env:\n    - name: A\n      valueFrom: {secretKeyRef: {name: s, key: k}}\n';
    const def = parseEtlFile('e.yaml', text).definitions[0];
    assert.ok(def.kind === 'runtime-spec');
    assert.deepEqual(def.env, [
      { name: 'A', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
      { name: 'B', value: '2' },
    ]);
  });

  it('a YAML document that is neither kind says what is missing', () => {
    const text = 'name: md5-etl\nimage: x\n';
    const r = parseEtlFile('e.yaml', text);
    assert.equal(r.kind, 'unknown');
    assert.match(only(r.diagnostics, 'unknown-document').message, /^unknown document \(missing 'runtime' or 'spec'\)/);
  });
});
