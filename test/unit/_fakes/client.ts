// A typed fake AIS client for unit tests: only the methods a test gives exist; any other call fails with its name.
import type { ClusterClient, PodsApi } from '../../../src/services/engine';

/** What an AIS 4.0 cluster on Kubernetes with ETL answers to `cluster()`: the tree then looks for ETL pods. */
export const K8S_CLUSTER_INFO: Awaited<ReturnType<ClusterClient['cluster']>> = {
  endpoint: 'x',
  version: { raw: '4.0', major: 4, minor: 0 },
  dialect: 'v3.30',
  deployment: 'K8s',
  local: false,
  etl: 'available',
  commTypes: [],
  codeInit: false,
};

/** That cluster at http://ais:51080, running one ETL, md5 (a runtime spec), whose health `etlHealth` answers. */
export function md5OnK8sClient(etlHealth: ClusterClient['etlHealth']): ClusterClient {
  return fakeClient({
    endpoint: 'http://ais:51080',
    cluster: async () => K8S_CLUSTER_INFO,
    listEtls: async () => [{ name: 'md5', stage: 'Running' }],
    etlDetails: async () => ({ initMsg: {}, kind: 'runtime-spec' as const, objErrors: [] }),
    etlHealth,
  });
}

/** What the local cluster emulating AIS 3.29 answers to `cluster()`: code ETLs, hpush:// and hpull://. */
export const LOCAL_329_INFO: Awaited<ReturnType<ClusterClient['cluster']>> = {
  endpoint: 'http://127.0.0.1:1',
  version: { raw: '3.29', major: 3, minor: 29 },
  dialect: 'v3.29',
  deployment: 'aisetl-local',
  local: true,
  etl: 'available',
  commTypes: ['hpush://', 'hpull://'],
  codeInit: true,
};

const notUsed = (name: string) => () => {
  throw new Error(`fake client: ${name} was not expected in this test`);
};

/** A client where only the methods a test gives exist; any other call fails the test with its name. */
export function fakeClient(o: Partial<ClusterClient> = {}): ClusterClient {
  return {
    endpoint: 'http://127.0.0.1:1',
    cluster: notUsed('cluster'),
    clusterMap: notUsed('clusterMap'),
    listBuckets: notUsed('listBuckets'),
    createBucket: notUsed('createBucket'),
    destroyBucket: notUsed('destroyBucket'),
    listObjectsPage: notUsed('listObjectsPage'),
    headObject: notUsed('headObject'),
    getObject: notUsed('getObject'),
    putObject: notUsed('putObject'),
    deleteObject: notUsed('deleteObject'),
    initEtl: notUsed('initEtl'),
    listEtls: notUsed('listEtls'),
    etlDetails: notUsed('etlDetails'),
    stopEtl: notUsed('stopEtl'),
    startEtl: notUsed('startEtl'),
    deleteEtl: notUsed('deleteEtl'),
    etlLogs: notUsed('etlLogs'),
    etlHealth: notUsed('etlHealth'),
    setEtlDebug: notUsed('setEtlDebug'),
    startBucketTransform: notUsed('startBucketTransform'),
    startMultiObjectTransform: notUsed('startMultiObjectTransform'),
    jobProgress: notUsed('jobProgress'),
    waitJob: notUsed('waitJob'),
    abortJob: notUsed('abortJob'),
    close: async () => undefined,
    ...o,
  };
}

/** A Kubernetes connection where only the given methods exist. */
export function fakePodsApi(o: Partial<PodsApi> = {}): PodsApi {
  return {
    namespace: 'ais',
    context: 'fake',
    listEtlPods: notUsed('listEtlPods'),
    watchEtlPods: notUsed('watchEtlPods'),
    followLogs: notUsed('followLogs'),
    followAllLogs: notUsed('followAllLogs'),
    readLog: notUsed('readLog'),
    explain: notUsed('explain'),
    describe: notUsed('describe'),
    deletePod: notUsed('deletePod'),
    discoverClusters: notUsed('discoverClusters'),
    waitForEtlPods: notUsed('waitForEtlPods'),
    portForward: notUsed('portForward'),
    ...o,
  };
}
