import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { debugLensLines } from '../../../src/debug/lensLines';

const TUTORIAL = path.resolve(__dirname, '../../fixtures/tutorial');
const read = (f: string): string => fs.readFileSync(path.join(TUTORIAL, f), 'utf8');

test('code ETL: Debug above the top-level def transform', () => {
  const text = read('code.py');
  const at = text.split('\n').indexOf('def transform(input_bytes):');
  assert.deepEqual(debugLensLines('code.py', text), { kind: 'code', lines: [at] });
});

test('ETLServer class: Debug above its transform method', () => {
  const text =
    'from aistore.sdk.etl.webserver.fastapi_server import FastAPIServer\n\nclass S(FastAPIServer):\n' +
    '    def __init__(self):\n        super().__init__()\n\n' +
    '    def transform(self, data, path, etl_args):\n        return data\n';
  assert.deepEqual(debugLensLines('srv.py', text), { kind: 'etl-class', lines: [6] });
});

test('server.py: Debug above the request handler; specs and io:// scripts on the first line', () => {
  const server = read('server.py');
  const at = server.split('\n').findIndex((l) => l.includes('def do_POST'));
  assert.deepEqual(debugLensLines('server.py', server), { kind: 'server', lines: [at] });
  const spec = path.join(TUTORIAL, 'spec.yaml');
  assert.deepEqual(debugLensLines(spec, read('spec.yaml'), fs.existsSync), { kind: 'server', lines: [0] });
  // a spec whose server is only in an image cannot be run here: no lens
  const runtime = 'name: x\nruntime:\n  image: aistorage/transformer_md5:latest\ncommunication: hpull://\n';
  assert.equal(debugLensLines('/nowhere/x.yaml', runtime, fs.existsSync), undefined);
  assert.equal(debugLensLines('/nowhere/spec.yaml', read('spec.yaml'), fs.existsSync), undefined);
  assert.deepEqual(debugLensLines('code.py', read('io/code.py')), { kind: 'io', lines: [0] });
});

test('no Debug lens on files that are not ETLs', () => {
  assert.equal(debugLensLines('notes.py', 'x = 1\n'), undefined);
  assert.equal(debugLensLines('Dockerfile', read('Dockerfile')), undefined);
});
