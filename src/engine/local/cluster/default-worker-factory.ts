// The real ETL workers (./workers), loaded (dynamic import in start.ts) only when a cluster starts without a
// test-injected factory.
import { startWorker } from '../workers';
import type { WorkerFactory } from '../worker-contract';

export const defaultWorkerFactory: WorkerFactory = (spec, ctx) => startWorker(spec, ctx);
