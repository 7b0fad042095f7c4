// Starts the local cluster: one gateway and N targets as HTTP servers on loopback in this process. Node IDs are
// persisted in <dataDir>/cluster.json because object placement (HRW) depends on them.
import { createServer, type Server } from 'node:http';
import { promises as fsp } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { hrwNode } from '../hrw';
import { newNodeId } from '../ids';
import { BucketRegistry } from '../storage/bmd';
import { writeAtomic } from '../storage/atomic';
import { beginRun, endRun, sweepCrashLeftovers } from '../storage/recovery';
import { TargetStore } from '../storage/target-store';
import { EtlManager } from '../etl/manager';
import { JobManager } from '../jobs/manager';
import type { WorkerFactory } from '../worker-contract';
import type { ClusterContext, TargetNode } from './context';
import { gatewayHandler } from './gateway';
import { startReaper } from './reaper';
import { targetHandler } from './target';

export interface LocalClusterOptions {
  host?: string; port?: number; targets?: number; dataDir: string; log?: (line: string) => void;
  /** How ETL workers are started; default `startWorker` from ./workers. Tests inject stand-ins. */
  workerFactory?: WorkerFactory;
  /** End the ETL worker processes even when this process is killed (reaper.ts); for `aisetl local start`. */
  reapWorkersOnExit?: boolean;
}
export interface LocalCluster {
  endpoint: string; targets: { id: string; url: string }[]; dataDir: string; stop(): Promise<void>;
  /** PIDs of every running ETL worker process. */
  workerPids(): number[];
}

interface NodeIds { proxyId: string; targets: string[] }

async function loadNodeIds(dataDir: string, n: number): Promise<NodeIds> {
  const file = join(dataDir, 'cluster.json');
  try {
    const ids = JSON.parse(await fsp.readFile(file, 'utf8')) as NodeIds;
    if (ids.targets.length !== n) {
      throw new Error(`the data folder ${dataDir} holds a cluster with ${ids.targets.length} target(s), but ${n} were requested; ` +
        `start with --targets ${ids.targets.length} or use another --data folder (objects are placed by target ID)`);
    }
    return ids;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const ids = { proxyId: newNodeId(), targets: Array.from({ length: n }, newNodeId) };
  await writeAtomic(file, Buffer.from(JSON.stringify(ids, null, 1)));
  return ids;
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((res, rej) => {
    server.once('error', rej);
    server.listen(port, host, () => { server.off('error', rej); res((server.address() as AddressInfo).port); });
  });
}

function tuneServer(server: Server): void {
  server.keepAliveTimeout = 30_000;
  server.headersTimeout = 60_000;
  server.requestTimeout = 0; // objects can be many GiB
  server.on('connection', (s) => s.setNoDelay(true));
}

/** The previous run was killed: once the indexes are ready, remove the temp files and spools it left behind. */
async function recoverAfterCrash(targets: TargetNode[], log: (line: string) => void): Promise<void> {
  log('the previous run of this local cluster did not stop cleanly: objects are intact (writes are atomic); ' +
    'removing the temp files it left behind');
  await Promise.all(targets.map((t) => Promise.all(t.store.indexed.values())));
  // later still: the sweep walks every folder, and the first listings after the restart come first
  await new Promise((r) => setTimeout(r, 3000).unref());
  const n = (await Promise.all(targets.map((t) => sweepCrashLeftovers(t.store.root)))).reduce((a, b) => a + b, 0);
  log(`crash recovery: removed ${n} leftover temp file(s)`);
}

export async function startLocalCluster(o: LocalClusterOptions): Promise<LocalCluster> {
  const host = o.host ?? '127.0.0.1';
  const n = o.targets ?? 2;
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error(`invalid number of targets ${n}: expecting 1..64`);
  const dataDir = resolve(o.dataDir);
  await fsp.mkdir(dataDir, { recursive: true });
  const log = o.log ?? (() => undefined);
  if (o.reapWorkersOnExit) startReaper();
  const ids = await loadNodeIds(dataDir, n);
  const crashed = await beginRun(dataDir);
  const bmd = await BucketRegistry.load(dataDir);
  const targets: TargetNode[] = ids.targets.map((id) => ({ ...hrwNode(id), url: '', host, port: 0, store: new TargetStore(id, join(dataDir, id)) }));
  for (const t of targets) t.store.log = log;
  const ctx: ClusterContext = { proxyId: ids.proxyId, proxyUrl: '', host, port: 0, dataDir, startedAt: Date.now(), targets, bmd, log };

  const factory = o.workerFactory ?? (await import('./default-worker-factory')).defaultWorkerFactory;
  const jobsRef: { current?: JobManager } = {};
  const etls = await EtlManager.create(ctx, factory, { onEtlStopped: (name, reason) => jobsRef.current?.abortByEtl(name, reason) });
  const createBucket = async (name: string) => {
    await Promise.all(targets.map((t) => t.store.createBucketDir(name)));
    await bmd.add(name);
  };
  const destroyBucket = async (name: string) => {
    await bmd.remove(name);
    await Promise.all(targets.map((t) => t.store.removeBucketDir(name)));
  };
  const jobs = new JobManager(ctx, etls, createBucket);
  jobsRef.current = jobs;
  await jobs.recover();
  // also starts indexing each bucket's names in the background (storage/listing.ts): not awaited
  for (const b of bmd.names()) await Promise.all(targets.map((t) => t.store.createBucketDir(b)));

  const servers: Server[] = [];
  try {
    for (const t of targets) {
      const s = createServer(targetHandler(ctx, t, etls, { onDirectPut: (job, tid, bytes) => jobs.onDirectPut(job, tid, bytes) }));
      tuneServer(s);
      servers.push(s);
      t.port = await listen(s, host, 0);
      t.url = `http://${host}:${t.port}`;
      t.server = s;
    }
    const gw = createServer(gatewayHandler(ctx, { etls, jobs, createBucket, destroyBucket }));
    tuneServer(gw);
    servers.push(gw);
    ctx.port = await listen(gw, host, o.port ?? 0);
    ctx.proxyUrl = `http://${host}:${ctx.port}`;
  } catch (e) {
    for (const s of servers) s.close();
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') throw new Error(`port ${o.port} on ${host} is already in use: stop whatever listens there (maybe another local cluster: "aisetl local stop") or pick another --port`);
    throw e;
  }
  log(`local AIS cluster p[${ctx.proxyId}] at ${ctx.proxyUrl}; targets ${targets.map((t) => `t[${t.id}] ${t.url}`).join(', ')}; data ${dataDir}`);
  if (crashed) void recoverAfterCrash(targets, log);

  let stopping: Promise<void> | undefined;
  return {
    endpoint: ctx.proxyUrl, dataDir, targets: targets.map((t) => ({ id: t.id, url: t.url })),
    workerPids: () => etls.pids(),
    stop: () => stopping ??= (async () => {
      jobs.abortAll('the local cluster is stopping');
      // a full disk cannot block the stop: the workers are ended either way, only the ETL registry's save failed
      await etls.stopAll().catch((e: Error) => log(`stopping ETLs: ${e.message}`));
      await Promise.all(servers.map((s) => new Promise<void>((res) => { s.close(() => res()); s.closeAllConnections(); })));
      await Promise.all(targets.map((t) => t.store.saveIndexes())); // next start loads them (storage/listing.ts)
      for (const t of targets) t.store.dropIndexes();
      await endRun(dataDir);
      log('local AIS cluster stopped');
    })(),
  };
}
