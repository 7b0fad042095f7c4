import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { parseEtlFile, type EtlSdkProbe } from '../../../src/engine/etl';
import { contextualDiagnostics, NO_SDK_CODE, type ContextInputs } from '../../../src/language/contextDiagnostics';
import { FolderCache, importedBySibling, readFolder, type FolderInfo } from '../../../src/language/etlFolder';

const TUTORIAL = join(__dirname, '..', '..', 'fixtures', 'tutorial');
const EMPTY: FolderInfo = { specs: [], pythonModules: [] };
const WITH_SDK: EtlSdkProbe = {
  python: 'python3',
  executable: '/usr/bin/python3.11',
  version: '3.11',
  sdk: '2.0.0',
  supportedPythons: ['3.10', '3.11'],
};

function inputs(fileName: string, text: string, over: Partial<ContextInputs> = {}): ContextInputs {
  const parsed = parseEtlFile(fileName, text);
  return {
    fileName,
    text,
    kind: parsed.kind,
    diagnostics: parsed.diagnostics,
    markedAsEtl: false,
    folder: EMPTY,
    sdk: () => WITH_SDK,
    ...over,
  };
}

const codes = (i: ContextInputs) => contextualDiagnostics(i).map((d) => `${d.code}:${d.severity}`);
const PLAIN = 'import os\n\nprint(os.getcwd())\n';

test('a .py without an entry point is silent, unless it is meant as an ETL', () => {
  assert.deepEqual(codes(inputs('/w/util.py', PLAIN)), []);
  assert.deepEqual(codes(inputs('/w/util.py', PLAIN, { markedAsEtl: true })), ['python-no-transform:warning']);
  assert.deepEqual(codes(inputs('/w/etl.py', `from aistore.sdk import Client\n${PLAIN}`)), [
    'python-no-transform:warning',
  ]);
  const folder = readFolder(TUTORIAL);
  assert.deepEqual(
    codes(inputs(join(TUTORIAL, 'code2.py'), PLAIN, { folder })),
    ['python-no-transform:warning'],
    'in an ETL folder',
  );
  const d = contextualDiagnostics(inputs('/w/util.py', PLAIN, { markedAsEtl: true }))[0];
  assert.ok(d.fix && /def transform\(data: bytes\) -> bytes:/.test(d.fix.newText));
});

test('a helper module imported by its neighbour is not flagged in an ETL folder', () => {
  const folder: FolderInfo = {
    ...readFolder(TUTORIAL),
    pythonModules: [{ fileName: '/t/etl.py', text: 'from helpers import x\n' }],
  };
  assert.equal(importedBySibling('/t/helpers.py', folder), true);
  assert.deepEqual(codes(inputs('/t/helpers.py', PLAIN, { folder })), []);
});

test('the tutorial server.py, run by spec.yaml next to it, gets the current-contract checks instead', () => {
  const text = readFileSync(join(TUTORIAL, 'server.py'), 'utf8');
  assert.deepEqual(codes(inputs(join(TUTORIAL, 'server.py'), text, { folder: readFolder(TUTORIAL) })), [
    'server-post-only:warning',
    'server-reads-body:warning',
    'server-no-health:warning',
  ]);
});

test(
  'an ETLServer class file: the interpreter without aistore, or with an unsupported Python, is a warning at the ' +
    'import',
  () => {
    const text =
      'import hashlib\nfrom aistore.sdk.etl.webserver.fastapi_server import FastAPIServer\n\nclass ' +
      'S(FastAPIServer):\n    def transform(self, d, p, a):\n        return d\n';
    assert.deepEqual(codes(inputs('/w/s.py', text)), []);
    const missing = contextualDiagnostics(
      inputs('/w/s.py', text, {
        sdk: () => ({ python: 'python3', executable: '/usr/bin/python3.11', version: '3.11' }),
      }),
    );
    assert.equal(missing[0].code, NO_SDK_CODE);
    assert.equal(missing[0].range.start.line, 1);
    assert.match(missing[0].message, /"\/usr\/bin\/python3\.11" -m pip install "aistore\[etl\]"/);
    const old = contextualDiagnostics(inputs('/w/s.py', text, { sdk: () => ({ ...WITH_SDK, version: '3.9' }) }));
    assert.deepEqual(
      old.map((d) => d.code),
      ['etl-class-python-unsupported'],
    );
    const broken = contextualDiagnostics(
      inputs('/w/s.py', text, { sdk: () => ({ python: 'nopython', error: 'spawn nopython ENOENT' }) }),
    );
    assert.match(broken[0].message, /could not be run \(spawn nopython ENOENT\)/);
    assert.deepEqual(
      codes(inputs('/w/s.py', text, { sdk: () => undefined })),
      [],
      'nothing while the interpreter has not answered',
    );
  },
);

test('the interpreter is only asked for files that need the SDK', () => {
  let asked = 0;
  const sdk = () => {
    asked++;
    return WITH_SDK;
  };
  contextualDiagnostics(inputs('/w/code.py', 'def transform(b):\n    return b\n', { sdk }));
  contextualDiagnostics(inputs('/w/u.py', PLAIN, { sdk }));
  contextualDiagnostics(inputs('/w/spec.yaml', 'name: x', { sdk }));
  assert.equal(asked, 0);
});

test('the folder is read once per interval', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aisetl-folder-'));
  try {
    writeFileSync(
      join(dir, 'etl_spec.yaml'),
      'name: md5-etl\nruntime:\n  image: img\n  command: ["python", "app.py"]\n',
    );
    writeFileSync(join(dir, 'notes.yaml'), 'a: 1\n');
    writeFileSync(join(dir, 'Dockerfile'), 'FROM python\n');
    let reads = 0;
    let now = 0;
    const cache = new FolderCache(
      1000,
      (d) => {
        reads++;
        return readFolder(d);
      },
      () => now,
    );
    const info = cache.of(join(dir, 'app.py'));
    assert.deepEqual(
      info.specs.map((s) => s.kind),
      ['runtime-spec'],
    );
    assert.equal(info.dockerfile, 'FROM python\n');
    cache.of(join(dir, 'other.py'));
    assert.equal(reads, 1);
    now = 2000;
    cache.of(join(dir, 'app.py'));
    assert.equal(reads, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
