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
import { gatewayHandler, type GatewayDeps } from './gateway';
import { aisProfile, type LocalAisVersion } from '../version';
import { startReaper } from './reaper';
import { targetHandler } from './target';

export interface LocalClusterOptions {
  host?: string;
  port?: number;
  targets?: number;
  dataDir: string;
  log?: (line: string) => void;
  /** How ETL workers are started; default `startWorker` from ./workers. Tests inject stand-ins. */
  workerFactory?: WorkerFactory;
  /** The AIS release to emulate: "5.0" (default, the newest) or "3.29" (the tutorial's era). */
  aisVersion?: string;
  /** End the ETL worker processes even when this process is killed (reaper.ts); for `aisetl local start`. */
  reapWorkersOnExit?: boolean;
}
export interface LocalCluster {
  endpoint: string;
  targets: { id: string; url: string }[];
  dataDir: string;
  stop(): Promise<void>;
  /** The AIS release it emulates. */
  aisVersion: LocalAisVersion;
  /** PIDs of every running ETL worker process. */
  workerPids(): number[];
}

interface NodeIds {
  proxyId: string;
  targets: string[];
}

async function loadNodeIds(dataDir: string, n: number): Promise<NodeIds> {
  const file = join(dataDir, 'cluster.json');
  try {
    const ids = JSON.parse(await fsp.readFile(file, 'utf8')) as NodeIds;
    if (ids.targets.length !== n) {
      throw new Error(
        `the data folder ${dataDir} holds a cluster with ${ids.targets.length} target(s), but ${n} were requested; ` +
          `start with --targets ${ids.targets.length} or use another --data folder (objects are placed by target ID)`,
      );
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
    server.listen(port, host, () => {
      server.off('error', rej);
      res((server.address() as AddressInfo).port);
    });
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
  log(
    'the previous run of this local cluster did not stop cleanly: objects are intact (writes are atomic); ' +
      'removing the temp files it left behind',
  );
  await Promise.all(targets.map((t) => Promise.all(t.store.indexed.values())));
  // later still: the sweep walks every folder, and the first listings after the restart come first
  await new Promise((r) => setTimeout(r, 3000).unref());
  const n = (await Promise.all(targets.map((t) => sweepCrashLeftovers(t.store.root)))).reduce((a, b) => a + b, 0);
  log(`crash recovery: removed ${n} leftover temp file(s)`);
}

interface Parts {
  ctx: ClusterContext;
  etls: EtlManager;
  jobs: JobManager;
  gateway: GatewayDeps;
  crashed: boolean;
}

/** Storage, ETL and job managers of one cluster, before any server listens. */
async function assemble(o: LocalClusterOptions): Promise<Parts> {
  const host = o.host ?? '127.0.0.1';
  const n = o.targets ?? 2;
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new Error(`invalid number of targets ${n}: expecting 1..64`);
  const ais = aisProfile(o.aisVersion);
  const dataDir = resolve(o.dataDir);
  await fsp.mkdir(dataDir, { recursive: true });
  const log = o.log ?? (() => undefined);
  if (o.reapWorkersOnExit) startReaper();
  const ids = await loadNodeIds(dataDir, n);
  const crashed = await beginRun(dataDir);
  const bmd = await BucketRegistry.load(dataDir);
  const targets: TargetNode[] = ids.targets.map((id) => ({
    ...hrwNode(id),
    url: '',
    host,
    port: 0,
    store: new TargetStore(id, join(dataDir, id)),
  }));
  for (const t of targets) t.store.log = log;
  const ctx: ClusterContext = {
    proxyId: ids.proxyId,
    proxyUrl: '',
    host,
    port: 0,
    dataDir,
    startedAt: Date.now(),
    targets,
    bmd,
    ais,
    log,
  };
  const factory = o.workerFactory ?? (await import('./default-worker-factory')).defaultWorkerFactory;
  const jobsRef: { current?: JobManager } = {};
  const etls = await EtlManager.create(ctx, factory, {
    onEtlStopped: (name, reason) => jobsRef.current?.abortByEtl(name, reason),
  });
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
  return { ctx, etls, jobs, gateway: { etls, jobs, createBucket, destroyBucket }, crashed };
}

/** Targets first (on free ports), then the gateway on the requested port; nothing stays open on failure. */
async function listenAll(p: Parts, port: number | undefined): Promise<Server[]> {
  const { ctx, etls, jobs } = p;
  const servers: Server[] = [];
  try {
    for (const t of ctx.targets) {
      const s = createServer(
        targetHandler(ctx, t, etls, { onDirectPut: (job, tid, bytes) => jobs.onDirectPut(job, tid, bytes) }),
      );
      tuneServer(s);
      servers.push(s);
      t.port = await listen(s, ctx.host, 0);
      t.url = `http://${ctx.host}:${t.port}`;
      t.server = s;
    }
    const gw = createServer(gatewayHandler(ctx, p.gateway));
    tuneServer(gw);
    servers.push(gw);
    ctx.port = await listen(gw, ctx.host, port ?? 0);
    ctx.proxyUrl = `http://${ctx.host}:${ctx.port}`;
    return servers;
  } catch (e) {
    for (const s of servers) s.close();
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(
        `port ${port} on ${ctx.host} is already in use: stop whatever listens there (maybe another local cluster: ` +
          '"aisetl local stop") or pick another --port',
      );
    }
    throw e;
  }
}

export async function startLocalCluster(o: LocalClusterOptions): Promise<LocalCluster> {
  const p = await assemble(o);
  const { ctx, etls, jobs } = p;
  const servers = await listenAll(p, o.port);
  ctx.log(
    `local AIS cluster p[${ctx.proxyId}] (AIS ${ctx.ais.version}) at ${ctx.proxyUrl}; targets ` +
      `${ctx.targets.map((t) => `t[${t.id}] ${t.url}`).join(', ')}; data ${ctx.dataDir}`,
  );
  if (p.crashed) void recoverAfterCrash(ctx.targets, ctx.log);
  let stopping: Promise<void> | undefined;
  return {
    endpoint: ctx.proxyUrl,
    dataDir: ctx.dataDir,
    aisVersion: ctx.ais.version,
    targets: ctx.targets.map((t) => ({ id: t.id, url: t.url })),
    workerPids: () => etls.pids(),
    stop: () =>
      (stopping ??= (async () => {
        jobs.abortAll('the local cluster is stopping');
        // a full disk cannot block the stop: the workers are ended either way, only the ETL registry's save failed
        await etls.stopAll().catch((e: Error) => ctx.log(`stopping ETLs: ${e.message}`));
        await Promise.all(
          servers.map(
            (s) =>
              new Promise<void>((res) => {
                s.close(() => res());
                s.closeAllConnections();
              }),
          ),
        );
        await Promise.all(ctx.targets.map((t) => t.store.saveIndexes())); // next start loads them (storage/listing.ts)
        for (const t of ctx.targets) t.store.dropIndexes();
        await endRun(ctx.dataDir);
        ctx.log('local AIS cluster stopped');
      })()),
  };
}
