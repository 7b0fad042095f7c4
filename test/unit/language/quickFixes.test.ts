// The command-based quick fixes: "Install aistore[etl]" runs pip from the workspace folder, so it is offered only in
// a trusted window, and only when the ETL Python is known; "Convert Pod spec" is offered either way (it writes a file).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../_fakes/vscode';
import { commandFixes, INSTALL_SDK_COMMAND } from '../../../src/language/quickFixes';
import { NO_SDK_CODE } from '../../../src/language/contextDiagnostics';
import type { EtlSdkProbe } from '../../../src/engine/etl';

const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } };
const noSdk = [{ code: NO_SDK_CODE, range }];
const PY: EtlSdkProbe = { python: 'python3', executable: '/usr/bin/python3.11', version: '3.11.7' };

test('Install aistore[etl] is offered for a missing SDK in a trusted window, with the interpreter to install into', () => {
  assert.deepEqual(commandFixes(noSdk, PY, true), [
    {
      title: 'Install aistore[etl] into /usr/bin/python3.11',
      command: INSTALL_SDK_COMMAND,
      arg: { python: '/usr/bin/python3.11' },
    },
  ]);
});

test('in Restricted Mode, or with no interpreter found, no install is offered', () => {
  assert.deepEqual(commandFixes(noSdk, PY, false), []);
  assert.deepEqual(commandFixes(noSdk, undefined, true), []);
  assert.deepEqual(commandFixes(noSdk, { ...PY, error: 'no python' }, true), []);
});

test('Convert Pod spec is offered in Restricted Mode too (it only writes a new file)', () => {
  const shown = [{ code: 'pod-spec-deprecated', range }];
  assert.deepEqual(
    commandFixes(shown, PY, false).map((a) => [a.title, a.arg]),
    [['Convert Pod spec to runtime spec (new file next to it)', { document: true }]],
  );
});
