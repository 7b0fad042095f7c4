// B3 — a local bucket of 1,000,000 objects: time to the first page of the Clusters tree (the real tree model and
// engine client, outside VS Code) and the memory held after expanding it and loading more pages.
// The cluster runs in a child process (so its memory is not counted); the objects are written straight into its
// on-disk layout (<data>/<targetId>/<bucket>/<name>, placed by HRW like the engine does), which is far faster than
// a million PUTs. Env: B3_OBJECTS (1000000), B3_DIR (reuse a prepared data folder), B3_KEEP=1 (keep it).
// Run: node --expose-gc --import tsx bench/b3-tree.ts
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hrwNode, hrwSelect, uname } from '../src/engine/local/hrw';
import { createClient } from '../src/services/engine';
import { waitForEndpoint } from '../src/services/localCluster';
import { ClustersTreeModel } from '../src/views/treeModel';
import type { TreeNode } from '../src/views/treeNodes';

const root = join(__dirname, '..');
const BUCKET = 'b3-million';
const PAGE = 100;

export interface B3Result {
  name: 'B3'; objects: number; prepareMs: number; firstPageMs: number; targetMs: number;
  /** The same expansion again after "Refresh" (the server has the folder cached), and the bare list call. */
  firstPageAgainMs: number; rawListPageMs: number;
  heapBeforeMiB: number; heapAfterFirstPageMiB: number; heapAfter10PagesMiB: number; entriesHeld: number; pass: boolean;
}

const gc = (globalThis as { gc?: () => void }).gc;
const heapMiB = () => { gc?.(); return process.memoryUsage().heapUsed / 1048576; };

export async function run(): Promise<B3Result> {
  const objects = Number(process.env.B3_OBJECTS ?? 1_000_000);
  const dataDir = process.env.B3_DIR ?? mkdtempSync(join(tmpdir(), 'b3-'));
  const keep = process.env.B3_KEEP === '1' || !!process.env.B3_DIR;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e',
    `require('./src/engine/local').startLocalCluster({ dataDir: process.argv[1], port: 0, targets: 2 }).then((c) => console.log('AIS_ENDPOINT=' + c.endpoint), (e) => { console.error(e); process.exit(1); });`, dataDir],
  { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const endpoint = await waitForEndpoint(child, () => undefined, 60_000);
    const client = createClient({ endpoint });
    const t0 = Date.now();
    await prepareBucket(client, dataDir, objects);
    const prepareMs = Date.now() - t0;

    const model = new ClustersTreeModel({
      clusters: () => [{ id: 'local', name: 'local', endpoint, source: 'local' }],
      client: async () => client, pageSize: () => PAGE,
    });
    const heapBefore = heapMiB();
    const [cluster] = await model.children();
    const [buckets] = await model.children(cluster);
    const bucket = (await model.children(buckets)).find((n) => n.bucket === BUCKET)!;
    const t1 = process.hrtime.bigint();
    let kids: TreeNode[] = await model.children(bucket);
    const firstPageMs = Number(process.hrtime.bigint() - t1) / 1e6;
    if (kids.length !== PAGE + 1 || kids.at(-1)!.kind !== 'loadMore') throw new Error(`expected ${PAGE} objects and "Load more…", got ${kids.length} nodes`);
    const heapAfterFirst = heapMiB();
    for (let i = 0; i < 9; i++) { await model.loadMore(kids.at(-1)!); kids = await model.children(bucket); }
    const heapAfter10 = heapMiB();
    const held = model.listingStats(bucket.id)!.entries;
    model.refresh(bucket);
    const t2 = process.hrtime.bigint();
    await model.children(bucket);
    const firstPageAgainMs = Number(process.hrtime.bigint() - t2) / 1e6;
    const t3 = process.hrtime.bigint();
    await client.listObjectsPage(BUCKET, { pageSize: PAGE, noRecursion: true, props: 'name,size,atime' });
    const rawListPageMs = Number(process.hrtime.bigint() - t3) / 1e6;
    await client.close();
    return {
      name: 'B3', objects, prepareMs, firstPageMs: round(firstPageMs), firstPageAgainMs: round(firstPageAgainMs), rawListPageMs: round(rawListPageMs), targetMs: 300,
      heapBeforeMiB: round(heapBefore), heapAfterFirstPageMiB: round(heapAfterFirst), heapAfter10PagesMiB: round(heapAfter10), entriesHeld: held,
      pass: firstPageMs < 300 && held === 10 * PAGE,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    if (!keep) rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Creates the bucket through the API, then its objects directly on disk (skipped when a marker says it's done). */
async function prepareBucket(client: ReturnType<typeof createClient>, dataDir: string, objects: number): Promise<void> {
  const marker = join(dataDir, `.b3-${objects}`);
  if (existsSync(marker)) return;
  if (!(await client.listBuckets()).some((b) => b.name === BUCKET)) await client.createBucket(BUCKET);
  const ids = (JSON.parse(readFileSync(join(dataDir, 'cluster.json'), 'utf8')) as { targets: string[] }).targets;
  const nodes = ids.map((id) => ({ ...hrwNode(id), dir: join(dataDir, id, BUCKET) }));
  for (const n of nodes) mkdirSync(n.dir, { recursive: true });
  const body = Buffer.from('x');
  for (let i = 0; i < objects; i++) {
    const name = `obj-${String(i).padStart(7, '0')}`;
    writeFileSync(join(hrwSelect(nodes, uname(BUCKET, name)).dir, name), body);
  }
  writeFileSync(marker, '');
}

const round = (x: number) => Math.round(x * 10) / 10;

if (require.main === module) {
  run().then((r) => { console.log(JSON.stringify(r, null, 2)); process.exit(r.pass ? 0 : 1); }, (e) => { console.error(e); process.exit(1); });
}
