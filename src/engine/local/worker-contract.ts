// The worker interface the gateway depends on: the workers room's own types (type-only, so the gateway does not load
// the workers' implementation; tests inject stand-in workers through `workerFactory`).
import type { EtlWorker, LocalEtlSpec, WorkerContext } from './workers/types';

export type {
  CommType,
  EtlWorker,
  LocalEtlSpec,
  TransformInput,
  TransformOutput,
  WorkerContext,
} from './workers/types';
export type WorkerFactory = (spec: LocalEtlSpec, ctx: WorkerContext) => Promise<EtlWorker>;
