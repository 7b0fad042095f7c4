// Public shapes of the AIS client (docs/CONTRACTS.md, "src/engine/ais/").
import type { Readable } from 'node:stream';

export interface TlsOptions {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  skipVerify?: boolean;
}
export interface AisClientOptions {
  endpoint: string;
  token?: string;
  tls?: TlsOptions;
  /** Per call, default 60 s; 0 = none. For streamed bodies it is the allowed silence between chunks, not the total. */
  timeoutMs?: number;
  userAgent?: string;
}
export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

export type EtlDialect = 'v3.16' | 'v3.29' | 'v3.30' | 'v5.0';
export type CommType = 'hpush://' | 'hpull://' | 'ws://' | 'io://';

export interface ClusterInfo {
  endpoint: string;
  version: { raw: string; major: number; minor: number };
  dialect: EtlDialect;
  deployment: string;
  /** Our local cluster (deployment "aisetl-local"); its version says which AIS release it emulates, and the other
   *  fields follow that release exactly. */
  local: boolean;
  etl: 'available' | 'not-built' | 'no-k8s' | 'unknown';
  etlReason?: string;
  commTypes: CommType[];
  codeInit: boolean;
}

export interface SmapNode {
  id: string;
  type: 'proxy' | 'target';
  /** public_net.direct_url */
  url: string;
  intraDataUrl?: string;
  flags: number;
}
export interface Smap {
  uuid: string;
  version: string;
  primaryId: string;
  primaryUrl: string;
  proxies: SmapNode[];
  targets: SmapNode[];
}

export interface Bck {
  name: string;
  provider: string;
  namespace?: { uuid: string; name: string };
}
export interface ObjEntry {
  name: string;
  size: number;
  checksum?: string;
  atime?: string;
  version?: string;
  location?: string;
  flags?: number;
  isDir?: boolean;
}
export interface ObjPage {
  entries: ObjEntry[];
  /** '' = last page */
  continuationToken: string;
  /** listing session id the server returned; pass it back with the next page to let the proxy reuse its cache */
  uuid?: string;
}
export interface ListObjectsOptions extends CallOptions {
  prefix?: string;
  pageSize?: number;
  continuationToken?: string;
  props?: string;
  /** one level only: "directories" come back as entries with isDir */
  noRecursion?: boolean;
  uuid?: string;
}
export interface ListBucketsOptions extends CallOptions {
  /** '' or undefined = every provider */
  provider?: string;
}
export interface ObjProps {
  size: number;
  checksumType?: string;
  checksumValue?: string;
  atime?: string;
  version?: string;
  customMd?: Record<string, string>;
  present?: boolean;
  headers: Record<string, string>;
}
export interface EtlRef {
  /** May also be written as a pipeline "a>>b". */
  name: string;
  args?: string;
  /** extra ETLs applied after `name` */
  pipeline?: string[];
}
export interface GetObjectOptions extends CallOptions {
  etl?: EtlRef;
  range?: { start: number; end?: number };
}
export interface ObjectStream {
  body: Readable;
  size?: number;
  headers: Record<string, string>;
  status: number;
}
export type PutBody = Readable | Buffer | string | { file: string };
export interface PutObjectOptions extends CallOptions {
  /** Byte count of a stream body; sent as Content-Length (otherwise chunked). */
  size?: number;
}

export interface EtlInfo {
  name: string;
  stage: 'Initializing' | 'Running' | 'Aborted' | 'Stopped' | 'Unknown' | string;
  xactionId?: string;
  objCount?: number;
  inBytes?: number;
  outBytes?: number;
  /**
   * Only from the local cluster: what this ETL relies on that the emulated AIS release would refuse
   * ("works locally only").
   */
  localLeniencies?: LocalLeniency[];
}
export interface LocalLeniency {
  id: string;
  note: string;
}
export interface EtlObjError {
  objName: string;
  message: string;
  ecode?: number;
}
export interface EtlDetails {
  initMsg: Record<string, unknown>;
  kind: 'runtime-spec' | 'pod-spec' | 'code' | 'unknown';
  objErrors: EtlObjError[];
  /** Only from the local cluster emulating ≥3.30 (3.29 answers the bare init message). */
  localLeniencies?: LocalLeniency[];
}
export interface EtlLog {
  targetId: string;
  logs: string;
}
export interface EtlHealth {
  targetId: string;
  status: string;
}

export interface BucketTransformRequest {
  src: string;
  dst: string;
  etl: EtlRef;
  prefix?: string;
  prepend?: string;
  ext?: Record<string, string>;
  dryRun?: boolean;
  continueOnError?: boolean;
  numWorkers?: number;
}
export interface MultiObjTransformRequest extends Omit<BucketTransformRequest, 'prefix'> {
  objnames?: string[];
  template?: string;
}
export type JobKind = 'etl-bck' | 'etl-listrange';
export interface JobProgress {
  id: string;
  kind: JobKind;
  running: boolean;
  aborted: boolean;
  err?: string;
  /** objects transformed: written locally + delivered by direct put (loc-objs + out-objs) */
  objs: number;
  bytes: number;
  outObjs: number;
  inObjs: number;
  startTime?: string;
  endTime?: string;
  perTarget: Record<string, { objs: number; bytes: number }>;
  /** Clusters that account for every object (the local cluster): objects written, objects failed, and which
   *  failed with their reason (may be capped). Undefined when the cluster does not report them. */
  written?: number;
  failed?: number;
  failedObjs?: { objName: string; message: string }[];
}
export interface WaitJobOptions extends CallOptions {
  intervalMs?: number;
  onProgress?(p: JobProgress): void;
}
