import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClustersTreeModel } from '../../../src/views/treeModel';
import type { ClusterEntry } from '../../../src/services/clusterSources';
import type { ListObjectsOptions, ObjEntry } from '../../../src/engine/ais';
import type { Connection } from '../../../src/services/k8sPods';
import type { BucketNode, TreeNode } from '../../../src/views/treeNodes';
import { ofKind } from '../_fakes/nodes';
import { LOCAL_329_INFO, fakeClient as stubClient } from '../_fakes/client';

/** One level of `names` below `prefix`, with "directories" as entries ending in `/` (like ls with no recursion). */
function oneLevel(names: string[], prefix: string): ObjEntry[] {
  const level = new Map<string, ObjEntry>();
  for (const n of names.filter((x) => x.startsWith(prefix))) {
    const rest = n.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash >= 0)
      level.set(prefix + rest.slice(0, slash + 1), { name: prefix + rest.slice(0, slash + 1), size: 0, isDir: true });
    else level.set(n, { name: n, size: 3 });
  }
  return [...level.values()];
}

/** Like the server: a page holds up to `pageSize` names matching the prefix (applied server-side), o000000…. */
function page(count: number, o: ListObjectsOptions): { entries: ObjEntry[]; continuationToken: string } {
  const name = (i: number) => `o${String(i).padStart(6, '0')}`;
  const size = o.pageSize ?? 1000;
  const entries: ObjEntry[] = [];
  let i = o.continuationToken ? Number(o.continuationToken) : 0;
  for (; i < count && entries.length < size; i++)
    if (name(i).startsWith(o.prefix ?? '')) entries.push({ name: name(i), size: i });
  return { entries, continuationToken: i < count && entries.length === size ? String(i) : '' };
}

const ETLS = {
  async listEtls() {
    return [
      { name: 'md5', stage: 'Running' },
      { name: 'old', stage: 'Aborted' },
    ];
  },
  async etlDetails(n: string) {
    if (n === 'old') throw new Error('not running');
    return {
      initMsg: { comm_type: 'hpull://', runtime: { image: 'aistore/md5:v1' } },
      kind: 'runtime-spec' as const,
      objErrors: [],
    };
  },
  async etlHealth(n: string) {
    if (n === 'old') throw new Error('ETL "old" is not running');
    return [
      { targetId: 't1', status: 'Running' },
      { targetId: 't2', status: 'Failed' },
    ];
  },
};

/** A fake cluster: bucket `big` holds `count` objects named o000000…; `nested` holds `dir/a`, `dir/b`, `dir/sub/c`. */
function fakeClient(opts: { count?: number; failPage?: (n: number) => boolean; unreachable?: boolean } = {}) {
  const calls: ListObjectsOptions[] = [];
  let pageCalls = 0;
  const client = stubClient({
    ...ETLS,
    async cluster() {
      if (opts.unreachable)
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { hint: 'is the cluster running?' });
      return { ...LOCAL_329_INFO, endpoint: 'x', commTypes: [] };
    },
    async listBuckets() {
      return [
        { name: 'big', provider: 'ais' },
        { name: 'nested', provider: 'ais' },
        { name: 'empty', provider: 'ais' },
      ];
    },
    async listObjectsPage(bucket: string, o: ListObjectsOptions = {}) {
      calls.push({ ...o });
      if (opts.failPage?.(pageCalls++)) throw new Error('page failed');
      if (bucket === 'empty') return { entries: [], continuationToken: '' };
      if (bucket === 'nested')
        return { entries: oneLevel(['dir/a', 'dir/b', 'dir/sub/c', 'top'], o.prefix ?? ''), continuationToken: '' };
      return page(opts.count ?? 250, o);
    },
  });
  return { client, calls };
}

function model(client: ReturnType<typeof stubClient>, pageSize = 100, k8s?: () => Promise<Connection>) {
  const clusters: ClusterEntry[] = [{ id: 'local', name: 'local', endpoint: 'http://127.0.0.1:1', source: 'local' }];
  return new ClustersTreeModel({ clusters: () => clusters, client: async () => client, pageSize: () => pageSize, k8s });
}

async function bucketNode(m: ClustersTreeModel, bucket: string): Promise<BucketNode> {
  const [cluster] = await m.children();
  const [buckets] = await m.children(cluster);
  const b = (await m.children(buckets)).find((n) => n.kind === 'bucket' && n.bucket === bucket);
  return ofKind(b, 'bucket');
}

test('cluster shows Buckets and ETLs; local cluster has its own contextValue', async () => {
  const m = model(fakeClient().client);
  const [cluster] = await m.children();
  assert.equal(cluster.contextValue, 'cluster.local');
  assert.deepEqual(
    (await m.children(cluster)).map((n) => n.label),
    ['Buckets', 'ETLs'],
  );
  assert.match(m.roots()[0].description ?? '', /v3\.29/);
});

test('unreachable cluster shows one error node with the hint, and the cluster row says so', async () => {
  const m = model(fakeClient({ unreachable: true }).client);
  let fired = 0;
  m.onDidChange(() => fired++);
  const [cluster] = await m.children();
  const kids = await m.children(cluster);
  assert.equal(kids.length, 1);
  assert.equal(kids[0].kind, 'error');
  assert.match(kids[0].label, /ECONNREFUSED.*is the cluster running\?/);
  assert.equal(m.roots()[0].description, 'unreachable');
  await m.children(cluster); // cached: no second probe, no change storm
  assert.equal(fired, 1);
});

test('objects are listed one page at a time with a Load more node', async () => {
  const { client, calls } = fakeClient({ count: 250 });
  const m = model(client, 100);
  const big = await bucketNode(m, 'big');
  let kids = await m.children(big);
  assert.equal(kids.filter((k) => k.kind === 'object').length, 100);
  const more = kids.at(-1)!;
  assert.equal(more.kind, 'loadMore');
  assert.equal(calls[0].pageSize, 100);
  assert.equal(calls[0].noRecursion, true);
  await m.loadMore(ofKind(more, 'loadMore').parent);
  kids = await m.children(big);
  assert.equal(kids.filter((k) => k.kind === 'object').length, 200);
  await m.loadMore(ofKind(kids.at(-1), 'loadMore').parent);
  kids = await m.children(big);
  assert.equal(kids.filter((k) => k.kind === 'object').length, 250);
  assert.ok(!kids.some((k) => k.kind === 'loadMore'));
  assert.deepEqual(m.listingStats(big.id), { entries: 250, pages: 3, hasMore: false });
  assert.equal(calls[1].continuationToken, '100');
});

test('a huge bucket holds only the first page after expanding', async () => {
  const { client, calls } = fakeClient({ count: 1_000_000 });
  const m = model(client, 100);
  const big = await bucketNode(m, 'big');
  await m.children(big);
  assert.equal(calls.length, 1);
  assert.deepEqual(m.listingStats(big.id), { entries: 100, pages: 1, hasMore: true });
});

test('first page failure shows an error node; retry lists again', async () => {
  const { client } = fakeClient({ failPage: (n) => n === 0 });
  const m = model(client, 100);
  const big = await bucketNode(m, 'big');
  const kids = await m.children(big);
  assert.equal(kids.length, 1);
  assert.equal(kids[0].kind, 'error');
  await m.retry(ofKind(kids[0], 'error'));
  assert.equal((await m.children(big)).filter((k) => k.kind === 'object').length, 100);
});

test('a failed "Load more" keeps the loaded objects and shows a retry node that resumes', async () => {
  const { client } = fakeClient({ failPage: (n) => n === 1 });
  const m = model(client, 100);
  const big = await bucketNode(m, 'big');
  const first = await m.children(big);
  await m.loadMore(ofKind(first.at(-1), 'loadMore').parent);
  let kids = await m.children(big);
  assert.equal(kids.filter((k) => k.kind === 'object').length, 100);
  assert.equal(kids.at(-1)!.kind, 'error');
  assert.match(kids.at(-1)!.label, /page failed/);
  await m.retry(ofKind(kids.at(-1), 'error'));
  kids = await m.children(big);
  assert.equal(kids.filter((k) => k.kind === 'object').length, 200);
  assert.equal(kids.at(-1)!.kind, 'loadMore');
});

test('virtual folders: one level at a time, labels relative to the folder', async () => {
  const m = model(fakeClient().client);
  const nested = await bucketNode(m, 'nested');
  const top = await m.children(nested);
  assert.deepEqual(
    top.map((n) => [n.kind, n.label]),
    [
      ['folder', 'dir/'],
      ['object', 'top'],
    ],
  );
  const dir = await m.children(top[0]);
  const nameOf = (n: TreeNode) => (n.kind === 'object' ? n.object : n.kind === 'folder' ? n.prefix : undefined);
  assert.deepEqual(
    dir.map((n) => [n.kind, n.label, nameOf(n)]),
    [
      ['object', 'a', 'dir/a'],
      ['object', 'b', 'dir/b'],
      ['folder', 'sub/', 'dir/sub/'],
    ],
  );
  assert.deepEqual(ofKind(dir[0], 'object').parent, top[0]);
});

test('prefix filter is sent to the server and shown on the bucket', async () => {
  const { client, calls } = fakeClient({ count: 300 });
  const m = model(client, 1000);
  m.setFilter('local', 'big', 'o00012');
  const big = await bucketNode(m, 'big');
  assert.equal(big.contextValue, 'bucket.filtered');
  assert.equal(big.description, 'prefix: o00012');
  const kids = await m.children(big);
  assert.equal(calls.at(-1)!.prefix, 'o00012');
  assert.deepEqual(
    kids.map((k) => k.label),
    Array.from({ length: 10 }, (_, i) => `o00012${i}`),
  );
});

test('empty bucket and filter with no match say so', async () => {
  const m = model(fakeClient().client);
  const empty = await bucketNode(m, 'empty');
  assert.deepEqual(
    (await m.children(empty)).map((n) => [n.kind, n.label]),
    [['empty', 'No objects']],
  );
  m.setFilter('local', 'big', 'zzz');
  const big = await bucketNode(m, 'big');
  assert.deepEqual(
    (await m.children(big)).map((n) => n.label),
    ['No objects with prefix "zzz"'],
  );
});

test('ETLs show stage, comm type and image; contextValue follows the stage; the local cluster shows AIS workers, never k8s', async () => {
  let asked = 0;
  const m = model(fakeClient().client, 100, async () => {
    asked++;
    return { unavailable: 'x' };
  });
  const [cluster] = await m.children();
  const [, etls] = await m.children(cluster);
  const list = await m.children(etls);
  assert.deepEqual(
    list.map((n) => [n.label, n.contextValue, n.description]),
    [
      ['md5', 'etl.running', 'Running · hpull:// · aistore/md5:v1'],
      ['old', 'etl.stopped', 'Stopped'],
    ],
  );
  assert.equal(list[1].iconColor, undefined, 'a stopped ETL is not shown as an error');
  assert.match(list[1].tooltip ?? '', /AIS stage: Aborted/);
  const targets = await m.children(list[0]);
  assert.deepEqual(
    targets.map((n) => [n.kind, n.description ?? '']),
    [
      ['etlLogs', ''],
      ['etlTarget', 'Running'],
      ['etlTarget', 'Failed'],
    ],
  );
  assert.equal(asked, 0);
  assert.equal(ofKind(targets[0], 'etlLogs').targetId, undefined);
  const logs = await m.children(targets[1]);
  assert.deepEqual([ofKind(logs[0], 'etlLogs').etlName, ofKind(logs[0], 'etlLogs').targetId], ['md5', 't1']);
  const stopped = await m.children(list[1]);
  assert.deepEqual(
    stopped.map((n) => [n.kind, n.label]),
    [['empty', 'Stopped: no workers']],
    'no 404 text from asking a stopped ETL',
  );
});

test('refresh of a bucket forgets its pages, not other buckets', async () => {
  const { client, calls } = fakeClient();
  const m = model(client, 100);
  const big = await bucketNode(m, 'big');
  const nested = await bucketNode(m, 'nested');
  await m.children(big);
  await m.children(nested);
  const before = calls.length;
  m.refresh(big);
  assert.equal(m.listingStats(big.id), undefined);
  assert.ok(m.listingStats(nested.id));
  await m.children(big);
  assert.equal(calls.length, before + 1);
});
