// B3 — a local bucket of 1,000,000 objects: time to the first page of the Clusters tree (the real tree model and
// engine client, outside VS Code) and the memory held after expanding it and loading more pages.
// The cluster runs in a child process (so its memory is not counted in the tree's heap; the child's RSS is reported
// as the gateway's memory). The objects are written straight into its on-disk layout (<data>/<targetId>/<bucket>/
// <name>, placed by HRW like the engine does) while no cluster runs, which is far faster than a million PUTs. Then:
//   scan — the first start after the objects were written on disk, tree expanded at once: no valid saved index, so
//          the listing races the start-up build that reads and sorts the folder (its clean stop saves the index);
//   cold — a fresh cluster start after that clean stop, tree expanded at once: the listing waits for the saved
//          index file to load (storage/listing.ts persistIndex / loadPersisted);
//   warm — another fresh start, the tree expanded after the cluster has indexed its buckets (as when a user opens the
//          explorer a few seconds after starting the cluster);
//   crash — a start whose objects were then changed (CRASH_PUTS new objects PUT, so the saved index is stale), the
//          cluster killed with SIGKILL, and a fresh start on the same folder, tree expanded at once: the index comes
//          from the last snapshot plus the crash journal (storage/indexJournal.ts), not from reading the folder.
// Env: B3_OBJECTS (1000000), B3_DIR (reuse a prepared data folder), B3_KEEP=1 (keep it).
// Run: node --expose-gc --import tsx bench/b3-tree.ts   (or `npm run bench -- b3-tree`)
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AisClient } from '../src/engine/ais';
import { hrwNode, hrwSelect, uname } from '../src/engine/local/hrw';
import { createClient } from '../src/services/engine';
import { waitForEndpoint } from '../src/services/localCluster';
import { ClustersTreeModel } from '../src/views/treeModel';
import type { BucketNode, TreeNode } from '../src/views/treeNodes';
import type { BenchResult } from './lib/types';

const root = join(__dirname, '..');
const BUCKET = 'b3-million';
const PAGE = 100;

export interface B3Run {
  firstPageMs: number;
  firstPageAgainMs: number;
  rawListPageMs: number;
  heapBeforeMiB: number;
  heapAfterFirstPageMiB: number;
  heapAfter10PagesMiB: number;
  entriesHeld: number;
  gatewayRssMiB: number;
  gatewayPeakRssMiB: number;
  indexReadyMs?: number;
}
export interface B3Result {
  name: 'B3';
  objects: number;
  prepareMs: number;
  targetMs: number;
  scan: B3Run;
  cold: B3Run;
  warm: B3Run;
  crash: B3Run & { putsBeforeKill: number; putsListed: boolean };
  pass: boolean;
}
const CRASH_PUTS = 200;

const gc = (globalThis as { gc?: () => void }).gc;
const heapMiB = () => {
  gc?.();
  return process.memoryUsage().heapUsed / 1048576;
};
const round = (x: number) => Math.round(x * 10) / 10;

interface Child {
  proc: ChildProcess;
  endpoint: string;
  lines: string[];
  startedAt: number;
}

async function startChild(dataDir: string): Promise<Child> {
  const startedAt = Date.now();
  const proc = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      `require('./src/engine/local').startLocalCluster({ dataDir: process.argv[1], port: 0, targets: 2, log: (l) => console.error(Date.now() + ' ' + l) }).then((c) => { console.log('AIS_ENDPOINT=' + c.endpoint); process.on('SIGTERM', () => c.stop().then(() => process.exit(0))); }, (e) => { console.error(e); process.exit(1); });`,
      dataDir,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines: string[] = [];
  try {
    const endpoint = await waitForEndpoint(proc, (l) => lines.push(l), 60_000);
    return { proc, endpoint, lines, startedAt };
  } catch (e) {
    proc.kill('SIGKILL');
    throw e;
  }
}

async function stopChild(c: Child): Promise<void> {
  if (c.proc.exitCode !== null) return;
  const exited = new Promise((r) => c.proc.once('exit', r));
  c.proc.kill('SIGTERM');
  const t = setTimeout(() => c.proc.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(t);
}

/** VmRSS / VmHWM of the cluster process (Linux); NaN elsewhere. */
function rssMiB(pid: number | undefined): { rss: number; peak: number } {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return { rss: NaN, peak: NaN };
  }
}

/** Resolves when both targets logged that the bucket's names are indexed (ms after the process was spawned). */
async function indexReady(c: Child, timeoutMs = 60_000): Promise<number | undefined> {
  const t0 = Date.now();
  for (;;) {
    const done = c.lines.filter((l) => l.includes(`names of ais://${BUCKET} in`));
    if (done.length >= 2) return Math.max(...done.map((l) => Number(l.split(' ')[0]))) - c.startedAt;
    if (Date.now() - t0 > timeoutMs) return undefined;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function expandTree(c: Child, warm: boolean): Promise<B3Run> {
  const indexReadyMs = warm ? await indexReady(c) : undefined;
  const client = createClient({ endpoint: c.endpoint });
  try {
    const model = new ClustersTreeModel({
      clusters: () => [{ id: 'local', name: 'local', endpoint: c.endpoint, source: 'local' }],
      client: async () => client,
      pageSize: () => PAGE,
    });
    const heapBefore = heapMiB();
    const [cluster] = await model.children();
    const [buckets] = await model.children(cluster);
    const bucket = (await model.children(buckets)).find(
      (n): n is BucketNode => n.kind === 'bucket' && n.bucket === BUCKET,
    )!;
    const t1 = process.hrtime.bigint();
    let kids: TreeNode[] = await model.children(bucket);
    const firstPageMs = Number(process.hrtime.bigint() - t1) / 1e6;
    if (kids.length !== PAGE + 1 || kids.at(-1)!.kind !== 'loadMore')
      throw new Error(`expected ${PAGE} objects and "Load more…", got ${kids.length} nodes`);
    const heapAfterFirst = heapMiB();
    for (let i = 0; i < 9; i++) {
      await model.loadMore(bucket);
      kids = await model.children(bucket);
    }
    const heapAfter10 = heapMiB();
    const held = model.listingStats(bucket.id)!.entries;
    model.refresh(bucket);
    const t2 = process.hrtime.bigint();
    await model.children(bucket);
    const firstPageAgainMs = Number(process.hrtime.bigint() - t2) / 1e6;
    const t3 = process.hrtime.bigint();
    await client.listObjectsPage(BUCKET, { pageSize: PAGE, noRecursion: true, props: 'name,size,atime' });
    const rawListPageMs = Number(process.hrtime.bigint() - t3) / 1e6;
    if (!warm) await indexReady(c); // report the gateway's memory with the index complete in both cases
    const mem = rssMiB(c.proc.pid);
    return {
      firstPageMs: round(firstPageMs),
      firstPageAgainMs: round(firstPageAgainMs),
      rawListPageMs: round(rawListPageMs),
      heapBeforeMiB: round(heapBefore),
      heapAfterFirstPageMiB: round(heapAfterFirst),
      heapAfter10PagesMiB: round(heapAfter10),
      entriesHeld: held,
      gatewayRssMiB: round(mem.rss),
      gatewayPeakRssMiB: round(mem.peak),
      ...(indexReadyMs !== undefined && { indexReadyMs }),
    };
  } finally {
    await client.close();
  }
}

export async function runB3(): Promise<B3Result> {
  const objects = Number(process.env.B3_OBJECTS ?? 1_000_000);
  const dataDir = process.env.B3_DIR ?? mkdtempSync(join(tmpdir(), 'b3-'));
  const keep = process.env.B3_KEEP === '1' || !!process.env.B3_DIR;
  try {
    const t0 = Date.now();
    await prepareBucket(dataDir, objects);
    const prepareMs = Date.now() - t0;
    const runOnce = async (warm: boolean) => {
      const c = await startChild(dataDir);
      try {
        return await expandTree(c, warm);
      } finally {
        await stopChild(c);
      }
    };
    const scan = await runOnce(false);
    const cold = await runOnce(false);
    const warm = await runOnce(true);
    const crash = await runAfterCrash(dataDir);
    return {
      name: 'B3',
      objects,
      prepareMs,
      targetMs: 300,
      scan,
      cold,
      warm,
      crash,
      pass: warm.firstPageMs < 300 && warm.entriesHeld === 10 * PAGE && crash.firstPageMs < 300 && crash.putsListed,
    };
  } finally {
    if (!keep) rmSync(dataDir, { recursive: true, force: true });
  }
}

/** PUTs CRASH_PUTS objects into an indexed cluster, kills it with SIGKILL, restarts on the same folder and expands. */
async function runAfterCrash(dataDir: string): Promise<B3Run & { putsBeforeKill: number; putsListed: boolean }> {
  const first = await startChild(dataDir);
  try {
    await indexReady(first);
    const client = createClient({ endpoint: first.endpoint });
    // names that sort first, so the first page after the restart must show them
    for (let i = 0; i < CRASH_PUTS; i++)
      await client.putObject(BUCKET, `a-crash-${String(i).padStart(4, '0')}`, Buffer.from('c'));
    await client.close();
    await new Promise((r) => setTimeout(r, 100)); // the journal is flushed every 20 ms
  } finally {
    const exited = new Promise((r) => first.proc.once('exit', r));
    first.proc.kill('SIGKILL');
    await exited;
  }
  const c = await startChild(dataDir);
  try {
    const run = await expandTree(c, false);
    const client = createClient({ endpoint: c.endpoint });
    const page = await client.listObjectsPage(BUCKET, { pageSize: PAGE });
    await client.close();
    const putsListed =
      page.entries.length === PAGE && page.entries.every((e, i) => e.name === `a-crash-${String(i).padStart(4, '0')}`);
    return { ...run, putsBeforeKill: CRASH_PUTS, putsListed };
  } finally {
    const client = new AisClient({ endpoint: c.endpoint });
    for (let i = 0; i < CRASH_PUTS; i++)
      await client.deleteObject(BUCKET, `a-crash-${String(i).padStart(4, '0')}`).catch(() => undefined);
    await client.close();
    await stopChild(c);
  }
}

/** Creates the bucket through a short-lived cluster, then its objects directly on disk with no cluster running. */
async function prepareBucket(dataDir: string, objects: number): Promise<void> {
  const marker = join(dataDir, `.b3-${objects}`);
  if (existsSync(marker)) return;
  const c = await startChild(dataDir);
  try {
    const client = createClient({ endpoint: c.endpoint });
    if (!(await client.listBuckets()).some((b) => b.name === BUCKET)) await client.createBucket(BUCKET);
    await client.close();
  } finally {
    await stopChild(c);
  }
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

/** For `npm run bench`: the same numbers as rows. */
export async function run(): Promise<BenchResult[]> {
  const r = await runB3();
  const rows: BenchResult[] = [];
  const runs = [
    ['scan (no saved index, racing the start-up read)', r.scan],
    ['cold (saved index loading)', r.cold],
    ['warm (index ready)', r.warm],
    [`after a crash (${r.crash.putsBeforeKill} PUTs, kill -9, restart)`, r.crash],
  ] as const;
  for (const [k, v] of runs) {
    const targeted = k.startsWith('warm') || k.startsWith('after a crash');
    const extra = k.startsWith('after a crash') ? `; objects PUT before the kill listed: ${r.crash.putsListed}` : '';
    rows.push(
      {
        name: `${r.objects} objects: first tree page, ${k}`,
        value: v.firstPageMs,
        unit: 'ms',
        ...(targeted && { target: { op: '<', value: 300 } }),
        note: `again after refresh ${v.firstPageAgainMs} ms; raw list page ${v.rawListPageMs} ms${v.indexReadyMs !== undefined ? `; index ready ${v.indexReadyMs} ms after spawn` : ''}${extra}`,
      },
      {
        name: `tree heap after 10 pages, ${k}`,
        value: v.heapAfter10PagesMiB,
        unit: 'MiB',
        note: `before ${v.heapBeforeMiB} MiB; ${v.entriesHeld} entries held`,
      },
      {
        name: `gateway RSS with ${r.objects} names indexed, ${k}`,
        value: v.gatewayRssMiB,
        unit: 'MiB',
        note: `peak ${v.gatewayPeakRssMiB} MiB`,
      },
    );
  }
  return rows;
}

if (require.main === module) {
  runB3().then(
    (r) => {
      console.log(JSON.stringify(r, null, 2));
      process.exit(r.pass ? 0 : 1);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
