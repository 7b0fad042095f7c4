import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ETL_LENS_ACTIONS, etlLenses, lensLines, transformDefinitionLines } from '../../../src/language/lensPlacement';

const tutorial = [
  'import hashlib',
  '',
  'def transform(input_bytes):',
  '    md5 = hashlib.md5()',
  '    md5.update(input_bytes)',
  '    return md5.hexdigest().encode()',
  '',
].join('\n');

test('lenses go above def transform in a Python transform', () => {
  assert.deepEqual(lensLines('python-transform', tutorial), [2]);
});

test('methods, async defs and transform_stream count; other names and calls do not', () => {
  const text = [
    'class S(FastAPIServer):',
    '    def transform(self, data, path, etl_args):',
    '        return data',
    'async def transform(x):',
    'def transform_stream(self, reader, path, etl_args):',
    'def transformer(x):',
    'y = transform(b"")',
    '# def transform(x):',
  ].join('\n');
  assert.deepEqual(transformDefinitionLines(text), [1, 3, 4]);
});

test('CRLF files and a def on the last line without newline', () => {
  assert.deepEqual(
    transformDefinitionLines('import x\r\n\r\ndef transform(b):\r\n    return b\r\ndef transform(c): pass'),
    [2, 4],
  );
});

test('a python-transform without a visible def falls back to the first line', () => {
  assert.deepEqual(lensLines('python-transform', 'from mod import transform\n'), [0]);
});

test('spec files and io scripts get lenses on the first line; other kinds none', () => {
  for (const kind of ['pod-spec', 'runtime-spec', 'io-script'] as const)
    assert.deepEqual(lensLines(kind, 'a\nb\n'), [0], kind);
  for (const kind of ['dockerfile', 'unknown'] as const)
    assert.deepEqual(lensLines(kind, 'def transform(x):\n'), [], kind);
});

test('each lens line gets Deploy, Test on object and Test on file, in that order', () => {
  const lenses = etlLenses('python-transform', tutorial);
  assert.deepEqual(
    lenses.map((l) => [l.line, l.action]),
    [
      [2, 'deploy'],
      [2, 'testOnObject'],
      [2, 'testOnFile'],
    ],
  );
  assert.deepEqual(
    ETL_LENS_ACTIONS.map((a) => a.title.replace(/^\$\([a-z-]+\) /, '')),
    ['Deploy ETL', 'Test on object…', 'Test on file…'],
  );
});

test('an ETLServer class gets its lenses on the class line; etlEntryPoints lists the methods for other lenses', async () => {
  const { etlEntryPoints } = await import('../../../src/language/entryPoints');
  const text = [
    'from aistore.sdk.etl.webserver.flask_server import FlaskServer as F',
    '',
    'class A(F):',
    '    def transform(self, data, path, etl_args):',
    '        return data',
    '',
    'class B(A):',
    '    pass',
    '',
  ].join('\n');
  assert.deepEqual(lensLines('python-etl-class', text), [2]);
  assert.deepEqual(
    etlEntryPoints({ getText: () => text }).map((e) => [e.kind, e.className, e.line, e.character]),
    [['method', 'A', 3, 4]],
  );
  assert.deepEqual(
    lensLines('python-etl-class', 'from x import FastAPIServer\nclass C(FastAPIServer):\n    pass\n'),
    [1],
    'a class without transform still shows where it is',
  );
});
