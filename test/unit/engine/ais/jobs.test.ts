import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AisClient, AisError, isAbortError, summarizeSnaps, type JobProgress } from '../../../../src/engine/ais';
import { FakeAis } from './fake-ais';

describe('progress summing', () => {
  it('sums string counters over targets, keeps per-target numbers, knows running/ended', () => {
    const snap = (objs: string, bytes: string, out: string, end: string, extra: Record<string, unknown> = {}) => ({
      id: 'J1',
      kind: 'etl-bck',
      'start-time': '2026-11-25T10:00:00Z',
      'end-time': end,
      aborted: false,
      err: '',
      stats: {
        'loc-objs': objs,
        'loc-bytes': bytes,
        'out-objs': out,
        'out-bytes': '0',
        'in-objs': '2',
        'in-bytes': '10',
      },
      ...extra,
    });
    const zero = '0001-01-01T00:00:00Z';
    const running = summarizeSnaps('J1', 'etl-bck', {
      A: [snap('10', '1000', '3', zero)],
      B: [snap('5', '500', '0', '2026-11-25T10:05:00Z')],
      C: null,
    });
    assert.equal(running.objs, 18);
    assert.equal(running.bytes, 1500);
    assert.equal(running.outObjs, 3);
    assert.equal(running.inObjs, 4);
    assert.deepEqual(running.perTarget, { A: { objs: 13, bytes: 1000 }, B: { objs: 5, bytes: 500 } });
    assert.equal(running.running, true);
    assert.equal(running.endTime, undefined, 'no end time while a target still runs');
    assert.equal(running.startTime, '2026-11-25T10:00:00Z');

    const done = summarizeSnaps('J1', 'etl-bck', {
      A: [snap('10', '1000', '0', '2026-11-25T10:06:00Z')],
      B: [snap('5', '500', '0', '2026-11-25T10:05:00Z', { aborted: true, 'abort-err': 'stopped by user' })],
    });
    assert.equal(done.running, false);
    assert.equal(done.aborted, true);
    assert.equal(done.err, 'stopped by user');
    assert.equal(done.endTime, '2026-11-25T10:06:00Z');

    const other = summarizeSnaps('J1', 'etl-bck', { A: [{ ...snap('99', '99', '0', zero), id: 'OTHER' }] });
    assert.equal(other.objs, 0, 'snaps of other jobs are ignored');
  });
});

describe('offline jobs against the fake', () => {
  let ais: FakeAis;
  let client: AisClient;
  before(async () => {
    ais = await FakeAis.start({ targets: 2, jobPolls: 3 });
    client = new AisClient({ endpoint: ais.url });
    for (let i = 0; i < 7; i++) ais.putObject('src', `img/${i}.jpg`, Buffer.alloc(100 + i));
    ais.putObject('src', 'other.txt', 'x');
    await client.initEtl({ name: 'md5-etl', runtime: { image: 'x' } });
  });
  after(async () => {
    await client.close();
    await ais.close();
  });

  it('etl-bck: ActMsg shape and bck_to uname', async () => {
    const id = await client.startBucketTransform({
      src: 'src',
      dst: 'dst',
      etl: { name: 'md5-etl', pipeline: ['md5-etl'] },
      prefix: 'img/',
      prepend: 'out/',
      ext: { jpg: 'txt' },
      dryRun: false,
      continueOnError: true,
      numWorkers: 4,
    });
    assert.ok(ais.jobs.has(id));
    const req = ais.requests.find((r) => r.method === 'POST' && r.url.startsWith('/v1/buckets/src'))!;
    const q = new URL(req.url, 'http://x').searchParams;
    assert.equal(q.get('bck_to'), 'ais/@#/dst/');
    assert.equal(q.get('provider'), 'ais');
    assert.deepEqual(JSON.parse(req.body.toString()), {
      action: 'etl-bck',
      name: '',
      value: {
        id: 'md5-etl',
        pipeline: ['md5-etl'],
        prefix: 'img/',
        prepend: 'out/',
        ext: { jpg: 'txt' },
        dry_run: false,
        coer: true,
        'num-workers': 4,
      },
    });
  });

  it('waitJob polls qryxstats + status until the end, reporting growing progress', async () => {
    const id = await client.startBucketTransform({ src: 'src', dst: 'dst', etl: { name: 'md5-etl' }, prefix: 'img/' });
    const seen: JobProgress[] = [];
    const final = await client.waitJob(id, 'etl-bck', { intervalMs: 1, onProgress: (p) => seen.push(p) });
    assert.equal(final.running, false);
    assert.equal(final.aborted, false);
    assert.equal(final.objs, 7);
    assert.equal(final.bytes, 7 * 100 + 21);
    assert.deepEqual(Object.keys(final.perTarget).sort(), ['t0', 't1']);
    assert.equal(seen.length, ais.jobs.get(id)!.polls, 'one progress report per poll until the fake ends the job');
    assert.ok(seen.length >= 3, 'the job ran for several polls');
    assert.ok(seen[0].objs < seen[seen.length - 1].objs);
    assert.equal(seen[seen.length - 1].objs, final.objs, 'the last report carries the final counters');
    // status before counters in every poll: a job that ends between the two reads must not be reported as ended
    // with the counters of a moment before (seen in a real run as "ended, 0 objects")
    const order = ais.requests
      .filter((r) => r.url.startsWith('/v1/cluster?what='))
      .map((r) => r.url.slice('/v1/cluster?what='.length));
    assert.deepEqual(order, Array.from({ length: seen.length }, () => ['status', 'qryxstats']).flat());
    assert.equal(seen[0].running, true);
    const bodies = ais.requests
      .filter((r) => r.url.startsWith('/v1/cluster?what='))
      .slice(-2)
      .map((r) => [r.url, JSON.parse(r.body.toString())]);
    assert.deepEqual(bodies.map((b) => b[0]).sort(), ['/v1/cluster?what=qryxstats', '/v1/cluster?what=status']);
    assert.deepEqual(bodies.find((b) => b[0] === '/v1/cluster?what=qryxstats')![1], {
      id,
      kind: 'etl-bck',
      show_active: false,
    });
    assert.ok(ais.requests.filter((r) => r.url.startsWith('/v1/cluster')).every((r) => r.method === 'GET'));
  });

  it('etl-listrange: object list body, no IC status, done after two idle polls', async () => {
    const id = await client.startMultiObjectTransform({
      src: 'src',
      dst: 'dst',
      etl: { name: 'md5-etl' },
      objnames: ['img/1.jpg', 'img/2.jpg'],
      continueOnError: true,
    });
    const req = ais.requests.filter((r) => r.method === 'POST' && r.url.startsWith('/v1/buckets/src')).at(-1)!;
    assert.deepEqual(JSON.parse(req.body.toString()), {
      action: 'etl-listrange',
      name: '',
      value: {
        id: 'md5-etl',
        dry_run: false,
        coer: true,
        tobck: { name: 'dst', provider: 'ais', namespace: { uuid: '', name: '' } },
        objnames: ['img/1.jpg', 'img/2.jpg'],
        template: '',
      },
    });
    const before = ais.requests.length;
    const seen: JobProgress[] = [];
    await client.waitJob(id, 'etl-listrange', { intervalMs: 1, onProgress: (p) => seen.push(p) });
    const calls = ais.requests.slice(before).map((r) => r.url);
    assert.ok(
      calls.every((u) => u === '/v1/cluster?what=qryxstats'),
      'listrange does not report to the IC',
    );
    assert.deepEqual(
      seen.map((p) => p.running),
      [true, true, false, false],
    );
  });

  it('abortJob sends {"action":"stop","value":{"ID","Kind"}}', async () => {
    const id = await client.startBucketTransform({ src: 'src', dst: 'dst', etl: { name: 'md5-etl' } });
    await client.abortJob(id, 'etl-bck');
    const req = ais.requests.at(-1)!;
    assert.equal(req.method, 'PUT');
    assert.equal(req.url, '/v1/cluster');
    assert.deepEqual(JSON.parse(req.body.toString()), { action: 'stop', name: '', value: { ID: id, Kind: 'etl-bck' } });
    const p = await client.jobProgress(id, 'etl-bck');
    assert.equal(p.aborted, true);
    assert.equal(p.running, false);
  });

  it('waitJob can be cancelled between polls', async () => {
    const id = await client.startBucketTransform({ src: 'src', dst: 'dst', etl: { name: 'md5-etl' } });
    const ac = new AbortController();
    const waiting = client.waitJob(id, 'etl-bck', {
      intervalMs: 60_000,
      signal: ac.signal,
      onProgress: () => setImmediate(() => ac.abort()),
    });
    await assert.rejects(waiting, (e) => isAbortError(e));
  });

  it('waitJob gives a just-started job time to appear, and gives up on an id nobody reports', async () => {
    const id = await client.startBucketTransform({ src: 'src', dst: 'dst', etl: { name: 'md5-etl' } });
    const job = ais.jobs.get(id)!;
    ais.jobs.delete(id);
    let polls = 0;
    const final = await client.waitJob(id, 'etl-bck', {
      intervalMs: 1,
      onProgress: () => {
        if (++polls === 2) ais.jobs.set(id, job);
      },
    });
    assert.equal(final.running, false);
    assert.ok(polls > 2, 'kept polling until the job appeared and ended');
    await assert.rejects(client.waitJob('bogus-id', 'etl-bck', { intervalMs: 1 }), (e: AisError) => {
      assert.equal(e.code, 'ENOJOB');
      assert.match(e.message, /no target reports a etl-bck job with id bogus-id/);
      return true;
    });
  });

  it('a job the cluster does not know: start fails with the ETL hint', async () => {
    await assert.rejects(
      client.startBucketTransform({ src: 'src', dst: 'dst', etl: { name: 'no-such-etl' } }),
      /deploy it first/,
    );
  });
});
