// Workspace Trust in a real VS Code: the workspace folder is not trusted (Restricted Mode). Browsing the local
// cluster, opening objects, transforming with an ETL deployed earlier and reading its logs work; every command that
// runs the workspace's code is refused with the reason and what to do, nothing gets deployed or debugged, no lens
// offers them, and a workspace setting that names a folder to use is ignored.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { buildInitMessage, parseEtlFile } from '../../../../src/engine/etl';
import { etlLenses } from '../../../../src/language/lensPlacement';
import type { AistoreApi } from '../../../../src/extension';
import { MD5_OF_SHARD, SHARD_TEXT, api, attempt, localCluster, run, textOf } from '../../suite/_helpers';
import { scriptWindow, type ScriptedWindow } from '../../suite/_window';

const BUCKET = 'restricted';
const ETL = 'restricted-md5'; // deployed by the test through the engine, as from a trusted window or the CLI
/** The repository's tutorial files (the bundled suite runs from out/integration/restricted/suite). */
const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/tutorial');

function workspaceFolder(): string {
  const ws = process.env.AISETL_TEST_WORKSPACE;
  assert.ok(ws, 'AISETL_TEST_WORKSPACE names the workspace folder the host opened');
  return ws;
}

/** Deploys the tutorial's code.py with the engine: an ETL deployed before this window was opened. */
async function deployEarlier(a: AistoreApi): Promise<void> {
  const { client } = await a.services.clientFor('local');
  if ((await client.listEtls()).some((e) => e.name === ETL)) return;
  const file = path.join(FIXTURES, 'code.py');
  const [def] = parseEtlFile(file, fs.readFileSync(file, 'utf8')).definitions;
  assert.ok(def, 'the tutorial code.py is an ETL');
  await client.initEtl(buildInitMessage(def, { name: ETL }, await client.cluster()).body);
}

suite('Restricted Mode (workspace not trusted)', function () {
  this.timeout(180_000);
  let a: AistoreApi;
  let w: ScriptedWindow;
  let tutorial: string;

  suiteSetup(async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the host opened the workspace in Restricted Mode');
    tutorial = path.join(workspaceFolder(), 'tutorial');
    a = (await localCluster()).api;
    const { client } = await a.services.clientFor('local');
    if ((await client.listBuckets()).some((b) => b.name === BUCKET)) await client.destroyBucket(BUCKET);
    await deployEarlier(a);
  });
  setup(() => {
    w = scriptWindow();
  });
  teardown(() => w.restore());

  test('the extension is active and the workspace is untrusted', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    assert.equal((await api()).services.local.identity().running, true, 'the local cluster started');
    assert.deepEqual(
      vscode.workspace.workspaceFolders?.map((f) => f.uri.fsPath),
      [workspaceFolder()],
    );
  });

  test('a workspace setting naming the data folder is ignored: the local cluster keeps its own', () => {
    const chosen = path.join(workspaceFolder(), 'workspace-chosen-data');
    const inWorkspace = JSON.parse(fs.readFileSync(path.join(workspaceFolder(), '.vscode/settings.json'), 'utf8'));
    assert.equal(inWorkspace['aistore.local.dataDir'], chosen, 'the workspace asks for a data folder');
    assert.equal(vscode.workspace.getConfiguration('aistore').get('local.dataDir'), '');
    assert.notEqual(path.resolve(a.services.local.identity().dataDir), chosen);
    assert.equal(fs.existsSync(chosen), false);
  });

  test('the Clusters view lists the buckets and objects created and uploaded from this window', async () => {
    assert.equal(await run<string>('aistore.createBucket', { cluster: 'local', bucket: BUCKET }), BUCKET);
    const input = path.join(tutorial, 'shard.in');
    fs.writeFileSync(input, SHARD_TEXT);
    assert.deepEqual(await run<string[]>('aistore.uploadFile', { cluster: 'local', bucket: BUCKET, files: [input] }), [
      'shard.in',
    ]);
    const [cluster] = (await a.clustersTree.getChildren()).filter((n) => n.clusterId === 'local');
    assert.ok(cluster, 'local cluster in the tree');
    const [buckets, etls] = await a.clustersTree.getChildren(cluster);
    const bucket = (await a.clustersTree.getChildren(buckets)).find((n) => n.kind === 'bucket' && n.bucket === BUCKET);
    assert.ok(bucket, 'bucket listed');
    const objects = await a.clustersTree.getChildren(bucket);
    assert.deepEqual(
      objects.map((o) => `${o.kind}:${o.label}`),
      ['object:shard.in'],
    );
    const etlNodes = await a.clustersTree.getChildren(etls);
    assert.ok(
      etlNodes.some((n) => n.label === ETL),
      etlNodes.map((n) => n.label).join(),
    );
  });

  test('opening an object shows its content', async () => {
    const uri = await run<vscode.Uri>('aistore.openObject', { cluster: 'local', bucket: BUCKET, object: 'shard.in' });
    assert.equal(await textOf(uri), SHARD_TEXT);
  });

  test('an ETL deployed earlier transforms an object, and its logs and errors are readable', async () => {
    const r = await run<{ uri: vscode.Uri }>('aistore.transformObject', {
      cluster: 'local',
      bucket: BUCKET,
      object: 'shard.in',
      etl: ETL,
    });
    assert.equal(await textOf(r.uri), MD5_OF_SHARD);
    const logs = await run<{ targetId: string; lines: number }[]>('aistore.showEtlLogs', {
      cluster: 'local',
      etl: ETL,
    });
    assert.equal(logs.length, 2, 'one entry per target');
    const errs = await run<{ errors: unknown[]; uri: vscode.Uri }>('aistore.showEtlErrors', {
      cluster: 'local',
      etl: ETL,
    });
    assert.match(await textOf(errs.uri), errs.errors.length ? /\t/ : /No object errors/);
  });
});

suite('Restricted Mode refuses what runs the workspace code', function () {
  this.timeout(120_000);
  let w: ScriptedWindow;
  let tutorial: string;
  const object = { cluster: 'local', bucket: BUCKET, object: 'shard.in' };

  suiteSetup(() => {
    assert.equal(vscode.workspace.isTrusted, false, 'the host opened the workspace in Restricted Mode');
    tutorial = path.join(workspaceFolder(), 'tutorial');
  });
  setup(() => {
    w = scriptWindow();
  });
  teardown(() => w.restore());

  /** The command resolves to nothing, and the user read why (Restricted Mode) and what to do (trust the folder). */
  async function refused(command: string, title: string, ...args: unknown[]): Promise<void> {
    const before = w.fake.shown.length;
    const { result, error } = await attempt(command, ...args);
    assert.equal(result, undefined, `${command} returned a result`);
    const shown = w.fake.shown.slice(before).filter((m) => m.kind === 'error');
    assert.equal(shown.length, 1, `${command}: one error message, got ${JSON.stringify(w.fake.shown.slice(before))}`);
    const message = shown[0].message;
    assert.ok(message.includes(`${title} is disabled in Restricted Mode: it `), message);
    assert.match(message, /"Manage Workspace Trust" and trust it/);
    if (error !== undefined) assert.equal(error, message, 'the message reported is the one shown');
    assert.equal(w.fake.prompts.length, 0, `${command} asked something before refusing: ${w.fake.prompts.join()}`);
  }

  async function etlNames(): Promise<string[]> {
    const { client } = await (await api()).services.clientFor('local');
    return (await client.listEtls()).map((e) => e.name).sort();
  }

  test('Deploy of the tutorial code.py, and of a spec with a Dockerfile to build locally, is refused', async () => {
    const before = await etlNames();
    assert.deepEqual(before, [ETL]);
    const code = vscode.Uri.file(path.join(tutorial, 'code.py'));
    await refused('aistore.deployEtl', 'Deploy ETL', { uri: code, cluster: 'local', name: 'from-untrusted' });
    const spec = vscode.Uri.file(path.join(tutorial, 'spec.yaml'));
    assert.ok(fs.existsSync(path.join(tutorial, 'Dockerfile')), 'the spec has a Dockerfile next to it');
    await refused('aistore.deployEtl', 'Deploy ETL', { uri: spec, cluster: 'local', name: 'built-untrusted' });
    assert.deepEqual(await etlNames(), before, 'nothing was deployed');
  });

  test('Test on object and Test on file are refused, on this machine and on the cluster', async () => {
    const uri = vscode.Uri.file(path.join(tutorial, 'code.py'));
    const input = path.join(tutorial, 'shard.in');
    await refused('aistore.testOnObject', 'Test on object', { uri, ...object });
    await refused('aistore.testOnFile', 'Test on file', { uri, input });
    await refused('aistore.testOnFile', 'Test on file', { uri, input, onCluster: true });
    assert.deepEqual(await etlNames(), [ETL], 'no test ETL was deployed');
  });

  test('Debug (a file, an object, attaching to the workers) is refused before VS Code asks for trust', async () => {
    const uri = vscode.Uri.file(path.join(tutorial, 'code.py'));
    await refused('aistore.debugEtl', 'Debug ETL', { uri, object: `ais://${BUCKET}/shard.in` });
    await refused('aistore.debugEtlOnObject', 'Debug ETL on this object', { ...object, uri: uri.toString() });
    await refused('aistore.attachEtl', 'Debug ETL (attach)', { cluster: 'local', etl: ETL });
    assert.equal(vscode.debug.activeDebugSession, undefined, 'no debug session started');
    assert.deepEqual(await etlNames(), [ETL]);
  });

  test('pip for the ETL Python is refused: it would run from the workspace folder', async () => {
    const terminals = vscode.window.terminals.length;
    await refused('aistore.installEtlSdk', 'Install aistore[etl] into the ETL Python', '/bin/false');
    assert.equal(vscode.window.terminals.length, terminals, 'no terminal was opened');
  });

  test('no CodeLens offers Deploy, Test or Debug, though the file has entry points for them', async () => {
    const file = path.join(tutorial, 'code.py');
    const text = fs.readFileSync(file, 'utf8');
    const wouldOffer = etlLenses(parseEtlFile(file, text).kind, text);
    assert.ok(wouldOffer.length > 0, 'a trusted window shows lenses on this file');
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    // The provider answers once the document was analyzed: ask for a while, none of ours may ever appear.
    const until = Date.now() + 3000;
    let asked = 0;
    while (Date.now() < until) {
      const got = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
      assert.deepEqual(
        (got ?? []).filter((l) => l.command?.command.startsWith('aistore.')).map((l) => l.command?.title),
        [],
      );
      asked++;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(asked > 3);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  suiteTeardown(async () => {
    const a = await api();
    const { client } = await a.services.clientFor('local');
    await client.deleteEtl(ETL).catch(() => undefined);
    await client.destroyBucket(BUCKET).catch(() => undefined);
    await attempt('aistore.stopLocalCluster');
  });
});
