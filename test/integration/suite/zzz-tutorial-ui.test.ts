// The tutorial's stumbling points driven through the UI like a user: the prompts of Deploy are answered by a scripted
// window (a name taken on the cluster: Cancel, Replace, then "already deployed"), Test on object leaves nothing on the
// cluster, the local cluster keeps its name and data across Stop/Start, and the tree reads a stopped ETL as "Stopped".
// Runs last: it restarts the local cluster.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import {
  MD5_OF_SHARD,
  SHARD_TEXT,
  attempt,
  findNode,
  freshTutorialStart,
  run,
  textOf,
  tutorialFiles,
} from './_helpers';
import { scriptWindow, type ScriptedWindow } from './_window';
import type { AistoreApi } from '../../../src/extension';

const BUCKET = 'ui-walk';
const ETL = 'ui-md5-etl';

suite('Tutorial UI', function () {
  this.timeout(300_000);
  let a: AistoreApi;
  let files: ReturnType<typeof tutorialFiles>;
  let w: ScriptedWindow;
  const client = async () => (await a.services.clientFor('local')).client;
  const etlNames = async () => (await (await client()).listEtls()).map((e) => e.name).sort();

  suiteSetup(async () => {
    const s = await freshTutorialStart([BUCKET]);
    a = s.api;
    files = s.files;
    await s.client.createBucket(BUCKET);
    await s.client.putObject(BUCKET, 'shard.in', SHARD_TEXT);
    for (const e of await s.client.listEtls()) if (e.name === ETL) await s.client.deleteEtl(ETL);
  });
  setup(() => {
    w = scriptWindow();
  });
  teardown(() => w.restore());
  suiteTeardown(() => files?.cleanup());

  test('deploy through the prompts: the name box counts steps and suggests a free name', async () => {
    const taken = await etlNames();
    w.fake.type(ETL).pick('hpull://', 'Deploy');
    const r = await run<{ name: string; replaced: boolean }>('aistore.deployEtl', vscode.Uri.file(files.code));
    assert.equal(r.name, ETL);
    assert.deepEqual(
      w.fake.prompts.map((p) => p.replace(/^(\w+): Deploy code\.py to local \((\d\/3)\).*$/, '$1 $2')),
      ['input 1/3', 'pick 2/3', 'pick 3/3'],
    );
    const suggested = w.fake.boxes[0].initialValue;
    assert.match(suggested, /^aisetl-tutorial-/, 'named after the folder: code.py says nothing');
    assert.ok(!taken.includes(suggested), `${suggested} is free on the cluster`);
    assert.deepEqual(w.fake.unused(), []);
  });

  test('a taken name warns while typing; Cancel on the question changes nothing', async () => {
    const before = (await (await client()).listEtls()).find((e) => e.name === ETL)?.xactionId;
    fs.appendFileSync(files.code, '\n# changed\n');
    w.fake.type(ETL); // the modal question is dismissed: Cancel
    const { result, error } = await attempt('aistore.deployEtl', vscode.Uri.file(files.code));
    assert.equal(result, undefined);
    assert.equal(error, undefined, 'a cancel is not an error');
    const warn = w.fake.boxes[0].validationMessage;
    assert.ok(typeof warn === 'object' && /already exists on local/.test(warn.message), JSON.stringify(warn));
    assert.match(
      w.fake.shown.find((m) => m.modal)?.message ?? '',
      new RegExp(`ETL ${ETL} already exists on local .*Replace it`),
    );
    assert.equal((await (await client()).listEtls()).find((e) => e.name === ETL)?.xactionId, before);
  });

  test('Replace stops, deletes and deploys the new text under the same name; again is "already deployed"', async () => {
    w.fake.type(ETL).click('warning', 'Replace').pick('hpull://', 'Deploy');
    const r = await run<{ name: string; replaced: boolean }>('aistore.deployEtl', vscode.Uri.file(files.code));
    assert.equal(r.replaced, true);
    assert.equal((await etlNames()).filter((n) => n === ETL).length, 1);
    const out = await run<{ uri: vscode.Uri }>('aistore.transformObject', {
      cluster: 'local',
      bucket: BUCKET,
      object: 'shard.in',
      etl: ETL,
    });
    assert.equal(await textOf(out.uri), MD5_OF_SHARD);
    w.fake.type(ETL);
    const again = await run<{ alreadyDeployed?: boolean }>('aistore.deployEtl', vscode.Uri.file(files.code));
    assert.equal(again.alreadyDeployed, true);
    assert.match(w.fake.shown.at(-1)?.message ?? '', /already deployed on local with this content/);
  });

  test('Test on object leaves nothing on the cluster, locally and with a temporary ETL; errors open as documents', async () => {
    const before = await etlNames();
    const where = { uri: vscode.Uri.file(files.code), cluster: 'local', bucket: BUCKET, object: 'shard.in' };
    const local = await run<{ ranOn: string; output: vscode.Uri }>('aistore.testOnObject', where);
    assert.equal(local.ranOn, 'local');
    assert.equal(await textOf(local.output), MD5_OF_SHARD);
    const onCluster = await run<{ ranOn: string; etl: string; output: vscode.Uri }>('aistore.testOnObject', {
      ...where,
      onCluster: true,
    });
    assert.equal(await textOf(onCluster.output), MD5_OF_SHARD);
    assert.match(onCluster.etl, /^tmp-/);
    const bad = await run<{ error?: string; output: vscode.Uri }>('aistore.testOnObject', {
      ...where,
      uri: vscode.Uri.file(files.io),
    });
    assert.match(bad.error ?? '', /TypeError/);
    assert.match(
      await textOf(bad.output),
      new RegExp(`${files.io.replace(/[.]/g, '\\.')}.*line \\d+|${files.io.replace(/[.]/g, '\\.')}:\\d+`),
    );
    assert.deepEqual(await etlNames(), before, 'no ETL left behind');
  });

  test('the tree reads a stopped ETL as "Stopped" with a neutral icon, and error rows are one short line', async () => {
    await run('aistore.stopEtl', { cluster: 'local', etl: ETL });
    const etl = await findNode(a, ['local', 'ETLs', ETL]);
    assert.match(etl.description ?? '', /^Stopped/);
    assert.equal(etl.contextValue, 'etl.stopped');
    assert.equal(etl.iconColor, undefined);
    assert.match(etl.tooltip ?? '', /AIS stage: (Aborted|Stopped)/);
    assert.deepEqual(
      (await a.clustersTree.getChildren(etl)).map((n) => n.label),
      ['Stopped: no workers'],
    );
    const id = await run<string>('aistore.addCluster', { name: 'nowhere', endpoint: 'http://127.0.0.1:9' });
    try {
      const row = (await a.clustersTree.getChildren()).find((n) => n.clusterId === id)!;
      const [err] = await a.clustersTree.getChildren(row);
      assert.ok(!err.label.includes('\n') && err.label.length <= 100, err.label);
      assert.ok((err.tooltip ?? '').length >= err.label.length);
    } finally {
      await run('aistore.removeCluster', { cluster: id, confirm: false });
    }
  });

  test('Stop/Start of the local cluster: a grey "stopped" row, then the same name with its data', async () => {
    const dataDir = a.services.local.identity().dataDir;
    assert.equal(await run<boolean>('aistore.stopLocalCluster'), true);
    const stopped = (await a.clustersTree.getChildren()).find((n) => n.label === 'local');
    assert.ok(stopped, 'the stopped cluster keeps its row');
    assert.equal(stopped.description, 'stopped');
    assert.equal(stopped.contextValue, 'cluster.local.stopped');
    await run('aistore.startLocalCluster');
    assert.equal(a.services.local.identity().dataDir, dataDir);
    const c = await client();
    assert.ok(
      (await c.listBuckets()).some((b) => b.name === BUCKET),
      'the bucket is still there',
    );
    const obj = await c.getObject(BUCKET, 'shard.in');
    const chunks: Buffer[] = [];
    for await (const ch of obj.body) chunks.push(ch as Buffer);
    assert.equal(Buffer.concat(chunks).toString(), SHARD_TEXT);
    assert.ok((await etlNames()).includes(ETL), 'the ETL is still registered');
    await run('aistore.deleteEtl', { cluster: 'local', etl: ETL, confirm: false });
  });
});
