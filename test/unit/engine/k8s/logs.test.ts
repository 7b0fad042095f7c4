import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { K8sEtlPods, toEtlPod, type Disposable } from '../../../../src/engine/k8s/index';
import { etlPod, FakeApiserver, until } from './fake-apiserver';
import { fakeApiserverForSuite } from './fakeApiserverSuite';

describe('pod logs', () => {
  let fake: FakeApiserver;
  let k8s: K8sEtlPods;
  const handles: Disposable[] = [];
  fakeApiserverForSuite('ais', (c) => ({ fake, k8s } = c));
  afterEach(async () => {
    for (const h of handles.splice(0)) h.dispose();
    await until(() => fake.followerCount() === 0, 'log streams of the previous test closed');
  });

  const follow = (pod: string, o: { tail?: number; sinceSeconds?: number } = {}) => {
    const lines: string[] = [];
    let ended: string | undefined;
    let endCalls = 0;
    const h = k8s.followLogs(pod, {
      ...o,
      onLine: (l) => lines.push(l),
      onEnd: (r) => {
        ended = r;
        endCalls++;
      },
    });
    handles.push(h);
    return {
      lines,
      h,
      get ended() {
        return ended;
      },
      get endCalls() {
        return endCalls;
      },
    };
  };

  it('follows with tail and since, streaming lines even when chunks cut them', async () => {
    fake.putPod(etlPod({ etl: 'lg', target: 'T1', ready: true, phase: 'Running' }));
    fake.appendLog('ais', 'lg-t1', 'old 1\nold 2\nold 3\n');
    const f = follow('lg-t1', { tail: 2, sinceSeconds: 600 });
    await until(() => f.lines.length === 2, 'tail delivered');
    assert.deepEqual(f.lines, ['old 2', 'old 3']);
    const req = fake.requests.find((r) => r.path === '/api/v1/namespaces/ais/pods/lg-t1/log')!;
    assert.equal(req.query.get('follow'), 'true');
    assert.equal(req.query.get('tailLines'), '2');
    assert.equal(req.query.get('sinceSeconds'), '600');
    assert.equal(req.query.get('container'), 'lg');
    fake.appendLog('ais', 'lg-t1', 'new par');
    fake.appendLog('ais', 'lg-t1', 'tial\nsecond');
    await until(() => f.lines.length === 3, 'joined line');
    fake.appendLog('ais', 'lg-t1', ' line\n');
    await until(() => f.lines.length === 4, 'second line');
    assert.deepEqual(f.lines.slice(2), ['new partial', 'second line']);
    assert.equal(f.ended, undefined);
  });

  it('says "pod deleted" when the pod disappears mid-follow', async () => {
    fake.putPod(etlPod({ etl: 'gone', target: 'T1', ready: true, phase: 'Running' }));
    fake.appendLog('ais', 'gone-t1', 'serving\n');
    const f = follow('gone-t1');
    await until(() => f.lines.length === 1, 'first line');
    fake.appendLog('ais', 'gone-t1', 'unterminated');
    fake.removePod('ais', 'gone-t1');
    await until(() => f.ended !== undefined, 'end reported');
    assert.match(f.ended!, /^pod deleted/);
    assert.deepEqual(f.lines, ['serving', 'unterminated']);
    assert.equal(f.endCalls, 1);
  });

  it('says "container restarted" when the stream ends because the container was restarted', async () => {
    fake.putPod(etlPod({ etl: 'rs', target: 'T1', ready: true, phase: 'Running' }));
    fake.appendLog('ais', 'rs-t1', 'first run\n');
    const f = follow('rs-t1');
    await until(() => f.lines.length === 1, 'first line');
    fake.putPod(
      etlPod({
        etl: 'rs',
        target: 'T1',
        ready: false,
        phase: 'Running',
        restarts: 1,
        waiting: { reason: 'CrashLoopBackOff' },
      }),
    );
    fake.endLogStreams();
    await until(() => f.ended !== undefined, 'end reported');
    assert.match(f.ended!, /^container restarted \(restart #1\)/);
  });

  it('reports a log stream that breaks mid-way as an error, once', async () => {
    fake.putPod(etlPod({ etl: 'cut', target: 'T1', ready: true, phase: 'Running' }));
    fake.appendLog('ais', 'cut-t1', 'before the cut\n');
    const f = follow('cut-t1');
    await until(() => f.lines.length === 1, 'first line');
    fake.breakLogStreams();
    await until(() => f.ended !== undefined, 'end reported');
    assert.match(f.ended!, /^error: the log stream broke/);
    assert.equal(f.endCalls, 1);
  });

  it('states an empty log plainly', async () => {
    fake.putPod(
      etlPod({ etl: 'quiet', target: 'T1', phase: 'Running', terminated: { exitCode: 0, reason: 'Completed' } }),
    );
    const f = follow('quiet-t1');
    await until(() => fake.followerCount() === 1, 'following');
    fake.endLogStreams();
    await until(() => f.ended !== undefined, 'end reported');
    assert.match(f.ended!, /container exited with code 0 \(Completed\); the log was empty/);
    assert.equal(await k8s.readLog('quiet-t1'), '');
  });

  it('reports a pod that does not exist, and dispose() stops a live follow', async () => {
    const missing = follow('no-such-pod');
    await until(() => missing.ended !== undefined, 'end reported');
    assert.match(missing.ended!, /not found: it was deleted/);

    fake.putPod(etlPod({ etl: 'dsp', target: 'T1', ready: true, phase: 'Running' }));
    const f = follow('dsp-t1');
    await until(() => fake.followerCount() === 1, 'following');
    f.h.dispose();
    assert.equal(f.ended, 'disposed');
    await until(() => fake.followerCount() === 0, 'server saw the stream close');
    fake.appendLog('ais', 'dsp-t1', 'after dispose\n');
    assert.deepEqual(f.lines, []);
    assert.equal(f.endCalls, 1);
  });

  it('interleaves all targets with a [target] prefix and reports each end', async () => {
    const a = etlPod({ etl: 'all', target: 'TgtA', ready: true, phase: 'Running' });
    const b = etlPod({ etl: 'all', target: 'TgtB', ready: true, phase: 'Running' });
    fake.putPod(a);
    fake.putPod(b);
    const lines: string[] = [];
    const ends: string[] = [];
    let allEnded = false;
    handles.push(
      k8s.followAllLogs([toEtlPod(a), toEtlPod(b)], {
        onLine: (l) => lines.push(l),
        onEnd: (r) => ends.push(r),
        onAllEnded: () => {
          allEnded = true;
        },
      }),
    );
    await until(() => fake.followerCount() === 2, 'both followed');
    fake.appendLog('ais', 'all-tgta', 'a1\n');
    await until(() => lines.length === 1, 'a1');
    fake.appendLog('ais', 'all-tgtb', 'b1\n');
    await until(() => lines.length === 2, 'b1');
    fake.appendLog('ais', 'all-tgta', 'a2\n');
    await until(() => lines.length === 3, 'a2');
    assert.deepEqual(lines, ['[TgtA] a1', '[TgtB] b1', '[TgtA] a2']);
    fake.removePod('ais', 'all-tgta');
    fake.removePod('ais', 'all-tgtb');
    await until(() => allEnded, 'all ended');
    assert.deepEqual(ends.map((e) => e.slice(0, 19)).sort(), ['[TgtA] pod deleted:', '[TgtB] pod deleted:']);
  });

  it('explains that a container still being created has no log yet', async () => {
    fake.putPod(etlPod({ etl: 'young', target: 'T1', waiting: { reason: 'ContainerCreating' } }));
    const f = follow('young-t1');
    await until(() => f.ended !== undefined, 'end reported');
    assert.match(
      f.ended!,
      /^error: the log of young-t1 is not available yet \(its container has not started\); explain the pod/,
    );
  });

  it('tail 0 asks only for new lines (since now) instead of the whole log', async () => {
    fake.putPod(etlPod({ etl: 'zero', target: 'T1', ready: true, phase: 'Running' }));
    const f = follow('zero-t1', { tail: 0 });
    await until(() => fake.followerCount() === 1, 'following');
    const req = fake.requests.filter((r) => r.path === '/api/v1/namespaces/ais/pods/zero-t1/log').at(-1)!;
    assert.equal(req.query.get('tailLines'), null);
    assert.ok(!Number.isNaN(Date.parse(req.query.get('sinceTime') ?? '')), 'sinceTime is a timestamp');
    f.h.dispose();
  });

  it('reads the tail of the previous container log', async () => {
    fake.putPod(etlPod({ etl: 'prev', target: 'T1', phase: 'Running', restarts: 1 }));
    fake.previousLogs.set('ais/prev-t1', 'p1\np2\np3\n');
    assert.equal(await k8s.readLog('prev-t1', { previous: true, tail: 2 }), 'p2\np3\n');
  });
});
