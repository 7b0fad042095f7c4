import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { K8sEtlPods, LineSplitter, belongsToEtl, formatAge, toEtlPod } from '../../../../src/engine/k8s/index';
import { etlPod, FakeApiserver } from './fake-apiserver';
import { fakeApiserverForSuite } from './fakeApiserverSuite';

describe('ETL pod selection and mapping', () => {
  it('matches my-etl exactly and never my-etl-2 (label value and name)', () => {
    const mine = etlPod({ etl: 'my-etl', target: 'AbCdEf' });
    const other = etlPod({ etl: 'my-etl-2', target: 'AbCdEf' });
    // my-etl-2 on target "2-x" would be named my-etl-2-x; make sure a prefix is not enough either way.
    const tricky = etlPod({ etl: 'my-etl-2', target: 'X' });
    assert.equal(belongsToEtl(mine, 'my-etl'), true);
    assert.equal(belongsToEtl(other, 'my-etl'), false);
    assert.equal(belongsToEtl(tricky, 'my-etl'), false);
    assert.equal(belongsToEtl(other, 'my-etl-2'), true);
    assert.equal(belongsToEtl(mine, 'my-etl-2'), false);
    const noTarget = etlPod({ etl: 'my-etl', target: 'AbCdEf' });
    delete noTarget.metadata.labels?.['nvidia.com/ais-etl-target'];
    assert.equal(belongsToEtl(noTarget, 'my-etl'), false);
  });

  it('maps phase, readiness, restarts summed, node, start time, image, and waiting reason', () => {
    const raw = etlPod({
      etl: 'md5',
      target: 'TgT1',
      phase: 'Running',
      ready: false,
      restarts: 3,
      node: 'n7',
      image: 'repo/md5:1',
      waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container' },
      lastTerminated: { exitCode: 2, reason: 'Error' },
    });
    raw.status.containerStatuses?.push({
      name: 'sidecar',
      image: 'sidecar:1',
      imageID: '',
      restartCount: 2,
      ready: true,
      state: { running: {} },
    });
    const p = toEtlPod(raw);
    assert.equal(p.name, 'md5-tgt1');
    assert.equal(p.namespace, 'ais');
    assert.equal(p.targetId, 'TgT1');
    assert.equal(p.phase, 'Running');
    assert.equal(p.ready, false);
    assert.equal(p.restarts, 5);
    assert.equal(p.node, 'n7');
    assert.equal(p.startTime, '2026-11-25T10:00:00Z');
    assert.equal(p.image, 'repo/md5:1');
    assert.equal(p.reason, 'CrashLoopBackOff');
    assert.match(p.message ?? '', /back-off 40s/);
    assert.equal(p.exitCode, 2);
    assert.equal(p.container, 'md5');
  });

  it('reads ready pods, unschedulable pods and typed Date fields', () => {
    const ready = toEtlPod({
      ...etlPod({ etl: 'e', target: 'T', ready: true }),
      status: { ...etlPod({ etl: 'e', target: 'T', ready: true }).status, startTime: new Date('2026-01-02T03:04:05Z') },
    });
    assert.equal(ready.ready, true);
    assert.equal(ready.reason, undefined);
    assert.equal(ready.startTime, '2026-01-02T03:04:05.000Z');
    const pending = toEtlPod(
      etlPod({ etl: 'e', target: 'T', unschedulable: '0/3 nodes are available: 1 Insufficient memory.' }),
    );
    assert.equal(pending.phase, 'Pending');
    assert.equal(pending.reason, 'Unschedulable');
    assert.match(pending.message ?? '', /Insufficient memory/);
    assert.equal(pending.node, undefined);
  });

  it('formats ages like kubectl', () => {
    const now = Date.parse('2026-11-25T12:00:00Z');
    assert.equal(formatAge('2026-11-25T11:59:15Z', now), '45s');
    assert.equal(formatAge('2026-11-25T11:30:00Z', now), '30m');
    assert.equal(formatAge('2026-11-25T07:00:00Z', now), '5h');
    assert.equal(formatAge('2026-11-20T12:00:00Z', now), '5d');
    assert.equal(formatAge(undefined, now), '');
  });

  it('splits lines across chunk boundaries, CRLF and split UTF-8 characters', () => {
    const got: string[] = [];
    const s = new LineSplitter((l) => got.push(l));
    const euro = Buffer.from('€');
    s.push('hel');
    s.push(Buffer.from('lo\r\nwor'));
    s.push(Buffer.concat([Buffer.from('ld '), euro.subarray(0, 1)]));
    s.push(Buffer.concat([euro.subarray(1), Buffer.from('\n\nlast')]));
    assert.deepEqual(got, ['hello', 'world €', '']);
    s.end();
    assert.deepEqual(got, ['hello', 'world €', '', 'last']);
  });
});

describe('listEtlPods against the fake API server', () => {
  let fake: FakeApiserver;
  let k8s: K8sEtlPods;
  fakeApiserverForSuite('ais', (c) => ({ fake, k8s } = c));

  it('returns one pod per target of my-etl, sorted, and none of my-etl-2', async () => {
    fake.putPod(etlPod({ etl: 'my-etl', target: 'ZzTarget', ready: true }));
    fake.putPod(etlPod({ etl: 'my-etl', target: 'AaTarget', ready: true }));
    fake.putPod(etlPod({ etl: 'my-etl-2', target: 'AaTarget', ready: true }));
    fake.putPod(etlPod({ etl: 'my-etl', target: 'Other', ns: 'elsewhere', ready: true }));
    const pods = await k8s.listEtlPods('my-etl');
    assert.deepEqual(
      pods.map((p) => p.name),
      ['my-etl-aatarget', 'my-etl-zztarget'],
    );
    assert.deepEqual(
      pods.map((p) => p.targetId),
      ['AaTarget', 'ZzTarget'],
    );
    assert.deepEqual(
      (await k8s.listEtlPods('my-etl-2')).map((p) => p.name),
      ['my-etl-2-aatarget'],
    );
    assert.deepEqual(await k8s.listEtlPods('nothing'), []);
    const req = fake.requests.at(-1)!;
    assert.equal(req.path, '/api/v1/namespaces/ais/pods');
    assert.equal(req.query.get('labelSelector'), 'app.kubernetes.io/name=etl,app=ais');
  });

  it('throws a one-line, actionable error when access is lost after connecting', async () => {
    fake.token = 'rotated';
    try {
      await assert.rejects(
        k8s.listEtlPods('my-etl'),
        (err: Error) => /401 Unauthorized/.test(err.message) && !err.message.includes('\n'),
      );
    } finally {
      fake.token = 'good-token';
    }
  });
});
