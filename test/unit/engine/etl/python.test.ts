import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { ioScriptToTransform, parseEtlFile, PYTHON_RUNTIMES } from '../../../../src/engine/etl';
import { applyFix, byCode, only, textAt, tutorial } from './helpers';

const EXPECTED_MD5 = '393c6706efb128fbc442d3f7d084a426'; // md5("some text :)\n"), from the tutorial

function python(): string | undefined {
  for (const exe of ['python3', 'python']) if (spawnSync(exe, ['--version']).status === 0) return exe;
  return undefined;
}

/** Runs `module` and prints transform(stdin) as hex, or the exception type + message. */
function runTransform(exe: string, module: string, input: string): { out: string; status: number | null } {
  const driver =
    'import sys\nns = {}\nexec(sys.argv[1], ns)\ntry:\n    sys.stdout.write(ns["transform"](sys.stdin.buffer.read()).decode())\nexcept Exception as e:\n    sys.stdout.write(type(e).__name__ + ": " + str(e))\n';
  const r = spawnSync(exe, ['-c', driver, module], { input, encoding: 'utf8', timeout: 30_000 });
  return { out: r.stdout, status: r.status };
}

describe('python code ETLs', () => {
  it('PYTHON_RUNTIMES lists the v2 runtimes of 3.26–3.29', () => {
    assert.deepEqual(PYTHON_RUNTIMES, ['python3.9v2', 'python3.10v2', 'python3.11v2', 'python3.12v2', 'python3.13v2']);
  });

  it('tutorial code.py is a code definition with no diagnostics', () => {
    const r = parseEtlFile('code.py', tutorial('code.py'));
    assert.equal(r.kind, 'python-transform');
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.definitions, [
      { kind: 'code', code: tutorial('code.py'), runtime: 'python3.11v2', functionName: 'transform' },
    ]);
  });

  it('flags a transform() that is not at the top level, at its line', () => {
    const text = 'import hashlib\n\nclass Etl:\n    def transform(self, b):\n        return b\n';
    const r = parseEtlFile('t.py', text);
    const d = only(r.diagnostics, 'python-no-transform');
    assert.equal(d.severity, 'error');
    assert.equal(d.range.start.line, 3);
    assert.equal(r.definitions.length, 0);
  });

  it('flags transform() without parameters and async transform()', () => {
    const r1 = parseEtlFile('t.py', 'def transform():\n    return b""\n');
    assert.equal(only(r1.diagnostics, 'transform-signature').range.start.line, 0);
    const r2 = parseEtlFile('t.py', 'async def transform(b):\n    return b\n');
    assert.equal(only(r2.diagnostics, 'transform-async').severity, 'error');
  });

  it('a Python file that is no ETL gets one info diagnostic, whose fix adds a working transform', () => {
    const text = tutorial('server.py');
    const r = parseEtlFile('server.py', text);
    assert.equal(r.kind, 'unknown');
    const d = only(r.diagnostics, 'python-no-transform');
    assert.equal(d.severity, 'info');
    assert.match(d.message, /FastAPIServer, FlaskServer or HTTPMultiThreadedServer/);
    const fixed = parseEtlFile('server.py', applyFix(text, d.fix!));
    assert.equal(fixed.kind, 'python-transform');
    assert.deepEqual(fixed.diagnostics, []);
    const noNewline = parseEtlFile('x.py', 'import os');
    assert.match(
      applyFix('import os', noNewline.diagnostics[0].fix!),
      /^import os\n\n\ndef transform\(data: bytes\) -> bytes:/,
    );
  });
});

describe('io:// scripts', () => {
  it('tutorial io/code.py: warning at the for-loop line, fixed by reading stdin once', () => {
    const text = tutorial('io/code.py');
    const r = parseEtlFile('io/code.py', text);
    assert.equal(r.kind, 'io-script');
    assert.deepEqual(r.definitions, [{ kind: 'io', code: text, runtime: 'python3.11v2', commType: 'io://' }]);
    const d = only(r.diagnostics, 'io-iterates-bytes');
    assert.equal(d.severity, 'warning');
    assert.equal(textAt(text, d), 'for chunk in sys.stdin.buffer.read():');
    const fixed = applyFix(text, d.fix!);
    assert.equal(
      fixed,
      'import hashlib\nimport sys\n\nmd5 = hashlib.md5()\nmd5.update(sys.stdin.buffer.read())\nsys.stdout.buffer.write(md5.hexdigest().encode())\n',
    );
    assert.deepEqual(byCode(parseEtlFile('io/code.py', fixed).diagnostics, 'io-iterates-bytes'), []);
  });

  it('loops with a longer body get the chunked-iteration fix', () => {
    const text =
      'import sys\nn = 0\nfor c in sys.stdin.buffer.read(4096):  # count\n    n += 1\n    n *= 1\nprint(n)\n';
    const d = only(parseEtlFile('s.py', text).diagnostics, 'io-iterates-bytes');
    assert.equal(
      applyFix(text, d.fix!).split('\n')[2],
      'for c in iter(lambda: sys.stdin.buffer.read(4096), b""):  # count',
    );
  });

  it('every io script offers a whole-file conversion to transform(bytes)', () => {
    const text = tutorial('io/code.py');
    const d = only(parseEtlFile('io/code.py', text).diagnostics, 'io-script-legacy');
    const converted = applyFix(text, d.fix!);
    assert.equal(converted, ioScriptToTransform(text));
    const again = parseEtlFile('code.py', converted);
    assert.equal(again.kind, 'python-transform');
    assert.deepEqual(again.diagnostics, []);
  });

  it('converted scripts run: the fixed tutorial script gives the tutorial md5, the broken one a clear error', (t) => {
    const exe = python();
    if (!exe) {
      t.skip('no python3 on PATH');
      return;
    }
    const text = tutorial('io/code.py');
    const fixedScript = applyFix(text, only(parseEtlFile('io/code.py', text).diagnostics, 'io-iterates-bytes').fix!);
    assert.equal(runTransform(exe, ioScriptToTransform(fixedScript), 'some text :)\n').out, EXPECTED_MD5);
    const broken = runTransform(exe, ioScriptToTransform(text), 'some text :)\n').out;
    assert.match(broken, /^RuntimeError: io script exited with status 1: .*TypeError/s);
  });

  it('scripts that a raw string cannot hold are embedded as base64 and still run', (t) => {
    const exe = python();
    if (!exe) {
      t.skip('no python3 on PATH');
      return;
    }
    const script = "import sys\nq = '''quoted'''\nsys.stdout.write(sys.stdin.read()[::-1])\n# trailing backslash \\";
    const module = ioScriptToTransform(script);
    assert.match(module, /base64\.b64decode/);
    assert.equal(runTransform(exe, module, 'abc').out, 'cba');
  });
});

describe('aistore[etl] server classes', () => {
  const module = [
    'import hashlib',
    '',
    'from aistore.sdk.etl.webserver.fastapi_server import FastAPIServer',
    '',
    '',
    'class Md5Server(FastAPIServer):',
    '    def transform(self, data: bytes, path: str, etl_args: str) -> bytes:',
    '        return hashlib.md5(data).hexdigest().encode()',
    '',
    'fastapi_app = Md5Server(port=8000).app',
    '',
  ].join('\n');

  it('are deployable ETLServer classes with no diagnostics', () => {
    const r = parseEtlFile('etl_server.py', module);
    assert.equal(r.kind, 'python-etl-class');
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.definitions, [{ kind: 'etl-class', className: 'Md5Server', server: 'FastAPIServer', env: {} }]);
  });

  it('a transform with the wrong signature is an error', () => {
    const r = parseEtlFile(
      'etl_server.py',
      module.replace('def transform(self, data: bytes, path: str, etl_args: str)', 'def transform(self, data)'),
    );
    assert.equal(only(r.diagnostics, 'etl-class-transform-signature').range.start.line, 6);
  });
});
