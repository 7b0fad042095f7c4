// More of what a user does in the extension: test an ETL file on a local file (here and on the cluster), read its logs
// and errors, see an unreachable cluster in the tree, delete an ETL and a bucket, and keep tokens out of settings.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { MD5_OF_SHARD, SHARD_TEXT, attempt, freshTutorialStart, run, textOf, tutorialFiles } from './_helpers';
import type { AistoreApi } from '../../../src/extension';

const BUCKET = 'workflows';
const WF_ETL = 'workflows-md5';

suite('Workflows', function () {
  this.timeout(300_000);
  let a: AistoreApi;
  let files: ReturnType<typeof tutorialFiles>;

  suiteSetup(async () => {
    const { api, files: f, client } = await freshTutorialStart([BUCKET]);
    a = api;
    files = f;
    await client.createBucket(BUCKET);
    await client.putObject(BUCKET, 'shard.in', SHARD_TEXT);
  });
  suiteTeardown(() => files?.cleanup());

  test('Test on file: a local file goes through the ETL of the current file on this machine, input and output side by side', async () => {
    const input = `${files.dir}/local-input.txt`;
    fs.writeFileSync(input, SHARD_TEXT);
    const r = await run<{ ranOn: string; input: vscode.Uri; output: vscode.Uri }>('aistore.testOnFile', {
      uri: vscode.Uri.file(files.code),
      input,
    });
    assert.equal(r.input.fsPath, input);
    assert.equal(await textOf(r.output), MD5_OF_SHARD);
    assert.equal(r.ranOn, 'local');
  });

  test('Test on file on the cluster: a temporary ETL and a scratch object, both gone afterwards', async () => {
    const input = `${files.dir}/local-input.txt`;
    const { client } = await a.services.clientFor('local');
    const r = await run<{ etl: string; output: vscode.Uri }>('aistore.testOnFile', {
      uri: vscode.Uri.file(files.code),
      input,
      onCluster: true,
    });
    assert.equal(await textOf(r.output), MD5_OF_SHARD);
    assert.ok(!(await client.listEtls()).some((e) => e.name === r.etl));
    const scratch = await client.listObjectsPage('aisetl-scratch').catch(() => ({ entries: [] }));
    assert.deepEqual(
      scratch.entries.map((e) => e.name),
      [],
    );
  });

  test("logs of every worker land in the ETL's log channel", async () => {
    await run('aistore.deployEtl', { uri: vscode.Uri.file(files.code), cluster: 'local', name: WF_ETL, replace: true });
    const logs = await run<{ targetId: string; lines: number }[]>('aistore.showEtlLogs', {
      cluster: 'local',
      etl: WF_ETL,
    });
    assert.equal(logs.length, 2, 'one entry per target');
    const errs = await run<{ errors: unknown[]; uri: vscode.Uri }>('aistore.showEtlErrors', {
      cluster: 'local',
      etl: WF_ETL,
    });
    assert.ok(Array.isArray(errs.errors));
    assert.match(await textOf(errs.uri), errs.errors.length ? /\t/ : /No object errors/);
  });

  test('follow logs starts polling and the second call stops it', async () => {
    assert.equal(await run<boolean>('aistore.followPodLogs', { cluster: 'local', etl: WF_ETL }), true);
    assert.equal(await run<boolean>('aistore.followPodLogs', { cluster: 'local', etl: WF_ETL }), false);
  });

  test('upload a folder: names keep their relative paths, and the tree shows them as a folder', async () => {
    fs.mkdirSync(`${files.dir}/up/sub`, { recursive: true });
    fs.writeFileSync(`${files.dir}/up/a.txt`, 'a');
    fs.writeFileSync(`${files.dir}/up/sub/b.txt`, 'b');
    const names = await run<string[]>('aistore.uploadFolder', {
      cluster: 'local',
      bucket: BUCKET,
      folder: `${files.dir}/up`,
      prefix: 'up/',
    });
    assert.deepEqual(names.sort(), ['up/a.txt', 'up/sub/b.txt']);
    const entries = await vscode.workspace.fs.readDirectory(
      vscode.Uri.from({ scheme: 'ais', authority: 'local', path: `/${BUCKET}/up` }),
    );
    assert.deepEqual(entries.map(([n, t]) => `${n}:${t === vscode.FileType.Directory ? 'dir' : 'file'}`).sort(), [
      'a.txt:file',
      'sub:dir',
    ]);
  });

  test('a bad file is refused with the reason and the line', async () => {
    const bad = `${files.dir}/bad.yaml`;
    fs.writeFileSync(bad, 'apiVersion: v1\nkind: Pod\nspec:\n  containers: []\n');
    const badFile = await attempt('aistore.deployEtl', { uri: vscode.Uri.file(bad), cluster: 'local', name: 'bad' });
    assert.equal(badFile.result, undefined);
    assert.match(badFile.error ?? '', /bad\.yaml/);
    const badName = await attempt('aistore.deployEtl', {
      uri: vscode.Uri.file(files.code),
      cluster: 'local',
      name: 'Bad_Name!',
    });
    assert.equal(badName.result, undefined);
    assert.match(badName.error ?? '', /"Bad_Name!".*invalid/i);
  });

  test('an unreachable cluster shows one error node with what to do, and can be removed', async () => {
    const id = await run<string>('aistore.addCluster', { name: 'unreachable', endpoint: 'http://127.0.0.1:9' });
    try {
      const node = (await a.clustersTree.getChildren()).find((n) => n.clusterId === id)!;
      const kids = await a.clustersTree.getChildren(node);
      assert.equal(kids.length, 1);
      assert.equal(kids[0].kind, 'error');
      assert.match(kids[0].label, /Can't reach cluster/);
      assert.equal(a.clustersTree.getTreeItem(kids[0]).command?.command, 'aistore.refresh');
      assert.equal((await a.clustersTree.getChildren()).find((n) => n.clusterId === id)?.description, 'unreachable');
    } finally {
      assert.equal(await run<boolean>('aistore.removeCluster', { cluster: id, confirm: false }), true);
    }
    assert.ok(!(await a.clustersTree.getChildren()).some((n) => n.clusterId === id));
  });

  test('a token goes to secret storage, never into settings', async () => {
    await run('aistore.setToken', { cluster: 'local', token: 'tok-123' });
    const local = a.services.registry.resolve('local');
    assert.equal(await a.services.context.secrets.get(a.services.tokenKey(local.endpoint)), 'tok-123');
    assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('aistore')).includes('tok-123'));
    await run('aistore.setToken', { cluster: 'local', token: '' });
    assert.equal(await a.services.context.secrets.get(a.services.tokenKey(local.endpoint)), undefined);
  });

  test('delete the ETL and the bucket', async () => {
    const { client } = await a.services.clientFor('local');
    assert.equal(await run<string>('aistore.deleteEtl', { cluster: 'local', etl: WF_ETL, confirm: false }), '');
    assert.equal(
      await run<boolean>('aistore.deleteBucket', { cluster: 'local', bucket: BUCKET, confirm: false }),
      true,
    );
    assert.ok(!(await client.listBuckets()).some((b) => b.name === BUCKET));
  });
});
