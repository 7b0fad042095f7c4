// The compute-md5 tutorial verbatim, end to end through the extension's commands, against the local cluster emulating
// the tutorial's era (AIS 3.29): the three ETL flows (code + hpull, io:// showing the script's TypeError, pod spec +
// hpush after the local build), a bucket job, and stopping the ETL. tutorial-current.test.ts walks it on 5.0.
import * as assert from 'node:assert/strict';
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
  useLocalRelease,
} from './_helpers';
import type { AistoreApi } from '../../../src/extension';

suite('Tutorial: compute MD5', function () {
  this.timeout(300_000);
  let a: AistoreApi;
  let files: ReturnType<typeof tutorialFiles>;
  let restore: (() => Promise<void>) | undefined;

  suiteSetup(async () => {
    restore = await useLocalRelease('3.29');
    ({ api: a, files } = await freshTutorialStart(['transform', 'transform-md5']));
  });
  suiteTeardown(async () => {
    files?.cleanup();
    await restore?.();
  });

  test('create the bucket and put shard.in', async () => {
    assert.equal(await run<string>('aistore.createBucket', { cluster: 'local', bucket: 'transform' }), 'transform');
    const fs = await import('node:fs');
    const p = `${files.dir}/shard.in`;
    fs.writeFileSync(p, SHARD_TEXT);
    assert.deepEqual(await run<string[]>('aistore.uploadFile', { cluster: 'local', bucket: 'transform', files: [p] }), [
      'shard.in',
    ]);
    // The object opens like a file through the ais: file system.
    const uri = await run<vscode.Uri>('aistore.openObject', {
      cluster: 'local',
      bucket: 'transform',
      object: 'shard.in',
    });
    assert.equal(await textOf(uri), SHARD_TEXT);
  });

  test('flow 1: code ETL with hpull:// — the result document is the md5', async () => {
    const d = await run<{ name: string; commType: string }>('aistore.deployEtl', {
      uri: vscode.Uri.file(files.code),
      cluster: 'local',
      name: 'transformer-md5',
      commType: 'hpull',
    });
    assert.equal(d.commType, 'hpull://');
    const r = await run<{ uri: vscode.Uri; binary: boolean }>('aistore.transformObject', {
      cluster: 'local',
      bucket: 'transform',
      object: 'shard.in',
      etl: 'transformer-md5',
    });
    assert.equal(r.binary, false);
    assert.equal(await textOf(r.uri), MD5_OF_SHARD);
  });

  test('the ETL shows in the tree as running, with its comm type', async () => {
    const etls = await findNode(a, ['local', 'ETLs']);
    const kids = await a.clustersTree.getChildren(etls);
    const md5 = kids.find((n) => n.label === 'transformer-md5');
    assert.ok(md5, `ETLs: ${kids.map((k) => k.label).join(', ')}`);
    assert.equal(md5.contextValue, 'etl.running');
    assert.match(md5.description ?? '', /hpull:\/\//);
    const workers = (await a.clustersTree.getChildren(md5)).filter((n) => n.kind === 'etlTarget');
    assert.equal(workers.length, 2, 'one worker per target');
  });

  test('flow 2: io:// script — the TypeError from the script reaches the user', async () => {
    await run('aistore.deployEtl', { uri: vscode.Uri.file(files.io), cluster: 'local', name: 'compute-md5' });
    const { result, error } = await attempt('aistore.transformObject', {
      cluster: 'local',
      bucket: 'transform',
      object: 'shard.in',
      etl: 'compute-md5',
    });
    assert.equal(result, undefined);
    assert.match(error ?? '', /TypeError/);
  });

  test('flow 3: pod spec with hpush:// after the local build of the Dockerfile', async () => {
    const d = await run<{ name: string; commType: string }>('aistore.deployEtl', {
      uri: vscode.Uri.file(files.spec),
      cluster: 'local',
      name: 'md5-spec',
      commType: 'hpush://',
    });
    assert.equal(d.commType, 'hpush://');
    const r = await run<{ uri: vscode.Uri }>('aistore.transformObject', {
      cluster: 'local',
      bucket: 'transform',
      object: 'shard.in',
      etl: 'md5-spec',
    });
    assert.equal(await textOf(r.uri), MD5_OF_SHARD);
  });

  test('compare input and output opens a diff of ais: input and the result', async () => {
    const r = await run<{ input: vscode.Uri; output: vscode.Uri }>('aistore.compareTransform', {
      cluster: 'local',
      bucket: 'transform',
      object: 'shard.in',
      etl: 'transformer-md5',
    });
    assert.equal(r.input.scheme, 'ais');
    assert.equal(await textOf(r.input), SHARD_TEXT);
    assert.equal(await textOf(r.output), MD5_OF_SHARD);
  });

  test('bucket job: transform → transform-md5, no failures, the output object is the md5', async () => {
    const r = await run<{ job: { objs: number; aborted: boolean; err?: string }; failed: unknown[] }>(
      'aistore.transformBucket',
      { cluster: 'local', src: 'transform', dst: 'transform-md5', etl: 'transformer-md5' },
    );
    assert.equal(r.job.aborted, false);
    assert.equal(r.job.err, undefined);
    assert.equal(r.job.objs, 1);
    assert.deepEqual(r.failed, []);
    const { client } = await a.services.clientFor('local');
    const obj = await client.getObject('transform-md5', 'shard.in');
    const chunks: Buffer[] = [];
    for await (const c of obj.body) chunks.push(c as Buffer);
    assert.equal(Buffer.concat(chunks).toString(), MD5_OF_SHARD);
  });

  test('stop the ETL: the tree shows it stopped and offers Start', async () => {
    const stage = await run<string>('aistore.stopEtl', { cluster: 'local', etl: 'transformer-md5' });
    assert.match(stage, /^(Aborted|Stopped)$/);
    const etls = await findNode(a, ['local', 'ETLs']);
    const md5 = (await a.clustersTree.getChildren(etls)).find((n) => n.label === 'transformer-md5');
    assert.match(md5?.contextValue ?? '', /^etl\.(aborted|stopped)$/);
  });
});
