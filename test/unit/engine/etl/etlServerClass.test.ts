import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findEtlEntryPoints, findSdkServerClasses, importsAistore, parseEtlFile } from '../../../../src/engine/etl';
import { applyFix, only } from './helpers';

const T = 'def transform(self, data, path, etl_args):\n        return data\n';

describe('ETLServer class detection', () => {
  it('finds direct, aliased, parenthesised and module-qualified bases, and local subclasses', () => {
    const text = [
      'from aistore.sdk.etl.webserver.fastapi_server import FastAPIServer',
      'from aistore.sdk.etl.webserver.flask_server import (FlaskServer as Flaskish,)',
      'import aistore.sdk.etl.webserver.http_multi_threaded_server as mt',
      '',
      `class A(FastAPIServer):\n    ${T}`,
      `class B(Flaskish):\n    ${T}`,
      `class C(mt.HTTPMultiThreadedServer):\n    ${T}`,
      `class D(A):\n    pass\n`,
      'class Other(object):\n    def transform(self, data, path, etl_args):\n        return data\n',
    ].join('\n');
    assert.deepEqual(
      findSdkServerClasses(text).map((c) => [c.className, c.base, c.methods.length]),
      [
        ['A', 'FastAPIServer', 1],
        ['B', 'FlaskServer', 1],
        ['C', 'HTTPMultiThreadedServer', 1],
        ['D', 'FastAPIServer', 0],
      ],
    );
  });

  it('entry points: top-level transform functions and transform methods, with the class line as anchor', () => {
    const text =
      `import x\n\ndef transform(data):\n    return data\n\nclass S(FastAPIServer):\n    # comment\n    ` +
      `def transform_stream(self, reader, path, etl_args):\n        yield b""\n`;
    assert.deepEqual(
      findEtlEntryPoints(text).map((e) => [e.kind, e.name, e.className, e.anchorLine, e.line, e.character]),
      [
        ['function', 'transform', undefined, 2, 2, 0],
        ['method', 'transform_stream', 'S', 5, 7, 4],
      ],
    );
  });

  it('importsAistore: only real import statements', () => {
    assert.equal(importsAistore('from aistore.sdk import Client\n'), true);
    assert.equal(importsAistore('import aistore\n'), true);
    assert.equal(importsAistore('# import aistore\nx = "aistore"\n'), false);
  });
});

describe('ETLServer class files', () => {
  const base = 'from aistore.sdk.etl.webserver.fastapi_server import FastAPIServer\n\n\n';

  it('a class is a deployable definition; header settings fill it', () => {
    const text =
      `# ais-etl: name = md5-etl\n# ais-etl: num_workers = 4\n# ais-etl: direct_put = false\n# ais-etl: ` +
      `env.X = 1\n${base}class Md5(FastAPIServer):\n    ${T}`;
    const r = parseEtlFile('etl.py', text);
    assert.equal(r.kind, 'python-etl-class');
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.definitions, [
      {
        kind: 'etl-class',
        className: 'Md5',
        server: 'FastAPIServer',
        name: 'md5-etl',
        numWorkers: 4,
        supportDirectPut: false,
        env: { X: '1' },
      },
    ]);
  });

  it('wrong transform signature: error on the def line with a fix that keeps the names given', () => {
    const text = `${base}class Md5(FastAPIServer):\n    def transform(self, data):\n        return data\n`;
    const r = parseEtlFile('etl.py', text);
    const d = only(r.diagnostics, 'etl-class-transform-signature');
    assert.equal(d.range.start.line, 4);
    assert.match(d.message, /transform\(self, data, path, etl_args\)/);
    assert.equal(r.definitions.length, 0);
    assert.match(applyFix(text, d.fix!), /def transform\(self, data, path, etl_args\):/);
    assert.deepEqual(parseEtlFile('etl.py', applyFix(text, d.fix!)).diagnostics, []);
  });

  it('ws:// with a server other than FastAPIServer is an error on the communication line (no /ws endpoint)', () => {
    const mt = 'from aistore.sdk.etl.webserver.http_multi_threaded_server import HTTPMultiThreadedServer\n\n\n';
    const text = `# ais-etl: communication = ws://\n${mt}class Up(HTTPMultiThreadedServer):\n    ${T}`;
    const r = parseEtlFile('etl.py', text);
    const d = only(r.diagnostics, 'etl-class-ws-server');
    assert.equal(d.severity, 'error');
    assert.equal(d.range.start.line, 0);
    assert.match(d.message, /ws:\/\/ needs a FastAPIServer class: HTTPMultiThreadedServer serves no WebSocket/);
    assert.equal(r.definitions.length, 0);
    const fastapi = `# ais-etl: communication = ws://\n${base}class Up(FastAPIServer):\n    ${T}`;
    assert.deepEqual(parseEtlFile('etl.py', fastapi).diagnostics, []);
    const hpush = text.replace('ws://', 'hpush://');
    assert.deepEqual(parseEtlFile('etl.py', hpush).diagnostics, []);
  });

  it('async transform is an error; *args is accepted', () => {
    const r = parseEtlFile(
      'etl.py',
      `${base}class Md5(FastAPIServer):\n    async def transform(self, data, path, etl_args):\n        return data\n`,
    );
    assert.equal(only(r.diagnostics, 'etl-class-transform-async').severity, 'error');
    assert.deepEqual(
      parseEtlFile('etl.py', `${base}class Md5(FastAPIServer):\n    def transform(self, *args):\n        return b""\n`)
        .diagnostics,
      [],
    );
  });

  it('a class without transform gets an error with a fix that adds one', () => {
    const text = `${base}class Md5(FastAPIServer):\n    pass\n`;
    const d = only(parseEtlFile('etl.py', text).diagnostics, 'etl-class-no-transform');
    assert.equal(d.range.start.line, 3);
    const fixed = applyFix(text, d.fix!);
    assert.deepEqual(parseEtlFile('etl.py', fixed).diagnostics, []);
    assert.equal(parseEtlFile('etl.py', fixed).definitions.length, 1);
  });

  it('direct_fqn = true with a bytes-only transform: warning and a fix that reads the path', () => {
    const text =
      `# ais-etl: direct_fqn = true\n${base}import hashlib\n\nclass Md5(FastAPIServer):\n    def ` +
      `transform(self, data, path, etl_args):\n        return hashlib.md5(data).hexdigest().encode()\n`;
    const r = parseEtlFile('etl.py', text);
    const d = only(r.diagnostics, 'etl-class-direct-fqn-bytes');
    assert.equal(d.severity, 'warning');
    const fixed = applyFix(text, d.fix!);
    assert.match(
      fixed,
      /def transform\(self, data, path, etl_args\):\n {8}if isinstance\(data, str\):.*\n {12}with open\(data, "rb"\) as f:\n {16}data = f\.read\(\)\n {8}return hashlib/,
    );
    assert.deepEqual(parseEtlFile('etl.py', fixed).diagnostics, []);
    assert.equal(r.definitions[0].kind === 'etl-class' && r.definitions[0].directFqn, true);
  });

  it('open(data) without direct_fqn: warning with a fix that turns direct file access on', () => {
    const text =
      `${base}class Md5(FastAPIServer):\n    def transform(self, data, path, etl_args):\n        with ` +
      `open(data, "rb") as f:\n            return f.read()\n`;
    const d = only(parseEtlFile('etl.py', text).diagnostics, 'etl-class-open-bytes');
    const fixed = applyFix(text, d.fix!);
    assert.match(fixed, /^# ais-etl: direct_fqn = true\n/);
    assert.deepEqual(parseEtlFile('etl.py', fixed).diagnostics, []);
  });

  it('config problems point at their line; an unknown key suggests the close one', () => {
    const text =
      `${base}# ais-etl: num_workers = many\n# ais-etl: numworkers = 2\n# ais-etl: communication = ` +
      `io://\nclass Md5(FastAPIServer):\n    ${T}`;
    const r = parseEtlFile('etl.py', text);
    const values = r.diagnostics.filter((d) => d.code === 'etl-class-config-value');
    assert.deepEqual(
      values.map((d) => d.range.start.line),
      [3, 5],
    );
    const key = only(r.diagnostics, 'etl-class-config-key');
    assert.equal(applyFix(text, key.fix!).split('\n')[4], '# ais-etl: num_workers = 2');
    assert.equal(r.definitions.length, 0, 'a config error blocks the deploy');
  });

  it('several classes: one definition each; `class =` picks one', () => {
    const two = `${base}class A(FastAPIServer):\n    ${T}\nclass B(FastAPIServer):\n    ${T}`;
    assert.deepEqual(
      parseEtlFile('etl.py', two).definitions.map((d) => d.kind === 'etl-class' && d.className),
      ['A', 'B'],
    );
    assert.deepEqual(
      parseEtlFile('etl.py', `# ais-etl: class = B\n${two}`).definitions.map(
        (d) => d.kind === 'etl-class' && d.className,
      ),
      ['B'],
    );
    assert.equal(
      only(parseEtlFile('etl.py', `# ais-etl: class = C\n${two}`).diagnostics, 'etl-class-config-value').range.start
        .line,
      0,
    );
  });
});
