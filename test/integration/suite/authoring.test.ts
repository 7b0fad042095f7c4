// ETL authoring inside a real VS Code: diagnostics as you type, quick fixes, code lenses and "AIStore: New ETL…".
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

import { EXTENSION_ID, WAIT_MS, openEditor, ours, quickFixes, waitFor } from './_helpers';

/** Our code lenses, once the provider has some (it answers after the document was analyzed). */
async function aisLenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const got = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    const mine = (got ?? []).filter((l) => l.command?.command.startsWith('aistore.'));
    if (mine.length > 0 || Date.now() > deadline) return mine;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function lineOf(text: string, needle: string): number {
  const line = text.split(/\r?\n/).findIndex((l) => l.includes(needle));
  assert.ok(line >= 0, `"${needle}" not found`);
  return line;
}

suite('Authoring: diagnostics, quick fixes, code lenses, New ETL', () => {
  let dir = '';
  let fixtures = '';

  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
    await ext.activate();
    // The harness copies test/fixtures/tutorial into the workspace; fall back to the repository copy.
    const ws = process.env.AISETL_TEST_WORKSPACE;
    fixtures =
      ws && fs.existsSync(path.join(ws, 'tutorial/spec.yaml'))
        ? path.join(ws, 'tutorial')
        : path.join(ext.extensionPath, 'test/fixtures/tutorial');
    const base = ws && fs.existsSync(ws) ? ws : os.tmpdir();
    dir = fs.mkdtempSync(path.join(base, 'authoring-'));
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the tutorial pod spec warns about the missing readinessProbe on its container, and the quick fix removes it', async () => {
    const file = path.join(dir, 'spec.yaml');
    fs.copyFileSync(path.join(fixtures, 'spec.yaml'), file);
    const editor = await openEditor(file);
    const uri = editor.document.uri;
    const warning = await waitFor('the readinessProbe warning', () =>
      ours(uri).find((d) => /readinessProbe/.test(d.message)),
    );
    assert.equal(warning.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(
      warning.range.start.line,
      lineOf(editor.document.getText(), '- name: server'),
      'points at the container',
    );
    assert.ok(warning.code, 'has a code');

    const fix = (await quickFixes(uri, warning.range)).find((a) => /readinessProbe/i.test(a.title));
    assert.ok(fix, 'a readinessProbe quick fix is offered');
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    assert.match(editor.document.getText(), /readinessProbe:\s+httpGet:\s+path: \/health\s+port: default/);
    await waitFor('the warning to go away', () => !ours(uri).some((d) => /readinessProbe/.test(d.message)));
    assert.deepEqual(
      ours(uri)
        .filter((d) => d.severity === vscode.DiagnosticSeverity.Error)
        .map((d) => d.message),
      [],
    );
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('`communication: hpush` gets an error with a quick fix to hpush://', async () => {
    const file = path.join(dir, 'etl_spec.yaml');
    fs.writeFileSync(
      file,
      'name: md5-etl\nruntime:\n  image: aistorage/transformer_md5:latest\ncommunication: hpush\n',
    );
    const editor = await openEditor(file);
    const uri = editor.document.uri;
    const line = lineOf(editor.document.getText(), 'communication:');
    const error = await waitFor('an error on the communication line', () =>
      ours(uri).find((d) => d.range.start.line === line),
    );
    assert.equal(error.severity, vscode.DiagnosticSeverity.Error);
    const fix = (await quickFixes(uri, error.range)).find((a) => a.title.includes('hpush://'));
    assert.ok(fix, 'a quick fix to hpush:// is offered');
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    assert.equal(editor.document.lineAt(line).text, 'communication: hpush://');
    await waitFor('the error to go away', () => !ours(uri).some((d) => d.range.start.line === line));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('typing a mistake into a clean spec shows a diagnostic without saving', async () => {
    const file = path.join(dir, 'typed.etl.yaml');
    fs.writeFileSync(
      file,
      'name: typed-etl\nruntime:\n  image: aistorage/transformer_md5:latest\ncommunication: hpull://\n',
    );
    const editor = await openEditor(file);
    const uri = editor.document.uri;
    assert.equal((await aisLenses(uri)).length, 3, 'analyzed as a runtime spec');
    assert.deepEqual(
      ours(uri)
        .filter((d) => d.severity === vscode.DiagnosticSeverity.Error)
        .map((d) => d.message),
      [],
    );
    const line = lineOf(editor.document.getText(), 'communication:');
    await editor.edit((b) => b.replace(new vscode.Range(line, 15, line, 23), 'carrier-pigeon'));
    await waitFor('a diagnostic for the typed comm type', () => ours(uri).find((d) => d.range.start.line === line));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('closing a file clears its diagnostics', async () => {
    const file = path.join(dir, 'closing.etl.yaml');
    fs.writeFileSync(
      file,
      'name: closing-etl\nruntime:\n  image: aistorage/transformer_md5:latest\ncommunication: hpush\n',
    );
    const editor = await openEditor(file);
    const uri = editor.document.uri;
    await waitFor('a diagnostic', () => ours(uri).length > 0);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await waitFor('the diagnostics to be cleared after close', () => ours(uri).length === 0);
  });

  test('code lenses sit above def transform: Deploy ETL, Test on object…, Test on file…, each with the document Uri', async () => {
    const file = path.join(dir, 'code.py');
    fs.copyFileSync(path.join(fixtures, 'code.py'), file);
    const editor = await openEditor(file);
    const uri = editor.document.uri;
    const defLine = lineOf(editor.document.getText(), 'def transform');
    const found = await aisLenses(uri);
    assert.deepEqual(
      found.map((l) => [l.range.start.line, l.command?.command]),
      [
        [defLine, 'aistore.deployEtl'],
        [defLine, 'aistore.testOnObject'],
        [defLine, 'aistore.testOnFile'],
        [defLine, 'aistore.debugEtl'],
      ],
    );
    for (const l of found) assert.equal(String(l.command?.arguments?.[0]), String(uri));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('aistore.newEtl with arguments creates the files without prompts, and never overwrites', async () => {
    const folder = vscode.Uri.file(dir);
    const first = await vscode.commands.executeCommand<{ folder: vscode.Uri; files: vscode.Uri[] }>('aistore.newEtl', {
      template: 'python-transform',
      folder,
      name: 'authoring-md5',
      open: false,
    });
    assert.ok(first, 'the command returns what it created');
    assert.deepEqual(
      first.files.map((f) => path.relative(dir, f.fsPath)),
      [path.join('authoring-md5', 'code.py'), path.join('authoring-md5', 'requirements.txt')],
    );
    const code = fs.readFileSync(path.join(dir, 'authoring-md5/code.py'), 'utf8');
    assert.match(code, /^def transform\(input_bytes: bytes\) -> bytes:/m);
    fs.writeFileSync(path.join(dir, 'authoring-md5/code.py'), 'mine\n');

    const second = await vscode.commands.executeCommand<{ folder: vscode.Uri; files: vscode.Uri[] }>('aistore.newEtl', {
      template: 'http-server',
      folder,
      name: 'authoring-md5',
      open: false,
    });
    assert.equal(fs.readFileSync(path.join(dir, 'authoring-md5/code.py'), 'utf8'), 'mine\n');
    assert.deepEqual(
      second.files.map((f) => path.basename(f.fsPath)),
      ['server.py', 'Dockerfile', 'spec.yaml'],
    );
    // http-server has no code.py: no conflict, so it goes into the same folder
    assert.equal(path.basename(second.folder.fsPath), 'authoring-md5');

    const third = await vscode.commands.executeCommand<{ folder: vscode.Uri; files: vscode.Uri[] }>('aistore.newEtl', {
      template: 'python-transform',
      folder,
      name: 'authoring-md5',
      open: false,
    });
    assert.equal(path.basename(third.folder.fsPath), 'authoring-md5-2');
  });

  test('the ais-* snippets are offered while typing in Python, YAML and Dockerfile editors', async () => {
    const expected: [string, string, string[]][] = [
      ['python', 'snippets.py', ['ais-transform', 'ais-io', 'ais-server', 'ais-etl-class']],
      ['yaml', 'snippets.yaml', ['ais-podspec', 'ais-runtime-spec']],
      ['dockerfile', 'Dockerfile', ['ais-dockerfile']],
    ];
    for (const [language, name, prefixes] of expected) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, 'ais-');
      const editor = await openEditor(file);
      assert.equal(editor.document.languageId, language);
      const list = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        editor.document.uri,
        new vscode.Position(0, 4),
      );
      const labels = list.items
        .filter((i) => i.kind === vscode.CompletionItemKind.Snippet)
        .map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      for (const p of prefixes) assert.ok(labels.includes(p), `${language}: ${p} offered (got ${labels.join(', ')})`);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
  });

  test('a scaffolded pod spec opens without warnings or errors', async () => {
    const made = await vscode.commands.executeCommand<{ folder: vscode.Uri; files: vscode.Uri[] }>('aistore.newEtl', {
      template: 'http-server',
      folder: vscode.Uri.file(dir),
      name: 'clean-spec',
      open: false,
    });
    const spec = made.files.find((f) => f.fsPath.endsWith('spec.yaml'))!;
    await openEditor(spec.fsPath);
    // Deploy, Test on object, Test on file, and Debug (its server.py sits next to it)
    assert.deepEqual(
      (await aisLenses(spec)).map((l) => l.range.start.line),
      [0, 0, 0, 0],
      'analyzed as a pod spec',
    );
    assert.deepEqual(
      ours(spec)
        .filter((d) => d.severity !== vscode.DiagnosticSeverity.Information)
        .map((d) => d.message),
      [],
    );
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
  test('an ETLServer class gets Deploy / Test lenses on its class line and a signature error with a fix', async () => {
    const file = path.join(dir, 'md5_server.py');
    fs.writeFileSync(
      file,
      [
        'import hashlib',
        '',
        'from aistore.sdk.etl.webserver.fastapi_server import FastAPIServer as Base',
        '',
        '',
        'class Md5Server(Base):',
        '    def transform(self, data):',
        '        return hashlib.md5(data).hexdigest().encode()',
        '',
      ].join('\n'),
    );
    const editor = await openEditor(file);
    const uri = editor.document.uri;
    const classLine = lineOf(editor.document.getText(), 'class Md5Server');
    const found = await aisLenses(uri);
    assert.deepEqual(
      found.map((l) => [l.range.start.line, l.command?.command]),
      [
        [classLine, 'aistore.deployEtl'],
        [classLine, 'aistore.testOnObject'],
        [classLine, 'aistore.testOnFile'],
      ],
    );
    const error = await waitFor('the signature error', () =>
      ours(uri).find((d) => d.code === 'etl-class-transform-signature'),
    );
    assert.equal(error.range.start.line, classLine + 1);
    const fix = (await quickFixes(uri, error.range)).find((a) => a.title.includes('etl_args'));
    assert.ok(fix, 'a signature quick fix is offered');
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    assert.match(editor.document.getText(), /def transform\(self, data, path, etl_args\):/);
    await waitFor('the error to go away', () => !ours(uri).some((d) => d.code === 'etl-class-transform-signature'));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('a .py without a transform in an ETL folder gets a warning, and the quick fix makes it deployable', async () => {
    const folder = fs.mkdtempSync(path.join(dir, 'etl-folder-'));
    fs.copyFileSync(path.join(fixtures, 'spec.yaml'), path.join(folder, 'spec.yaml'));
    const file = path.join(folder, 'code.py');
    fs.writeFileSync(file, 'import hashlib\n\n\ndef md5(data):\n    return hashlib.md5(data).hexdigest().encode()\n');
    const editor = await openEditor(file);
    const uri = editor.document.uri;
    const warning = await waitFor('the missing-transform warning', () =>
      ours(uri).find((d) => d.code === 'python-no-transform'),
    );
    assert.equal(warning.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(
      ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? []).filter(
        (l) => l.command?.command.startsWith('aistore.'),
      ).length,
      0,
      'no Deploy lens on a file that cannot deploy',
    );
    const fix = (await quickFixes(uri, warning.range)).find((a) => /transform/.test(a.title));
    assert.ok(fix, 'a quick fix inserting transform is offered');
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    await waitFor('the warning to go away', () => !ours(uri).some((d) => d.code === 'python-no-transform'));
    const lenses = (await aisLenses(uri)).map((l) => l.command?.command);
    assert.ok(lenses.includes('aistore.deployEtl') && lenses.includes('aistore.debugEtl'), `now deployable: ${lenses}`);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('the tutorial server.py next to its spec gets the current-contract warnings, with fixes', async () => {
    const folder = fs.mkdtempSync(path.join(dir, 'server-folder-'));
    for (const f of ['spec.yaml', 'server.py']) fs.copyFileSync(path.join(fixtures, f), path.join(folder, f));
    const editor = await openEditor(path.join(folder, 'server.py'));
    const uri = editor.document.uri;
    await waitFor('three contract warnings', () => ours(uri).length === 3);
    assert.deepEqual(
      ours(uri)
        .map((d) => String(d.code))
        .sort(),
      ['server-no-health', 'server-post-only', 'server-reads-body'],
    );
    const post = ours(uri).find((d) => d.code === 'server-post-only')!;
    const fix = (await quickFixes(uri, post.range)).find((a) => /PUT/.test(a.title));
    assert.ok(fix, 'a PUT quick fix is offered');
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    await waitFor('the POST-only warning to go away', () => !ours(uri).some((d) => d.code === 'server-post-only'));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('Convert Pod spec to runtime spec: quick fix on the Pod spec, a new file each time, never over an existing one', async () => {
    const folder = fs.mkdtempSync(path.join(dir, 'convert-'));
    const file = path.join(folder, 'spec.yaml');
    fs.copyFileSync(path.join(fixtures, 'spec.yaml'), file);
    const editor = await openEditor(file);
    const uri = editor.document.uri;
    const lostPort = await waitFor('the containerPort note', () =>
      ours(uri).find((d) => d.code === 'pod-to-runtime-lost'),
    );
    assert.equal(lostPort.range.start.line, lineOf(editor.document.getText(), 'containerPort: 80'));
    const kindLine = lineOf(editor.document.getText(), 'kind: Pod');
    const convert = (
      (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
        'vscode.executeCodeActionProvider',
        uri,
        new vscode.Range(kindLine, 0, kindLine, 9),
        vscode.CodeActionKind.QuickFix.value,
      )) ?? []
    ).find((a) => /Convert Pod spec/.test(a.title));
    assert.ok(convert, 'the conversion is offered on the Pod spec');
    const first = await vscode.commands.executeCommand<{ uri: vscode.Uri; notConverted: number }>(
      'aistore.convertPodSpec',
      { uri, open: false },
    );
    assert.equal(path.basename(first.uri.fsPath), 'etl_spec.yaml');
    assert.equal(first.notConverted, 1);
    const text = fs.readFileSync(first.uri.fsPath, 'utf8');
    assert.match(text, /^name: transformer-md5$/m);
    assert.match(text, /- "8000"/);
    const second = await vscode.commands.executeCommand<{ uri: vscode.Uri }>('aistore.convertPodSpec', {
      uri,
      open: false,
    });
    assert.equal(path.basename(second.uri.fsPath), 'spec.etl.yaml');
    assert.equal(fs.readFileSync(first.uri.fsPath, 'utf8'), text, 'the first conversion is untouched');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('New ETL… opens the deployable file of the Pod-spec flow (spec.yaml), and offers the class first', async () => {
    const made = await vscode.commands.executeCommand<{ folder: vscode.Uri; files: vscode.Uri[] }>('aistore.newEtl', {
      template: 'http-server',
      folder: vscode.Uri.file(dir),
      name: 'opens-spec',
      open: true,
    });
    assert.ok(made);
    await waitFor('spec.yaml to be the active editor', () =>
      vscode.window.activeTextEditor?.document.fileName.endsWith(path.join('opens-spec', 'spec.yaml')),
    );
    const cls = await vscode.commands.executeCommand<{ folder: vscode.Uri; files: vscode.Uri[] }>('aistore.newEtl', {
      template: 'etl-class',
      folder: vscode.Uri.file(dir),
      name: 'class-etl',
      open: false,
    });
    assert.deepEqual(
      cls.files.map((f) => path.basename(f.fsPath)),
      ['etl_server.py'],
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
