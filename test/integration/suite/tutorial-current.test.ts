// The compute-md5 tutorial on today's contract (the local cluster emulating AIS 5.0), as a user who follows the seed
// would meet it: the code ETL still deploys (wrapped on runtime_python), io:// is refused with what to do instead,
// and the verbatim Pod spec is refused with AIS's own message until the editor's quick fixes bring the spec and its
// server to the 5.0 contract (readinessProbe, PUT, etl_fqn with an empty body, GET /health); then it gives the md5.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  MD5_OF_SHARD,
  SHARD_TEXT,
  attempt,
  freshTutorialStart,
  openEditor,
  ours,
  quickFixes,
  run,
  textOf,
  tutorialFiles,
  useLocalRelease,
  waitFor,
} from './_helpers';

/** Applies the first quick fix offered for the diagnostic with `code`, then waits until that diagnostic is gone. */
async function applyFix(uri: vscode.Uri, code: string, title: RegExp): Promise<void> {
  const d = await waitFor(`a ${code} diagnostic`, () => ours(uri).find((x) => x.code === code));
  const fixes = await quickFixes(uri, d.range);
  const fix = fixes.find((a) => a.diagnostics?.some((x) => x.code === code)) ?? fixes.find((a) => title.test(a.title));
  assert.ok(fix, `a quick fix for ${code}; offered: ${fixes.map((a) => a.title).join(' | ')}`);
  assert.ok(await vscode.workspace.applyEdit(fix.edit!));
  await waitFor(`${code} to go away`, () => !ours(uri).some((x) => x.code === code));
}

async function openAndFix(file: string, codes: [string, RegExp][]): Promise<void> {
  const doc = (await openEditor(file)).document;
  for (const [code, title] of codes) await applyFix(doc.uri, code, title);
  assert.ok(await doc.save(), `${path.basename(file)} saved`);
}

suite('Tutorial on AIS 5.0: the seed where today’s contract differs', function () {
  this.timeout(300_000);
  let files: ReturnType<typeof tutorialFiles>;
  let restore: (() => Promise<void>) | undefined;
  const object = { cluster: 'local', bucket: 'transform50', object: 'shard.in' };

  suiteSetup(async () => {
    restore = await useLocalRelease('5.0');
    const start = await freshTutorialStart(['transform50']);
    files = start.files;
    await start.client.createBucket('transform50');
    await start.client.putObject('transform50', 'shard.in', SHARD_TEXT);
  });
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    files?.cleanup();
    await restore?.();
  });

  test('flow 1: code.py deploys (wrapped on runtime_python) and the result is the md5', async () => {
    const uri = vscode.Uri.file(files.code);
    await run('aistore.deployEtl', { uri, cluster: 'local', name: 'md5-code-50', commType: 'hpush' });
    const r = await run<{ uri: vscode.Uri }>('aistore.transformObject', { ...object, etl: 'md5-code-50' });
    assert.equal(await textOf(r.uri), MD5_OF_SHARD);
  });

  test('flow 2: io:// is refused, saying it was removed in 5.0 and what to do instead', async () => {
    const { result, error } = await attempt('aistore.deployEtl', {
      uri: vscode.Uri.file(files.io),
      cluster: 'local',
      name: 'md5-io-50',
    });
    assert.equal(result, undefined);
    assert.match(error ?? '', /io:\/\/ was removed in AIS 5\.0/);
    assert.match(error ?? '', /transform\(bytes\)/);
  });

  test('flow 3: the verbatim Pod spec is refused as AIS refuses it; after the quick fixes it gives the md5', async () => {
    const deploy = { uri: vscode.Uri.file(files.spec), cluster: 'local', name: 'md5-spec-50', commType: 'hpush' };
    const refused = await attempt('aistore.deployEtl', deploy);
    assert.equal(refused.result, undefined);
    assert.match(refused.error ?? '', /readinessProbe section is required/);
    await openAndFix(files.spec, [['pod-readiness-missing', /readinessProbe/]]);
    await openAndFix(path.join(files.dir, 'server/server.py'), [
      ['server-post-only', /PUT/],
      ['server-reads-body', /etl_fqn/],
      ['server-no-health', /health/i],
    ]);
    await run('aistore.deployEtl', deploy);
    const r = await run<{ uri: vscode.Uri }>('aistore.transformObject', { ...object, etl: 'md5-spec-50' });
    assert.equal(await textOf(r.uri), MD5_OF_SHARD);
  });
});
