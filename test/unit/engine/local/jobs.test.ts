// Offline ETL jobs (etl-bck, etl-listrange): placement-aware execution on both targets, options, errors, abort.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { call, runtimeInit, md5, startFixture, stopFixture, type Fixture } from './helpers';

const json = (r: { body: Buffer }) => JSON.parse(r.body.toString());
const N = 120;

async function waitJob(f: Fixture, id: string, kind = 'etl-bck') {
  for (let i = 0; i < 600; i++) {
    const s = json(await call('GET', f.ep + '/v1/cluster?what=status', { json: { id, kind } }));
    if (s.end_time > 0) return s;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`job ${id} did not finish`);
}

async function listNames(f: Fixture, bucket: string): Promise<string[]> {
  const r = json(
    await call('GET', `${f.ep}/v1/buckets/${bucket}`, { json: { action: 'list', value: { pagesize: 0 } } }),
  );
  return r.entries.map((e: { name: string }) => e.name);
}

for (const batch of [false, true]) {
  const label = batch ? 'batch path' : 'per-object path';
  let f: Fixture;
  before(async () => {
    f = await startFixture({ worker: { batch } });
    await call('POST', f.ep + '/v1/buckets/src', { json: { action: 'create-bck' } });
    for (let i = 0; i < N; i++) await call('PUT', `${f.ep}/v1/objects/src/img/${i}.jpg`, { body: `object ${i}` });
    assert.equal((await call('PUT', f.ep + '/v1/etl', { json: runtimeInit('md5-job') })).status, 200);
  });
  after(async () => {
    await stopFixture(f);
  });

  test(`${label}: etl-bck transforms every object, both targets' workers do work, dst auto-created`, async () => {
    const r = await call('POST', `${f.ep}/v1/buckets/src?provider=ais&bck_to=${encodeURIComponent('ais/@#/dst/')}`, {
      json: {
        action: 'etl-bck',
        value: { id: 'md5-job', prefix: 'img/', prepend: 'out/', ext: { jpg: 'md5' }, 'num-workers': 4 },
      },
    });
    assert.equal(r.status, 200, r.body.toString());
    const id = r.body.toString();
    const st = await waitJob(f, id);
    assert.equal(st.kind, 'etl-bck');
    assert.equal(st.uuid, id);
    assert.equal(st.aborted, false);
    assert.equal(st.err, '');
    const names = await listNames(f, 'dst');
    assert.equal(names.length, N);
    for (const i of [0, 7, N - 1]) {
      assert.ok(names.includes(`out/img/${i}.md5`));
      assert.equal((await call('GET', `${f.ep}/v1/objects/dst/out/img/${i}.md5`)).body.toString(), md5(`object ${i}`));
    }
    const counts = await Promise.all(f.factory.started.map((w) => w.transformed()));
    assert.equal(counts.length, 2);
    assert.ok(
      counts.every((c) => c > 0),
      `both workers must transform: ${counts}`,
    );
    const snaps = json(
      await call('GET', f.ep + '/v1/cluster?what=qryxstats', { json: { id, kind: 'etl-bck', show_active: false } }),
    );
    assert.deepEqual(Object.keys(snaps).sort(), f.cluster.targets.map((t) => t.id).sort());
    let loc = 0,
      out = 0,
      inn = 0;
    for (const tid of Object.keys(snaps)) {
      const s = snaps[tid][0];
      assert.equal(s.id, id);
      assert.equal(typeof s.stats['loc-objs'], 'string');
      loc += Number(s.stats['loc-objs']);
      out += Number(s.stats['out-objs']);
      inn += Number(s.stats['in-objs']);
    }
    assert.equal(loc + out, N);
    assert.equal(inn, out);
  });

  test(`${label}: etl-listrange with a template and objnames; dry_run writes nothing`, async () => {
    const r = await call('POST', `${f.ep}/v1/buckets/src`, {
      json: {
        action: 'etl-listrange',
        value: { tobck: { name: 'dst2', provider: 'ais' }, template: 'img/{10..19}.jpg', id: 'md5-job', coer: true },
      },
    });
    assert.equal(r.status, 200, r.body.toString());
    await waitJob(f, r.body.toString(), 'etl-listrange');
    assert.deepEqual(
      (await listNames(f, 'dst2')).sort(),
      Array.from({ length: 10 }, (_, i) => `img/${10 + i}.jpg`).sort(),
    );
    const dry = await call('POST', `${f.ep}/v1/buckets/src?bck_to=${encodeURIComponent('ais/@#/src/')}`, {
      json: { action: 'etl-bck', value: { id: 'md5-job', dry_run: true } },
    });
    assert.equal(dry.status, 200, dry.body.toString());
    const ds = await waitJob(f, dry.body.toString());
    assert.equal(ds.aborted, false);
    assert.equal((await listNames(f, 'src')).length, N);
    const same = await call('POST', `${f.ep}/v1/buckets/src?bck_to=${encodeURIComponent('ais/@#/src/')}`, {
      json: { action: 'etl-bck', value: { id: 'md5-job' } },
    });
    assert.equal(same.status, 400);
    assert.match(json(same).message, /onto itself/);
  });

  test(`${label}: per-object errors — coer records them (dedup by message) and continues; without coer the job aborts`, async () => {
    await call('POST', f.ep + '/v1/buckets/mixed', { json: { action: 'create-bck' } });
    for (let i = 0; i < 30; i++)
      await call('PUT', `${f.ep}/v1/objects/mixed/${i % 3 === 0 ? 'fail' : 'ok'}-${i}`, { body: `m${i}` });
    const r = await call('POST', `${f.ep}/v1/buckets/mixed?bck_to=${encodeURIComponent('ais/@#/mixed-out/')}`, {
      json: { action: 'etl-bck', value: { id: 'md5-job', coer: true } },
    });
    const id = r.body.toString();
    const st = await waitJob(f, id);
    assert.equal(st.aborted, false);
    assert.equal((await listNames(f, 'mixed-out')).length, 20);
    const d = json(await call('GET', `${f.ep}/v1/etl/md5-job?uuid=${id}`));
    assert.equal(d.obj_errors.length, 10);
    assert.ok(
      d.obj_errors.every(
        (e: { obj_name: string; msg: string; ecode: number }) =>
          e.obj_name.startsWith('ais://mixed/fail-') && /^ETL error: /.test(e.msg) && e.ecode === 500,
      ),
    );
    const r2 = await call('POST', `${f.ep}/v1/buckets/mixed?bck_to=${encodeURIComponent('ais/@#/mixed-out2/')}`, {
      json: { action: 'etl-bck', value: { id: 'md5-job' } },
    });
    const st2 = await waitJob(f, r2.body.toString());
    assert.equal(st2.aborted, true);
    assert.match(st2.err, /ais:\/\/mixed\/fail-\d+: ETL error: boom/);
  });

  test(`${label}: unknown ETL → 404, missing source → 404, abort via PUT /v1/cluster stop`, async () => {
    const noEtl = await call('POST', `${f.ep}/v1/buckets/src?bck_to=${encodeURIComponent('ais/@#/x/')}`, {
      json: { action: 'etl-bck', value: { id: 'nosuch-etl' } },
    });
    assert.equal(noEtl.status, 404);
    const noSrc = await call('POST', `${f.ep}/v1/buckets/nosrc?bck_to=${encodeURIComponent('ais/@#/x/')}`, {
      json: { action: 'etl-bck', value: { id: 'md5-job' } },
    });
    assert.equal(noSrc.status, 404);
    assert.equal(json(noSrc).message, 'bucket "ais://nosrc" does not exist');
    const r = await call('POST', `${f.ep}/v1/buckets/src?bck_to=${encodeURIComponent('ais/@#/aborted/')}`, {
      json: { action: 'etl-bck', value: { id: 'md5-job', 'num-workers': -1 } },
    });
    const id = r.body.toString();
    assert.equal(
      (await call('PUT', f.ep + '/v1/cluster', { json: { action: 'stop', value: { ID: id, Kind: 'etl-bck' } } }))
        .status,
      200,
    );
    const st = await waitJob(f, id);
    assert.equal(st.aborted, true);
    const all = json(await call('GET', f.ep + '/v1/cluster?what=status_all', { json: { kind: 'etl-bck' } }));
    assert.ok(all.some((s: { uuid: string }) => s.uuid === id));
  });

  test(`${label}: stopping the ETL aborts its running job`, async () => {
    const r = await call('POST', `${f.ep}/v1/buckets/src?bck_to=${encodeURIComponent('ais/@#/stopped/')}`, {
      json: { action: 'etl-bck', value: { id: 'md5-job', 'num-workers': -1 } },
    });
    const id = r.body.toString();
    assert.equal((await call('POST', f.ep + '/v1/etl/md5-job/stop')).status, 200);
    const st = await waitJob(f, id);
    assert.equal(st.aborted, true);
    assert.match(st.err, /etl md5-job stopped/);
    assert.equal((await call('POST', f.ep + '/v1/etl/md5-job/start')).status, 200);
  });
}
