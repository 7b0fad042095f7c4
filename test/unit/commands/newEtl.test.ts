// aistore.newEtl driven with plain arguments and with scripted prompts, against a real temp folder.
// `vscode` is not loadable outside the extension host: a small stand-in (just what newEtl.ts uses) is injected
// through Module._load before the command module is required.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import Module from 'node:module';
import { renderScaffold } from '../../../src/language/scaffoldTemplates';

class FakeUri {
  readonly scheme = 'file';
  private constructor(readonly path: string) {}
  static file(p: string) { return new FakeUri(posix.normalize(p)); }
  static joinPath(u: FakeUri, ...parts: string[]) { return new FakeUri(posix.join(u.path, ...parts)); }
  get fsPath() { return this.path; }
  toString() { return `file://${this.path}`; }
}

interface Prompts { quickPick?: (items: { template: { id: string } }[]) => unknown; input?: string; warning?: (buttons: string[]) => string | undefined }
const ui = { prompts: {} as Prompts, opened: [] as string[], errors: [] as string[], warnings: [] as string[], workspace: '' };
const registered = new Map<string, (arg?: unknown) => Promise<unknown>>();
const log = { info() {}, error() {}, debug() {}, show() {} };

const fakeVscode = {
  Uri: FakeUri,
  FileType: { File: 1, Directory: 2 },
  commands: { registerCommand: (id: string, fn: (arg?: unknown) => Promise<unknown>) => { registered.set(id, fn); return { dispose() {} }; } },
  workspace: {
    get workspaceFolders() { return ui.workspace ? [{ uri: FakeUri.file(ui.workspace), name: 'ws', index: 0 }] : undefined; },
    asRelativePath: (u: FakeUri) => u.path,
    fs: {
      stat: async (u: FakeUri) => ({ type: statSync(u.path).isDirectory() ? 2 : 1 }),
      createDirectory: async (u: FakeUri) => { mkdirSync(u.path, { recursive: true }); },
      writeFile: async (u: FakeUri, data: Uint8Array) => { writeFileSync(u.path, data); },
    },
  },
  window: {
    showQuickPick: async (items: { template: { id: string } }[]) => ui.prompts.quickPick?.(items),
    showInputBox: async (o: { value: string; validateInput(v: string): string | undefined }) => {
      const v = ui.prompts.input ?? o.value;
      return o.validateInput(v) ? undefined : v;
    },
    showWarningMessage: async (message: string, _opts: unknown, ...buttons: string[]) => { ui.warnings.push(message); return ui.prompts.warning?.(buttons); },
    showErrorMessage: async (message: string) => { ui.errors.push(message); return undefined; },
    showTextDocument: async (u: FakeUri) => { ui.opened.push(u.path); },
    showWorkspaceFolderPick: async () => undefined,
    showOpenDialog: async () => undefined,
  },
};

let root = '';
let run: (arg?: unknown) => Promise<unknown>;
let engineMissing: string | undefined;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'ais-newetl-'));
  const M = Module as unknown as { _load(request: string, ...rest: unknown[]): unknown };
  const original = M._load;
  M._load = function (request: string, ...rest: unknown[]) { return request === 'vscode' ? fakeVscode : original.call(this, request, ...rest); };
  try {
    const mod = await import('../../../src/commands/newEtl');
    mod.registerNewEtlCommand({ subscriptions: [] } as never, { log: log as never });
    run = registered.get('aistore.newEtl')!;
  } catch (e) {
    engineMissing = `newEtl.ts could not load (engine index missing?): ${(e as Error).message}`;
  }
});
after(() => rmSync(root, { recursive: true, force: true }));

function fresh(name: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  ui.prompts = {}; ui.opened = []; ui.errors = []; ui.warnings = []; ui.workspace = dir;
  return dir;
}

type Result = { folder: FakeUri; files: FakeUri[] } | undefined;

test('plain arguments create the template files in <folder>/<default name>/ and open the main file', async (t) => {
  if (engineMissing) return t.skip(engineMissing);
  const ws = fresh('args');
  const res = (await run({ template: 'python-transform', folder: FakeUri.file(ws) })) as Result;
  assert.equal(res?.folder.path, join(ws, 'transformer-md5'));
  assert.deepEqual(res?.files.map((f) => f.path), [join(ws, 'transformer-md5/code.py'), join(ws, 'transformer-md5/requirements.txt')]);
  const expected = renderScaffold('python-transform', 'transformer-md5');
  assert.equal(readFileSync(join(ws, 'transformer-md5/code.py'), 'utf8'), expected[0].content);
  assert.deepEqual(ui.opened, [join(ws, 'transformer-md5/code.py')]);
});

test('existing files are never overwritten by scripted calls: a free <name>-2 folder is used', async (t) => {
  if (engineMissing) return t.skip(engineMissing);
  const ws = fresh('nooverwrite');
  mkdirSync(join(ws, 'md5-etl'));
  writeFileSync(join(ws, 'md5-etl/etl_spec.yaml'), 'mine\n');
  const res = (await run({ template: 'runtime-spec', folder: ws, name: 'md5-etl', open: false })) as Result;
  assert.equal(readFileSync(join(ws, 'md5-etl/etl_spec.yaml'), 'utf8'), 'mine\n');
  assert.equal(res?.folder.path, join(ws, 'md5-etl-2'));
  assert.match(readFileSync(join(ws, 'md5-etl-2/etl_spec.yaml'), 'utf8'), /^name: md5-etl$/m);
  assert.deepEqual(ui.opened, []);
});

test('overwrite: true replaces the files in place', async (t) => {
  if (engineMissing) return t.skip(engineMissing);
  const ws = fresh('overwrite');
  mkdirSync(join(ws, 'md5-etl'));
  writeFileSync(join(ws, 'md5-etl/etl_spec.yaml'), 'mine\n');
  await run({ template: 'runtime-spec', folder: ws, name: 'md5-etl', overwrite: true, open: false });
  assert.match(readFileSync(join(ws, 'md5-etl/etl_spec.yaml'), 'utf8'), /^name: md5-etl$/m);
});

test('an invalid ETL name is rejected with the reason, nothing is written', async (t) => {
  if (engineMissing) return t.skip(engineMissing);
  const ws = fresh('badname');
  await assert.rejects(run({ template: 'io-script', folder: ws, name: 'Bad_Name' }) as Promise<unknown>, /Bad_Name.*\[a-z0-9-\]/);
  assert.equal(existsSync(join(ws, 'Bad_Name')), false);
});

test('interactive: pick template, name, then on a conflict the user is asked; Cancel writes nothing', async (t) => {
  if (engineMissing) return t.skip(engineMissing);
  const ws = fresh('interactive');
  mkdirSync(join(ws, 'resize-etl'));
  writeFileSync(join(ws, 'resize-etl/server.py'), 'mine\n');
  ui.prompts = { quickPick: (items) => items.find((i) => i.template.id === 'http-server'), input: 'resize-etl', warning: () => undefined };
  assert.equal(await run(), undefined);
  assert.equal(ui.warnings.length, 1);
  assert.match(ui.warnings[0], /resize-etl\/server\.py already exists/);
  assert.equal(readFileSync(join(ws, 'resize-etl/server.py'), 'utf8'), 'mine\n');
  assert.equal(existsSync(join(ws, 'resize-etl/Dockerfile')), false);

  ui.prompts.warning = (buttons) => buttons.find((b) => b.startsWith('Create in'));
  const res = (await run()) as Result;
  assert.equal(res?.folder.path, join(ws, 'resize-etl-2'));
  assert.ok(existsSync(join(ws, 'resize-etl-2/Dockerfile')));
  assert.deepEqual(ui.opened, [join(ws, 'resize-etl-2/server.py')]);
});

test('explorer context: a folder Uri is the base folder, a file Uri means its folder', async (t) => {
  if (engineMissing) return t.skip(engineMissing);
  const ws = fresh('explorer');
  mkdirSync(join(ws, 'sub'));
  writeFileSync(join(ws, 'sub/readme.md'), 'x');
  ui.prompts = { quickPick: (items) => items.find((i) => i.template.id === 'io-script'), warning: (buttons) => buttons.find((b) => b.startsWith('Create in')) };
  const viaFolder = (await run(FakeUri.file(join(ws, 'sub')))) as Result;
  assert.equal(viaFolder?.folder.path, join(ws, 'sub/compute-md5'));
  const viaFile = (await run(FakeUri.file(join(ws, 'sub/readme.md')))) as Result;
  assert.equal(viaFile?.folder.path, join(ws, 'sub/compute-md5-2'));
});

test('a dismissed quick pick does nothing', async (t) => {
  if (engineMissing) return t.skip(engineMissing);
  fresh('dismiss');
  assert.equal(await run(), undefined);
  assert.deepEqual(ui.errors, []);
});
