// aistore.newEtl driven with plain arguments and with scripted prompts, against a real temp folder.
// The `vscode` stand-in (test/unit/_fakes/vscode.ts) is installed before the command module loads; its window answers
// the prompts by script.
import { test, before, after } from 'node:test';
import { CancelledError } from '../../../src/services/errors';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Uri, vscodeFake, window } from '../_fakes/vscode';
import { newEtl } from '../../../src/commands/newEtl';
import { renderScaffold } from '../../../src/language/scaffoldTemplates';
import { commandContext, fakeClient } from '../_fakes/context';

type Result = Awaited<ReturnType<typeof run>>;
const FakeUri = Uri;
let root = '';
const t = commandContext(fakeClient());
// Called the way VS Code calls it: the fake Uri stands in for vscode.Uri.
const run = (arg?: unknown) => newEtl.invoke(t.ctx, arg);
const ui = {
  get opened() {
    return window.opened.map((u) => u.replace(/^file:\/\//, ''));
  },
  get warnings() {
    return window.shown.filter((m) => m.kind === 'warning').map((m) => m.message);
  },
};

before(() => {
  root = mkdtempSync(join(tmpdir(), 'ais-newetl-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

function fresh(name: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  window.reset();
  vscodeFake.workspace.workspaceFolders = [{ uri: Uri.file(dir), name: 'ws', index: 0 }];
  return dir;
}

test('plain arguments create the template files in <folder>/<default name>/ and open the main file', async () => {
  const ws = fresh('args');
  const res = await run({ template: 'python-transform', folder: FakeUri.file(ws) });
  assert.equal(res?.folder.path, join(ws, 'transformer-md5'));
  assert.deepEqual(
    res?.files.map((f) => f.path),
    [join(ws, 'transformer-md5/code.py'), join(ws, 'transformer-md5/requirements.txt')],
  );
  const expected = renderScaffold('python-transform', 'transformer-md5');
  assert.equal(readFileSync(join(ws, 'transformer-md5/code.py'), 'utf8'), expected[0].content);
  assert.deepEqual(ui.opened, [join(ws, 'transformer-md5/code.py')]);
});

test('existing files are never overwritten by scripted calls: a free <name>-2 folder is used', async () => {
  const ws = fresh('nooverwrite');
  mkdirSync(join(ws, 'md5-etl'));
  writeFileSync(join(ws, 'md5-etl/etl_spec.yaml'), 'mine\n');
  const res = await run({ template: 'runtime-spec', folder: ws, name: 'md5-etl', open: false });
  assert.equal(readFileSync(join(ws, 'md5-etl/etl_spec.yaml'), 'utf8'), 'mine\n');
  assert.equal(res?.folder.path, join(ws, 'md5-etl-2'));
  assert.match(readFileSync(join(ws, 'md5-etl-2/etl_spec.yaml'), 'utf8'), /^name: md5-etl$/m);
  assert.deepEqual(ui.opened, []);
});

test('overwrite: true replaces the files in place', async () => {
  const ws = fresh('overwrite');
  mkdirSync(join(ws, 'md5-etl'));
  writeFileSync(join(ws, 'md5-etl/etl_spec.yaml'), 'mine\n');
  await run({ template: 'runtime-spec', folder: ws, name: 'md5-etl', overwrite: true, open: false });
  assert.match(readFileSync(join(ws, 'md5-etl/etl_spec.yaml'), 'utf8'), /^name: md5-etl$/m);
});

test('an invalid ETL name is rejected with the reason, nothing is written', async () => {
  const ws = fresh('badname');
  await assert.rejects(run({ template: 'io-script', folder: ws, name: 'Bad_Name' }), /Bad_Name.*\[a-z0-9-\]/);
  assert.equal(existsSync(join(ws, 'Bad_Name')), false);
});

test('interactive: pick template, name, then on a conflict the user is asked; Cancel writes nothing', async () => {
  const ws = fresh('interactive');
  mkdirSync(join(ws, 'resize-etl'));
  writeFileSync(join(ws, 'resize-etl/server.py'), 'mine\n');
  window.pick((items) => items.find((i) => i.label.includes('HTTP server'))).type('resize-etl');
  await assert.rejects(run(), CancelledError);
  assert.equal(ui.warnings.length, 1);
  assert.match(ui.warnings[0], /resize-etl\/server\.py already exists/);
  assert.equal(readFileSync(join(ws, 'resize-etl/server.py'), 'utf8'), 'mine\n');
  assert.equal(existsSync(join(ws, 'resize-etl/Dockerfile')), false);

  window
    .pick((items) => items.find((i) => i.label.includes('HTTP server')))
    .type('resize-etl')
    .click('warning', 'Create in resize-etl-2/');
  const res: Result = await run();
  assert.equal(res?.folder.path, join(ws, 'resize-etl-2'));
  assert.ok(existsSync(join(ws, 'resize-etl-2/Dockerfile')));
  assert.deepEqual(ui.opened, [join(ws, 'resize-etl-2/spec.yaml')], 'the deployable file opens, not server.py');
});

test('explorer context: a folder Uri is the base folder, a file Uri means its folder', async () => {
  const ws = fresh('explorer');
  mkdirSync(join(ws, 'sub'));
  writeFileSync(join(ws, 'sub/readme.md'), 'x');
  window.pick((items) => items.find((i) => i.label.includes('io://'))).type('compute-md5');
  const viaFolder = await run(FakeUri.file(join(ws, 'sub')));
  assert.equal(viaFolder?.folder.path, join(ws, 'sub/compute-md5'));
  window
    .pick((items) => items.find((i) => i.label.includes('io://')))
    .type('compute-md5')
    .click('warning', 'Create in compute-md5-2/');
  const viaFile = await run(FakeUri.file(join(ws, 'sub/readme.md')));
  assert.equal(viaFile?.folder.path, join(ws, 'sub/compute-md5-2'));
});

test('a dismissed quick pick does nothing', async () => {
  fresh('dismiss');
  await assert.rejects(run(), CancelledError);
  assert.deepEqual(window.shown, []);
});
