// AisClient: one per cluster endpoint. A thin façade: each call lives in the *-api.ts module of its area.
import * as buckets from './bucket-api';
import * as cluster from './cluster-api';
import * as etl from './etl-api';
import * as jobs from './job-api';
import * as objects from './object-api';
import { DEFAULT_TIMEOUT_MS, Transport } from './transport';
import type {
  AisClientOptions,
  Bck,
  BucketTransformRequest,
  CallOptions,
  ClusterInfo,
  EtlDetails,
  EtlHealth,
  EtlInfo,
  EtlLog,
  EtlRef,
  GetObjectOptions,
  JobKind,
  JobProgress,
  ListBucketsOptions,
  ListObjectsOptions,
  MultiObjTransformRequest,
  ObjectStream,
  ObjEntry,
  ObjPage,
  ObjProps,
  PutBody,
  PutObjectOptions,
  Smap,
  WaitJobOptions,
} from './types';

export class AisClient {
  readonly endpoint: string;
  private readonly t: Transport;
  private readonly timeoutMs: number;
  private info: Promise<ClusterInfo> | undefined;

  constructor(opts: AisClientOptions) {
    this.t = new Transport(opts);
    this.endpoint = this.t.endpoint;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  // cluster
  /** Probed once and cached; a failed probe is not cached. */
  cluster(o?: CallOptions): Promise<ClusterInfo> {
    if (!this.info) {
      this.info = cluster.probeCluster(this.t, o);
      this.info.catch(() => {
        this.info = undefined;
      });
    }
    return this.info;
  }
  refreshCluster(o?: CallOptions): Promise<ClusterInfo> {
    this.info = undefined;
    return this.cluster(o);
  }
  nodeStatus(o?: CallOptions): Promise<Record<string, unknown>> {
    return cluster.nodeStatus(this.t, o);
  }
  clusterMap(o?: CallOptions): Promise<Smap> {
    return cluster.clusterMap(this.t, o);
  }
  health(o?: CallOptions): Promise<boolean> {
    return cluster.health(this.t, o);
  }

  // buckets & objects
  listBuckets(o?: ListBucketsOptions): Promise<Bck[]> {
    return buckets.listBuckets(this.t, o);
  }
  createBucket(name: string, o?: CallOptions): Promise<void> {
    return buckets.createBucket(this.t, name, o);
  }
  destroyBucket(name: string, o?: CallOptions): Promise<void> {
    return buckets.destroyBucket(this.t, name, o);
  }
  headBucket(name: string, o?: CallOptions): Promise<Record<string, string>> {
    return buckets.headBucket(this.t, name, o);
  }
  listObjectsPage(bucket: string, o?: ListObjectsOptions): Promise<ObjPage> {
    return buckets.listObjectsPage(this.t, bucket, o);
  }
  listObjects(bucket: string, o?: ListObjectsOptions): AsyncIterable<ObjEntry> {
    return buckets.listObjects(this.t, bucket, o);
  }
  headObject(bucket: string, name: string, o?: CallOptions): Promise<ObjProps> {
    return objects.headObject(this.t, bucket, name, o);
  }
  getObject(bucket: string, name: string, o?: GetObjectOptions): Promise<ObjectStream> {
    return objects.getObject(this.t, bucket, name, o);
  }
  putObject(bucket: string, name: string, body: PutBody, o?: PutObjectOptions): Promise<void> {
    return objects.putObject(this.t, bucket, name, body, o);
  }
  deleteObject(bucket: string, name: string, o?: CallOptions): Promise<void> {
    return objects.deleteObject(this.t, bucket, name, o);
  }

  // ETL
  initEtl(msg: Record<string, unknown>, o?: CallOptions): Promise<string> {
    return etl.initEtl(this.t, msg, this.timeoutMs, o);
  }
  listEtls(o?: CallOptions): Promise<EtlInfo[]> {
    return etl.listEtls(this.t, o);
  }
  etlDetails(name: string, jobId?: string, o?: CallOptions): Promise<EtlDetails> {
    return etl.etlDetails(this.t, name, jobId, o);
  }
  stopEtl(name: string, o?: CallOptions): Promise<void> {
    return etl.stopEtl(this.t, name, this.timeoutMs, o);
  }
  startEtl(name: string, o?: CallOptions): Promise<string> {
    return etl.startEtl(this.t, name, this.timeoutMs, o);
  }
  deleteEtl(name: string, o?: CallOptions): Promise<void> {
    return etl.deleteEtl(this.t, name, this.timeoutMs, o);
  }
  etlLogs(name: string, targetId?: string, o?: CallOptions): Promise<EtlLog[]> {
    return etl.etlLogs(this.t, name, targetId, o);
  }
  etlHealth(name: string, o?: CallOptions): Promise<EtlHealth[]> {
    return etl.etlHealth(this.t, name, o);
  }
  /** Local cluster only: workers under debugpy (or back); the per-target debug ports. */
  setEtlDebug(name: string, enable: boolean): Promise<etl.EtlDebugTarget[]> {
    return etl.setEtlDebug(this.t, name, enable, this.timeoutMs);
  }

  etlMetrics(name: string, o?: CallOptions): Promise<unknown[]> {
    return etl.etlMetrics(this.t, name, o);
  }
  transformObjectTo(
    bucket: string,
    name: string,
    dstBucket: string,
    dstName: string,
    ref: EtlRef,
    o?: CallOptions,
  ): Promise<void> {
    return objects.transformObjectTo(this.t, bucket, name, dstBucket, dstName, ref, o);
  }
  startBucketTransform(r: BucketTransformRequest, o?: CallOptions): Promise<string> {
    return jobs.startBucketTransform(this.t, r, o);
  }
  startMultiObjectTransform(r: MultiObjTransformRequest, o?: CallOptions): Promise<string> {
    return jobs.startMultiObjectTransform(this.t, r, o);
  }
  jobProgress(id: string, kind: JobKind, o?: CallOptions): Promise<JobProgress> {
    return jobs.jobProgress(this.t, id, kind, o);
  }
  waitJob(id: string, kind: JobKind, o?: WaitJobOptions): Promise<JobProgress> {
    return jobs.waitJob(this.t, id, kind, o);
  }
  abortJob(id: string, kind: JobKind, o?: CallOptions): Promise<void> {
    return jobs.abortJob(this.t, id, kind, o);
  }

  /** Closes the connection pools; in-flight streams are ended. */
  close(): Promise<void> {
    return this.t.close();
  }
}
