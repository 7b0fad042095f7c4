// The worker contract of docs/CONTRACTS.md (`src/engine/local/workers/`), plus the optional members this room adds.
import type { Readable } from 'node:stream';

export type CommType = 'hpush://' | 'hpull://' | 'ws://' | 'io://';

export type ContainerSource = {
  type: 'container';
  image: string;
  command?: string[];
  args?: string[];
  env: { name: string; value: string }[];
  port?: number /* containerPort */;
  readinessPath?: string;
  origin: 'pod-spec' | 'runtime-spec';
};
export type CodeSource = {
  type: 'code';
  code: string;
  dependencies?: string;
  runtime: string;
  functionName: string;
  chunkSize?: number;
  argType?: string;
};
export type IoSource = { type: 'io'; code: string; runtime: string };

export interface LocalEtlSpec {
  // normalised from any init dialect by the gateway
  name: string;
  commType: CommType;
  initTimeoutMs: number;
  objTimeoutMs: number;
  supportDirectPut: boolean;
  source: CodeSource | IoSource | ContainerSource;
  env: { name: string; value: string }[];
}

export interface WorkerContext {
  targetId: string;
  targetUrl: string /* AIS_TARGET_URL for this worker */;
  workDir: string;
  log(line: string): void;
  /** Optional (workers room): the local image store folder; default `$AISETL_HOME/images` or `~/.aisetl/images`. */
  imageStoreDir?: string;
  /** Optional: where per-ETL virtualenvs are cached; default `<workDir>/../.venvs`. */
  venvCacheDir?: string;
  /** What the emulated AIS release sends containers (default: object bytes in the body, no POST fallback). */
  wire?: {
    /** ≥4.0: `etl_fqn` and an empty body */ fqn: boolean;
    /** 3.29 only: retry a 501 to PUT with POST */ postFallback: boolean;
  };
  /** Called when the worker relies on a local-only leniency (the cluster records and logs it once per ETL). */
  onLeniency?(id: 'hpush-post-fallback'): void;
  /** Set while a debugger may attach (etl/debug.ts): Python workers listen with debugpy at `listen` (host:port). */
  debug?: WorkerDebug;
}

export interface TransformInput {
  bucket: string;
  objName: string;
  fqn: string /* local file */;
  size: number;
  args?: string;
  /** Optional: `Ais-Node-Url` (direct put / pipeline, §7.4). The worker PUTs the result there and answers 204. */
  nodeUrl?: string;
}
export interface TransformOutput {
  status: number;
  body: Readable;
  headers: Record<string, string>;
}

export interface EtlWorker {
  readonly pid: number | undefined;
  readonly state: 'starting' | 'running' | 'failed' | 'stopped';
  readonly restarts: number;
  /** push/ws/io; ≥400 → status + error body */
  transform(input: TransformInput, signal?: AbortSignal): Promise<TransformOutput>;
  transformBatch?(
    inputs: TransformInput[],
    onResult: (i: number, out: Buffer | Error) => void,
    signal?: AbortSignal,
  ): Promise<void>;
  pullUrl(input: TransformInput): string; // hpull: where the client is 307-redirected
  logs(): string;
  onExit(cb: (reason: string) => void): void;
  stop(): Promise<void>;
}

/** A per-object failure reported by the worker (the user's traceback, a timeout…); `status` is the HTTP status. */
export class WorkerTransformError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'WorkerTransformError';
  }
}

export interface WorkerDebug {
  listen: string;
  /** first on PYTHONPATH: the debug sitecustomize (it chains to the next one) and debugpy */
  pythonPath: string[];
  /** names the ETL compiles code from a string under; written to the work dir so breakpoints bind */
  sourceNames?: string[];
}
