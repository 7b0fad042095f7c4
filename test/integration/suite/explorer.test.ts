// The Clusters tree in a real VS Code against the local cluster: paging with "Load more…", virtual folders, the
// server-side prefix filter, and the welcome/status plumbing.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { localCluster, run } from './_helpers';
import type { AistoreApi } from '../../../src/extension';
import type { TreeNode } from '../../../src/views/treeNodes';

const BUCKET = 'explorer-paging';

suite('Clusters explorer', function () {
  this.timeout(180_000);
  let a: AistoreApi;

  suiteSetup(async () => {
    a = (await localCluster()).api;
    await vscode.workspace.getConfiguration('aistore').update('listPageSize', 10, vscode.ConfigurationTarget.Global);
    const { client } = await a.services.clientFor('local');
    if ((await client.listBuckets()).some((b) => b.name === BUCKET)) await client.destroyBucket(BUCKET);
    await client.createBucket(BUCKET);
    for (let i = 0; i < 25; i++) await client.putObject(BUCKET, `obj-${String(i).padStart(2, '0')}`, `object ${i}\n`);
    for (const n of ['dir/a.txt', 'dir/b.txt', 'dir/sub/c.txt']) await client.putObject(BUCKET, n, n);
    a.tree.refresh();
  });
  suiteTeardown(async () => {
    if (!a) return;
    await vscode.workspace
      .getConfiguration('aistore')
      .update('listPageSize', undefined, vscode.ConfigurationTarget.Global);
    const { client } = await a.services.clientFor('local');
    await client.destroyBucket(BUCKET).catch(() => undefined);
  });

  async function bucketNode(): Promise<TreeNode> {
    const [cluster] = (await a.clustersTree.getChildren()).filter((n) => n.clusterId === 'local');
    assert.ok(cluster, 'local cluster in the tree');
    assert.equal(cluster.contextValue, 'cluster.local');
    const groups = await a.clustersTree.getChildren(cluster);
    assert.deepEqual(
      groups.map((g) => g.label),
      ['Buckets', 'ETLs'],
    );
    const b = (await a.clustersTree.getChildren(groups[0])).find((n) => n.kind === 'bucket' && n.bucket === BUCKET);
    assert.ok(b, 'bucket listed');
    return b;
  }

  test('objects come a page at a time; "Load more…" fetches the next page', async () => {
    const b = await bucketNode();
    let kids = await a.clustersTree.getChildren(b);
    assert.equal(kids.length, 11, kids.map((k) => k.label).join(','));
    const more = kids.at(-1)!;
    assert.equal(more.kind, 'loadMore');
    assert.equal(a.clustersTree.getTreeItem(more).command?.command, 'aistore.loadMore');
    await vscode.commands.executeCommand('aistore.loadMore', more);
    kids = await a.clustersTree.getChildren(b);
    assert.equal(kids.filter((k) => k.kind !== 'loadMore').length, 20);
    await vscode.commands.executeCommand('aistore.loadMore', kids.at(-1));
    kids = await a.clustersTree.getChildren(b);
    assert.ok(!kids.some((k) => k.kind === 'loadMore'), 'no more pages');
    // 25 objects + the "dir/" folder, one level only.
    assert.equal(kids.filter((k) => k.kind === 'object').length, 25);
    const dir = kids.find((k) => k.kind === 'folder');
    assert.equal(dir?.label, 'dir/');
    const inDir = await a.clustersTree.getChildren(dir);
    assert.deepEqual(inDir.map((n) => `${n.kind}:${n.label}`).sort(), ['folder:sub/', 'object:a.txt', 'object:b.txt']);
  });

  test('the prefix filter is applied by the server and shown on the bucket', async () => {
    assert.equal(
      await run<string>('aistore.filterPrefix', { cluster: 'local', bucket: BUCKET, prefix: 'obj-1' }),
      'obj-1',
    );
    const b = await bucketNode();
    assert.equal(b.contextValue, 'bucket.filtered');
    const kids = await a.clustersTree.getChildren(b);
    assert.deepEqual(
      kids.map((k) => k.label),
      Array.from({ length: 10 }, (_, i) => `obj-1${i}`),
    );
    await run('aistore.filterPrefix', { cluster: 'local', bucket: BUCKET, prefix: '' });
    assert.equal(a.tree.filterOf('local', BUCKET), '');
  });

  test('the ais: file system lists a bucket one level at a time', async () => {
    const entries = await vscode.workspace.fs.readDirectory(
      vscode.Uri.from({ scheme: 'ais', authority: 'local', path: `/${BUCKET}` }),
    );
    assert.equal(entries.length, 26);
    assert.ok(entries.some(([n, t]) => n === 'dir' && t === vscode.FileType.Directory));
    const stat = await vscode.workspace.fs.stat(
      vscode.Uri.from({ scheme: 'ais', authority: 'local', path: `/${BUCKET}/obj-03` }),
    );
    assert.equal(stat.size, 'object 3\n'.length);
  });
});
