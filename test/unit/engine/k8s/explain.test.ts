import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { K8sEtlPods, toEtlPod } from '../../../../src/engine/k8s/index';
import { etlPod, FakeApiserver, podEvent, type PodFixture } from './fake-apiserver';
import { fakeApiserverForSuite } from './fakeApiserverSuite';

describe('explain, describe and delete', () => {
  let fake: FakeApiserver;
  let k8s: K8sEtlPods;
  fakeApiserverForSuite('ais', (c) => ({ fake, k8s } = c));
  afterEach(() => {
    fake.pods.clear();
    fake.events = [];
    fake.previousLogs.clear();
    fake.logs.clear();
  });

  const put = (f: PodFixture) => {
    const raw = etlPod(f);
    fake.putPod(raw);
    return toEtlPod(raw);
  };

  it("ImagePullBackOff: names the image and quotes the kubelet, from the pod's events", async () => {
    const pod = put({
      etl: 'img',
      target: 'T1',
      image: 'reg.local/etl:v9',
      waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "reg.local/etl:v9"' },
    });
    fake.events.push(
      podEvent('ais', 'img-t1', 'Pulling', 'Pulling image "reg.local/etl:v9"', {
        type: 'Normal',
        at: '2026-11-25T10:00:01Z',
      }),
      podEvent(
        'ais',
        'img-t1',
        'Failed',
        'Failed to pull image "reg.local/etl:v9": dial tcp: lookup reg.local: no such host',
        { at: '2026-11-25T10:00:02Z' },
      ),
      podEvent('ais', 'other-pod', 'Failed', 'unrelated event'),
    );
    const text = await k8s.explain(pod);
    assert.match(
      text,
      /^Pod img-t1 \(target T1, node node-a\) cannot pull image "reg\.local\/etl:v9" \(ImagePullBackOff\)/,
    );
    assert.match(text, /no such host/);
    assert.doesNotMatch(text, /unrelated/);
    const ev = fake.requests.find((r) => r.path === '/api/v1/namespaces/ais/events')!;
    assert.equal(ev.query.get('fieldSelector'), 'involvedObject.name=img-t1');
  });

  it("CrashLoopBackOff: exit code, restarts and the last lines of the previous container's log", async () => {
    const pod = put({
      etl: 'crash',
      target: 'T1',
      phase: 'Running',
      restarts: 4,
      waiting: { reason: 'CrashLoopBackOff', message: 'back-off 1m20s' },
      lastTerminated: { exitCode: 3, reason: 'Error' },
    });
    const prev =
      Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n') +
      "\nTraceback: ModuleNotFoundError: No module named 'numpy'\n";
    fake.previousLogs.set('ais/crash-t1', prev);
    fake.logs.set('ais/crash-t1', 'current run, not the crash\n');
    const text = await k8s.explain(pod);
    assert.match(text, /keeps crashing \(CrashLoopBackOff, 4 restart\(s\)\); last exit code 3 \(Error\)/);
    assert.match(text, /No module named 'numpy'/);
    assert.doesNotMatch(text, /current run/);
    assert.doesNotMatch(text, /^line 10$/m, 'only the last 20 lines');
    assert.match(text, /^line 12$/m);
    const logReq = fake.requests.filter((r) => r.path.endsWith('/crash-t1/log')).at(-1)!;
    assert.equal(logReq.query.get('previous'), 'true');
    assert.equal(logReq.query.get('tailLines'), '20');
  });

  it('OOMKilled crash adds a memory hint', async () => {
    const pod = put({
      etl: 'oom',
      target: 'T1',
      phase: 'Running',
      restarts: 1,
      waiting: { reason: 'CrashLoopBackOff' },
      lastTerminated: { exitCode: 137, reason: 'OOMKilled' },
    });
    fake.previousLogs.set('ais/oom-t1', '');
    const text = await k8s.explain(pod);
    assert.match(text, /exit code 137 \(OOMKilled\)/);
    assert.match(text, /ran out of memory/);
    assert.match(text, /wrote no log lines/);
  });

  it("Pending: the scheduler's message from conditions and FailedScheduling events", async () => {
    const pod = put({ etl: 'pend', target: 'T1', unschedulable: '0/3 nodes are available: 3 Insufficient cpu.' });
    fake.events.push(
      podEvent(
        'ais',
        'pend-t1',
        'FailedScheduling',
        "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity, 2 Insufficient cpu.",
      ),
    );
    const text = await k8s.explain(pod);
    assert.match(
      text,
      /is Pending: not scheduled: 0\/3 nodes are available: 1 node\(s\) didn't match Pod's node affinity, 2 Insufficient cpu\./,
    );
    fake.events = [];
    assert.match(await k8s.explain(pod), /not scheduled: 0\/3 nodes are available: 3 Insufficient cpu\./);
  });

  it('Running but not ready: readiness probe failures from events', async () => {
    const pod = put({ etl: 'probe', target: 'T1', phase: 'Running', ready: false });
    fake.events.push(
      podEvent(
        'ais',
        'probe-t1',
        'Unhealthy',
        'Readiness probe failed: Get "http://10.0.0.5:8000/health": connection refused',
        { count: 7 },
      ),
    );
    const text = await k8s.explain(pod);
    assert.match(
      text,
      /Running but not ready: readiness probe failed 7 time\(s\): Readiness probe failed: Get "http:\/\/10\.0\.0\.5:8000\/health": connection refused/,
    );
    fake.events = [];
    assert.match(await k8s.explain(pod), /not ready yet; no readiness probe failures/);
  });

  it('a healthy pod, and a pod deleted since it was listed', async () => {
    const ok = put({ etl: 'fine', target: 'T1', phase: 'Running', ready: true });
    assert.match(await k8s.explain(ok), /is Running and ready, 0 restart/);
    fake.pods.clear();
    assert.match(await k8s.explain(ok), /no longer exists/);
  });

  it('describe gives YAML of the pod without managedFields', async () => {
    put({ etl: 'desc', target: 'T1', phase: 'Running', ready: true });
    const y = await k8s.describe('desc-t1');
    const doc = parse(y);
    assert.equal(doc.kind, 'Pod');
    assert.equal(doc.metadata.name, 'desc-t1');
    assert.equal(doc.metadata.labels['nvidia.com/ais-etl-target'], 'T1');
    assert.equal(doc.status.startTime, '2026-11-25T10:00:00.000Z');
    assert.equal(doc.metadata.managedFields, undefined);
    assert.doesNotMatch(y, /managedFields/);
  });

  it('deletePod sends DELETE; an already deleted pod is fine', async () => {
    put({ etl: 'del', target: 'T1', phase: 'Running', ready: true });
    await k8s.deletePod('del-t1');
    assert.equal(fake.pods.has('ais/del-t1'), false);
    assert.ok(fake.requests.some((r) => r.method === 'DELETE' && r.path === '/api/v1/namespaces/ais/pods/del-t1'));
    await k8s.deletePod('del-t1');
  });

  it('describe of a missing pod throws a clear error', async () => {
    await assert.rejects(k8s.describe('ghost'), /Cannot read pod ghost: not found/);
  });
});
