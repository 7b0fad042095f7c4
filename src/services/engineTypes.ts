// The slice of the engine's contract (docs/CONTRACTS.md) the VS Code layer uses. Declared here as interfaces so views
// and commands can be unit-tested with small fakes; the real AisClient satisfies them structurally (see engine.ts).
import type { Readable } from 'node:stream';

export type CommType = 'hpush://' | 'hpull://' | 'ws://' | 'io://';
export interface CallOptions { signal?: AbortSignal; timeoutMs?: number }
export interface TlsOptions { caFile?: string; certFile?: string; keyFile?: string; skipVerify?: boolean }
export interface ClientOptions { endpoint: string; token?: string; tls?: TlsOptions; timeoutMs?: number; userAgent?: string }

export interface ClusterInfoLike {
  endpoint: string; version: { raw: string; major: number; minor: number }; dialect: 'v3.16' | 'v3.29' | 'v3.30' | 'v5.0'; deployment: string; local: boolean;
  etl: 'available' | 'not-built' | 'no-k8s' | 'unknown'; etlReason?: string; commTypes: CommType[]; codeInit: boolean;
}
export interface BckLike { name: string; provider: string }
export interface ObjEntryLike { name: string; size: number; isDir?: boolean; atime?: string; checksum?: string; version?: string }
export interface ObjPageLike { entries: ObjEntryLike[]; continuationToken: string }
export interface ListPageOptions extends CallOptions { prefix?: string; pageSize?: number; continuationToken?: string; props?: string; noRecursion?: boolean }
export interface ObjPropsLike { size: number; checksumType?: string; checksumValue?: string; atime?: string; version?: string; present?: boolean; headers: Record<string, string> }
export interface EtlRefLike { name: string; args?: string; pipeline?: string[] }
export interface ObjectStreamLike { body: Readable; size?: number; headers: Record<string, string>; status: number }
export type PutBodyLike = Readable | Buffer | string | { file: string };
export interface EtlInfoLike { name: string; stage: string; xactionId?: string; objCount?: number; inBytes?: number; outBytes?: number }
export interface EtlDetailsLike { initMsg: Record<string, unknown>; kind: string; objErrors: { objName: string; message: string; ecode?: number }[] }
export interface EtlLogLike { targetId: string; logs: string }
export interface EtlHealthLike { targetId: string; status: string }
export type JobKindLike = 'etl-bck' | 'etl-listrange';
export interface JobProgressLike { id: string; kind: JobKindLike; running: boolean; aborted: boolean; err?: string; objs: number; bytes: number; outObjs: number; inObjs: number; perTarget: Record<string, { objs: number; bytes: number }> }
export interface BucketTransformRequestLike { src: string; dst: string; etl: EtlRefLike; prefix?: string; prepend?: string; dryRun?: boolean; continueOnError?: boolean; numWorkers?: number }
export interface MultiObjTransformRequestLike extends Omit<BucketTransformRequestLike, 'prefix'> { objnames?: string[]; template?: string }

/** What the views and commands call on a cluster. */
export interface ClusterClient {
  readonly endpoint: string;
  cluster(o?: CallOptions): Promise<ClusterInfoLike>;
  refreshCluster?(o?: CallOptions): Promise<ClusterInfoLike>;
  /** Proxies and targets (the target ids tell which ETL pods to expect on Kubernetes). */
  clusterMap?(o?: CallOptions): Promise<{ targets: { id: string }[] }>;
  listBuckets(o?: CallOptions): Promise<BckLike[]>;
  createBucket(name: string, o?: CallOptions): Promise<void>;
  destroyBucket(name: string, o?: CallOptions): Promise<void>;
  listObjectsPage(bucket: string, o?: ListPageOptions): Promise<ObjPageLike>;
  headObject(bucket: string, name: string, o?: CallOptions): Promise<ObjPropsLike>;
  getObject(bucket: string, name: string, o?: CallOptions & { etl?: EtlRefLike }): Promise<ObjectStreamLike>;
  putObject(bucket: string, name: string, body: PutBodyLike, o?: CallOptions): Promise<void>;
  initEtl(msg: Record<string, unknown>, o?: CallOptions): Promise<string>;
  listEtls(o?: CallOptions): Promise<EtlInfoLike[]>;
  etlDetails(name: string, jobId?: string, o?: CallOptions): Promise<EtlDetailsLike>;
  stopEtl(name: string, o?: CallOptions): Promise<void>;
  startEtl(name: string, o?: CallOptions): Promise<string>;
  deleteEtl(name: string, o?: CallOptions): Promise<void>;
  etlLogs(name: string, targetId?: string, o?: CallOptions): Promise<EtlLogLike[]>;
  etlHealth(name: string, o?: CallOptions): Promise<EtlHealthLike[]>;
  startBucketTransform(r: BucketTransformRequestLike, o?: CallOptions): Promise<string>;
  startMultiObjectTransform(r: MultiObjTransformRequestLike, o?: CallOptions): Promise<string>;
  jobProgress(id: string, kind: JobKindLike, o?: CallOptions): Promise<JobProgressLike>;
  waitJob(id: string, kind: JobKindLike, o?: CallOptions & { intervalMs?: number; onProgress?(p: JobProgressLike): void }): Promise<JobProgressLike>;
  abortJob(id: string, kind: JobKindLike, o?: CallOptions): Promise<void>;
  close(): Promise<void>;
}

/** One ETL pod (k8s) or local worker as the tree shows it. */
export interface EtlPodLike {
  name: string; targetId: string; phase: string; ready: boolean; restarts: number; reason?: string; message?: string; image?: string;
  namespace?: string; node?: string; startTime?: string; container?: string; exitCode?: number;
}
