import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  EtlPodFailure,
  K8sEtlPods,
  progressOf,
  type EtlPod,
  type EtlPodsProgress,
} from '../../../../src/engine/k8s/index';
import { etlPod, FakeApiserver, podEvent, until } from './fake-apiserver';
import { fakeApiserverForSuite } from './fakeApiserverSuite';

describe('watchEtlPods', () => {
  let fake: FakeApiserver;
  let k8s: K8sEtlPods;
  const disposers: (() => void)[] = [];
  const fast = { initialBackoffMs: 20, maxBackoffMs: 100 };
  fakeApiserverForSuite('ais', (c) => ({ fake, k8s } = c));
  afterEach(async () => {
    while (disposers.length) disposers.pop()!();
    await until(() => fake.watcherCount() === 0, 'watches of the previous test closed');
    for (const key of [...fake.pods.keys()]) fake.removePod(...(key.split('/') as [string, string]));
    fake.events = [];
  });

  const watch = (etl: string, errors: string[] = []) => {
    let last: EtlPod[] | undefined;
    let calls = 0;
    const w = k8s.watchEtlPods(
      etl,
      (pods) => {
        last = pods;
        calls++;
      },
      { ...fast, onError: (m) => errors.push(m) },
    );
    disposers.push(() => w.dispose());
    return {
      get pods() {
        return last;
      },
      get calls() {
        return calls;
      },
      w,
    };
  };
  const names = (pods: EtlPod[] | undefined) => (pods ?? []).map((p) => `${p.name}:${p.ready ? 'ready' : p.phase}`);

  it('lists first, then follows ADDED / MODIFIED / DELETED, ignoring my-etl-2', async () => {
    fake.putPod(etlPod({ etl: 'my-etl', target: 'T1' }));
    const v = watch('my-etl');
    await until(() => v.pods !== undefined, 'initial list');
    assert.deepEqual(names(v.pods), ['my-etl-t1:Pending']);
    await until(() => fake.watcherCount() === 1, 'watch connected');
    const watchReq = fake.watchRequests().at(-1)!;
    assert.equal(watchReq.query.get('labelSelector'), 'app.kubernetes.io/name=etl,app=ais');
    assert.ok(watchReq.query.get('resourceVersion'), 'watch resumes from the list resourceVersion');

    fake.putPod(etlPod({ etl: 'my-etl', target: 'T2' }));
    fake.putPod(etlPod({ etl: 'my-etl-2', target: 'T1', ready: true }));
    fake.putPod(etlPod({ etl: 'my-etl', target: 'T1', ready: true }));
    await until(() => names(v.pods).join() === 'my-etl-t1:ready,my-etl-t2:Pending', 'added + modified');
    fake.removePod('ais', 'my-etl-t2');
    await until(() => names(v.pods).join() === 'my-etl-t1:ready', 'deleted');
  });

  it('re-watches from the last resourceVersion after the server closes the stream, missing nothing', async () => {
    const errors: string[] = [];
    const v = watch('my-etl', errors);
    await until(() => fake.watcherCount() === 1, 'watch connected');
    const before = fake.watchRequests().length;
    fake.closeWatches();
    fake.putPod(etlPod({ etl: 'my-etl', target: 'T9', ready: true })); // happens while nobody watches
    await until(() => names(v.pods).join() === 'my-etl-t9:ready', 'event replayed after reconnect');
    assert.equal(fake.watchRequests().length, before + 1);
    assert.ok(Number(fake.watchRequests().at(-1)!.query.get('resourceVersion')) > 0);
    assert.deepEqual(errors, [], 'a routine close is not an error');
  });

  it('re-lists after 410 Gone and reports the interruption once', async () => {
    const errors: string[] = [];
    fake.putPod(etlPod({ etl: 'my-etl', target: 'T1' }));
    const v = watch('my-etl', errors);
    await until(() => fake.watcherCount() === 1, 'watch connected');
    const lists = () =>
      fake.requests.filter((r) => r.path === '/api/v1/namespaces/ais/pods' && r.query.get('watch') !== 'true').length;
    const listsBefore = lists();
    fake.expireWatches();
    fake.putPod(etlPod({ etl: 'my-etl', target: 'T1', ready: true }));
    await until(() => names(v.pods).join() === 'my-etl-t1:ready', 'state after relist');
    await until(() => fake.watcherCount() === 1, 'watch re-established');
    assert.equal(lists(), listsBefore + 1);
    assert.equal(errors.length, 1);
    assert.match(errors[0], /410 Gone/);
  });

  it('keeps retrying through errors with backoff and recovers', async () => {
    const errors: string[] = [];
    const v = watch('my-etl', errors);
    await until(() => fake.watcherCount() === 1, 'watch connected');
    fake.token = 'expired';
    fake.closeWatches();
    await until(() => errors.length >= 2, 'two failed attempts reported');
    assert.match(errors[0], /401 Unauthorized/);
    fake.token = 'good-token';
    fake.putPod(etlPod({ etl: 'my-etl', target: 'T3', ready: true }));
    await until(() => names(v.pods).join() === 'my-etl-t3:ready', 'recovered');
  });

  it('falls back to periodic listing when watching is forbidden but listing is not', async () => {
    fake.forbidden = [{ path: /\/pods$/, watch: true }];
    try {
      const errors: string[] = [];
      let last: EtlPod[] | undefined;
      const w = k8s.watchEtlPods(
        'my-etl',
        (p) => {
          last = p;
        },
        { ...fast, pollMs: 20, onError: (m) => errors.push(m) },
      );
      disposers.push(() => w.dispose());
      await until(() => errors.length === 1, 'fallback announced');
      assert.match(errors[0], /403 Forbidden.*listing every/);
      fake.putPod(etlPod({ etl: 'my-etl', target: 'T5', ready: true }));
      await until(() => names(last).join() === 'my-etl-t5:ready', 'seen by polling');
      assert.equal(fake.watchRequests().filter((r) => r.query.get('labelSelector')).length > 0, true);
      assert.equal(errors.length, 1, 'announced once');
    } finally {
      fake.forbidden = [];
    }
  });

  it('dispose() closes the watch and stops callbacks', async () => {
    const v = watch('my-etl');
    await until(() => fake.watcherCount() === 1, 'watch connected');
    v.w.dispose();
    await until(() => fake.watcherCount() === 0, 'server saw the watch close');
    const calls = v.calls;
    fake.putPod(etlPod({ etl: 'my-etl', target: 'T4' }));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(v.calls, calls);
    assert.equal(fake.watcherCount(), 0);
  });
});

describe('waitForEtlPods (deploy progress)', () => {
  let fake: FakeApiserver;
  let k8s: K8sEtlPods;
  fakeApiserverForSuite('ais', (c) => ({ fake, k8s } = c));

  it('reports per-target progress and resolves when every target is Ready', async () => {
    const seen: EtlPodsProgress[] = [];
    const done = k8s.waitForEtlPods('dep', ['TgtA', 'TgtB'], { onChange: (p) => seen.push(p) });
    await until(() => seen.length > 0, 'first progress');
    assert.deepEqual(
      seen[0].targets.map((t) => t.state),
      ['waiting', 'waiting'],
    );
    fake.putPod(etlPod({ etl: 'dep', target: 'TgtA' }));
    await until(() => seen.at(-1)!.targets[0].state === 'created', 'pod created');
    fake.putPod(etlPod({ etl: 'dep', target: 'TgtA', ready: true }));
    fake.putPod(etlPod({ etl: 'dep', target: 'TgtB', ready: true }));
    const pods = await done;
    assert.deepEqual(
      pods.map((p) => p.targetId),
      ['TgtA', 'TgtB'],
    );
    assert.equal(seen.at(-1)!.ready, 2);
    await until(() => fake.watcherCount() === 0, 'watch released');
  });

  it('rejects with the explanation of a pod stuck in ImagePullBackOff', async () => {
    fake.putPod(
      etlPod({
        etl: 'bad',
        target: 'TgtA',
        waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nope/img:1"' },
        image: 'nope/img:1',
      }),
    );
    fake.events.push(podEvent('ais', 'bad-tgta', 'Failed', 'Failed to pull image "nope/img:1": rpc error: not found'));
    await assert.rejects(k8s.waitForEtlPods('bad', ['TgtA', 'TgtB']), (err: Error) => {
      assert.ok(err instanceof EtlPodFailure);
      assert.match(err.message, /ETL bad failed on target TgtA/);
      assert.match(err.message, /cannot pull image "nope\/img:1"/);
      assert.match(err.message, /rpc error: not found/);
      return true;
    });
  });

  it('stops when the caller aborts', async () => {
    const ac = new AbortController();
    const p = k8s.waitForEtlPods('never', 1, { signal: ac.signal });
    await until(() => fake.watcherCount() >= 1, 'watching');
    ac.abort();
    await assert.rejects(p, { name: 'AbortError' });
  });

  it('progressOf never counts a Terminating leftover as ready, and prefers the new pod of a target', () => {
    const base = { namespace: 'ais', targetId: 'T1', phase: 'Running', restarts: 0 };
    const old = { ...base, name: 'x-t1', ready: true, reason: 'Terminating' };
    assert.deepEqual(
      progressOf([old], ['T1']).targets.map((t) => t.state),
      ['created'],
    );
    const fresh = { ...base, name: 'x-t1', ready: true };
    assert.deepEqual(
      progressOf([old, fresh], ['T1']).targets.map((t) => t.state),
      ['ready'],
    );
    assert.deepEqual(
      progressOf([fresh, old], ['T1']).targets.map((t) => t.state),
      ['ready'],
    );
  });

  it('progressOf counts by target id case-insensitively', () => {
    const pods = [etlPod({ etl: 'x', target: 'AAA', ready: true })].map((raw) => ({
      name: raw.metadata.name,
      namespace: 'ais',
      targetId: 'AAA',
      phase: 'Running',
      ready: true,
      restarts: 0,
    }));
    const p = progressOf(pods, ['aaa', 'bbb']);
    assert.deepEqual(
      p.targets.map((t) => t.state),
      ['ready', 'waiting'],
    );
    assert.equal(p.ready, 1);
    assert.equal(p.expected, 2);
  });
});
