// The worker interface of docs/CONTRACTS.md (`src/engine/local/workers/`), restated here so the gateway depends
// only on the shape, not on the workers' implementation (tests inject stand-in workers through `workerFactory`).
// TypeScript's structural typing makes the workers room's exported types interchangeable with these.
import type { Readable } from 'node:stream';

export type CommType = 'hpush://' | 'hpull://' | 'ws://' | 'io://';

export interface LocalEtlSpec {
  name: string; commType: CommType; initTimeoutMs: number; objTimeoutMs: number; supportDirectPut: boolean;
  source:
    | { type: 'code'; code: string; dependencies?: string; runtime: string; functionName: string; chunkSize?: number; argType?: string }
    | { type: 'io'; code: string; runtime: string }
    | { type: 'container'; image: string; command?: string[]; args?: string[]; env: { name: string; value: string }[]; port?: number; readinessPath?: string; origin: 'pod-spec' | 'runtime-spec' };
  env: { name: string; value: string }[];
}
export interface WorkerContext { targetId: string; targetUrl: string; workDir: string; log(line: string): void }
export interface TransformInput { bucket: string; objName: string; fqn: string; size: number; args?: string }
export interface TransformOutput { status: number; body: Readable; headers: Record<string, string> }
export interface EtlWorker {
  readonly pid: number | undefined; readonly state: 'starting' | 'running' | 'failed' | 'stopped'; readonly restarts: number;
  transform(input: TransformInput, signal?: AbortSignal): Promise<TransformOutput>;
  transformBatch?(inputs: TransformInput[], onResult: (i: number, out: Buffer | Error) => void, signal?: AbortSignal): Promise<void>;
  pullUrl(input: TransformInput): string;
  logs(): string; onExit(cb: (reason: string) => void): void; stop(): Promise<void>;
}
export type WorkerFactory = (spec: LocalEtlSpec, ctx: WorkerContext) => Promise<EtlWorker>;
