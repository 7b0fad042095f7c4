// The real ETL workers (./workers, the workers room), loaded only when the first ETL starts.
import type { WorkerFactory } from '../worker-contract';

export const defaultWorkerFactory: WorkerFactory = async (spec, ctx) => {
  const mod = require('../workers') as { startWorker: WorkerFactory };
  return mod.startWorker(spec, ctx);
};
