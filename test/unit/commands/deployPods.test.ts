// Deploy ETL on Kubernetes: pod progress while init blocks, and the pod status in the failure message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPodsProgress, watchDeployPods } from '../../../src/commands/deployPods';
import type { EtlPod, EtlPodsProgress, WaitForEtlPodsOptions } from '../../../src/engine/k8s';
import { fakePodsApi } from '../_fakes/client';
import type { PodsApi } from '../../../src/services/engine';

const pod = (t: string, o: Partial<EtlPod> = {}): EtlPod => ({
  name: `md5-${t.toLowerCase()}`,
  namespace: 'ais',
  targetId: t,
  phase: 'Pending',
  ready: false,
  restarts: 0,
  ...o,
});
const tick = () => new Promise((r) => setImmediate(r));

test('progress message: ready count and what the others are doing', () => {
  const p: EtlPodsProgress = {
    ready: 2,
    expected: 3,
    targets: [
      { targetId: 'T1', state: 'ready', pod: pod('T1', { ready: true, phase: 'Running' }) },
      { targetId: 'T2', state: 'ready', pod: pod('T2', { ready: true, phase: 'Running' }) },
      { targetId: 'T3', state: 'created', pod: pod('T3', { reason: 'ContainerCreating' }) },
    ],
  };
  assert.equal(formatPodsProgress(p), '2/3 pods ready — T3: ContainerCreating');
  assert.equal(
    formatPodsProgress({
      ready: 0,
      expected: 2,
      targets: [
        { targetId: 'A', state: 'waiting' },
        { targetId: 'B', state: 'created', pod: pod('B', { phase: 'Running' }) },
      ],
    }),
    '0/2 pods ready — A: no pod yet, B: starting (not ready)',
  );
  assert.equal(
    formatPodsProgress({
      ready: 1,
      expected: 1,
      targets: [{ targetId: 'A', state: 'ready', pod: pod('A', { ready: true }) }],
    }),
    '1/1 pods ready — waiting for AIS to finish the init',
  );
  const many = Array.from({ length: 5 }, (_, i) => ({ targetId: `T${i}`, state: 'waiting' as const }));
  assert.equal(
    formatPodsProgress({ ready: 0, expected: 5, targets: many }),
    '0/5 pods ready — T0: no pod yet, T1: no pod yet, T2: no pod yet, +2 more',
  );
});

function fakeApi() {
  const st = {
    expected: undefined as unknown,
    signal: undefined as AbortSignal | undefined,
    onChange: undefined as undefined | ((p: EtlPodsProgress) => void),
    reject: undefined as undefined | ((e: Error) => void),
    explained: [] as string[],
  };
  const api = fakePodsApi({
    waitForEtlPods(_etl: string, expected: string[] | number, o?: WaitForEtlPodsOptions) {
      st.expected = expected;
      st.signal = o?.signal;
      st.onChange = o?.onChange;
      return new Promise<EtlPod[]>((_res, rej) => {
        st.reject = rej;
        o?.signal?.addEventListener('abort', () => rej(Object.assign(new Error('stopped'), { name: 'AbortError' })));
      });
    },
    async explain(p: EtlPod) {
      st.explained.push(p.name);
      return `Pod ${p.name}: image nope/md5 cannot be pulled`;
    },
  });
  return { api, st };
}

/** Watches md5's pods through `api` on targets T1 and T2 (unless said), its progress going to `reports`. */
function watchMd5(api: PodsApi, o: { reports?: string[]; targets?: string[] | number } = {}) {
  const targets = o.targets ?? ['T1', 'T2'];
  return watchDeployPods(
    async () => api,
    'md5',
    async () => targets,
    (m) => o.reports?.push(m),
    () => undefined,
  );
}

/** watchMd5, once the watch has connected and subscribed. */
async function watchingMd5(api: PodsApi, o: { reports?: string[]; targets?: string[] | number } = {}) {
  const w = watchMd5(api, o);
  await tick();
  await tick();
  return w;
}

test('pods feed the progress while init runs; stop() aborts the wait when init settles', async () => {
  const { api, st } = fakeApi();
  const reports: string[] = [];
  const w = await watchingMd5(api, { reports });
  assert.deepEqual(st.expected, ['T1', 'T2']);
  st.onChange!({
    ready: 1,
    expected: 2,
    targets: [
      { targetId: 'T1', state: 'ready', pod: pod('T1', { ready: true }) },
      { targetId: 'T2', state: 'created', pod: pod('T2', { reason: 'ContainerCreating' }) },
    ],
  });
  assert.deepEqual(reports, ['1/2 pods ready — T2: ContainerCreating']);
  w.stop();
  assert.equal(st.signal?.aborted, true);
  await tick();
  assert.equal(reports.length, 1, 'nothing reported after the init settled');
});

test('a stuck pod: its explanation is reported and becomes the failure text', async () => {
  const { api, st } = fakeApi();
  const reports: string[] = [];
  const w = await watchingMd5(api, { reports, targets: 2 });
  st.reject!(new Error('ETL md5 failed on target T2: Pod md5-t2: image nope/md5 cannot be pulled (ImagePullBackOff)'));
  await tick();
  assert.match(reports.at(-1)!, /failed on target T2: .*ImagePullBackOff\) — AIS keeps trying until the init timeout$/);
  w.stop();
  assert.match(
    (await w.explainFailure())!,
    /^ETL md5 failed on target T2: Pod md5-t2: image nope\/md5 cannot be pulled/,
  );
});

test('init failed while a pod was still not ready: that pod is explained; no pod at all is said plainly', async () => {
  const { api, st } = fakeApi();
  const w = await watchingMd5(api);
  st.onChange!({
    ready: 1,
    expected: 2,
    targets: [
      { targetId: 'T1', state: 'ready', pod: pod('T1', { ready: true }) },
      { targetId: 'T2', state: 'created', pod: pod('T2', { phase: 'Running' }) },
    ],
  });
  w.stop();
  assert.equal(await w.explainFailure(), 'ETL md5 on target T2: Pod md5-t2: image nope/md5 cannot be pulled');
  assert.deepEqual(st.explained, ['md5-t2']);

  const b = fakeApi();
  const w2 = await watchingMd5(b.api);
  b.st.onChange!({
    ready: 0,
    expected: 2,
    targets: [
      { targetId: 'T1', state: 'waiting' },
      { targetId: 'T2', state: 'waiting' },
    ],
  });
  w2.stop();
  assert.equal(await w2.explainFailure(), 'No ETL pod was created on targets T1, T2.');
});

test('Kubernetes unavailable: one log line, no progress, no failure text', async () => {
  const logs: string[] = [];
  const reports: string[] = [];
  const w = watchDeployPods(
    async () => ({ unavailable: 'No kubeconfig found' }),
    'md5',
    async () => ['T1'],
    (m) => reports.push(m),
    (m) => logs.push(m),
  );
  await tick();
  await tick();
  w.stop();
  assert.equal(await w.explainFailure(), undefined);
  assert.deepEqual(reports, []);
  assert.deepEqual(logs, ['deploy md5: no pod progress (Kubernetes not reachable: No kubeconfig found)']);
});

test('init failed before the watch saw anything: the pods are listed now and the stuck one explained', async () => {
  const { api, st } = fakeApi();
  api.listEtlPods = async () => [
    pod('T1', { ready: true, phase: 'Running' }),
    pod('T2', { reason: 'CrashLoopBackOff', phase: 'Running' }),
  ];
  const w = watchMd5(api);
  w.stop();
  assert.equal(await w.explainFailure(), 'ETL md5 on target T2: Pod md5-t2: image nope/md5 cannot be pulled');
  assert.deepEqual(st.explained, ['md5-t2']);
});
