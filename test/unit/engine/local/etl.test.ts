// The ETL API of the local cluster with stand-in workers (real child processes): init in several dialects,
// inline transforms (hpush, hpull, pipelines, errors), lifecycle, logs/health/metrics, crashes, restart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startLocalCluster } from '../../../../src/engine/local';
import {
  b64,
  call,
  runtimeInit,
  md5,
  pidAlive,
  standInFactory,
  startFixture,
  stopFixture,
  type Fixture,
} from './helpers';

let f: Fixture;
const json = (r: { body: Buffer }) => JSON.parse(r.body.toString());
const put = (b: string, o: string, body: string) => call('PUT', `${f.ep}/v1/objects/${b}/${o}`, { body });
const initEtl = (msg: unknown) => call('PUT', f.ep + '/v1/etl', { json: msg });

before(async () => {
  f = await startFixture();
  await call('POST', f.ep + '/v1/buckets/src', { json: { action: 'create-bck' } });
  await put('src', 'shard.in', 'some text :)\n');
  for (let i = 0; i < 20; i++) await put('src', `obj-${i}`, `content ${i}`);
  await put('src', 'will-fail', 'x');
});
after(async () => {
  await stopFixture(f);
});

test('init a runtime spec (5.0, hpush) → xid, Running, one worker per target, inline md5', async () => {
  const r = await initEtl(runtimeInit('md5-push'));
  assert.equal(r.status, 200, r.body.toString());
  assert.match(r.body.toString(), /^etl-[A-Za-z0-9]+$/);
  const list = json(await call('GET', f.ep + '/v1/etl'));
  const e = list.find((x: { id: string }) => x.id === 'md5-push');
  assert.equal(e.stage, 'Running');
  assert.equal(e.xaction_id, r.body.toString());
  assert.equal(f.factory.started.filter((w) => w.state === 'running').length, 2);
  const g = await call('GET', `${f.ep}/v1/objects/src/shard.in?etl_name=md5-push`);
  assert.equal(g.status, 200);
  assert.equal(g.body.toString(), '393c6706efb128fbc442d3f7d084a426');
});

test('duplicate init → 409 "etl job <name> already exists"', async () => {
  const r = await initEtl(runtimeInit('md5-push'));
  assert.equal(r.status, 409);
  assert.match(json(r).message, /^p\[[A-Za-z]{8}\]: etl job md5-push already exists$/);
});

test('hpull: 301 → target → 307 → worker, with etl_fqn as 5.0 sends it', async () => {
  const r = await initEtl(runtimeInit('md5-pull', 'hpull://'));
  assert.equal(r.status, 200, r.body.toString());
  const g = await call('GET', `${f.ep}/v1/objects/src/shard.in?etl_name=md5-pull`);
  assert.equal(g.status, 200);
  assert.equal(g.hops.length, 2);
  assert.match(g.hops[1], /ais%2F%40%23%2Fsrc%2Fshard\.in/);
  assert.equal(g.body.toString(), md5('some text :)\n'));
  const p = await call('GET', `${f.ep}/v1/objects/src/shard.in?etl_name=md5-pull&etl_pipeline=md5-push`);
  assert.equal(p.status, 400);
  assert.equal(json(p).message, 'inline transform pipeline not supported for hpull://');
});

test('runtime spec (5.0 ETLSpecMsg) and a pipeline upper → md5', async () => {
  const r = await initEtl({
    name: 'upper-etl',
    communication: 'hpush://',
    init_timeout: '30s',
    obj_timeout: '10s',
    runtime: { image: 'local/upper:1', env: [{ name: 'MODE', value: 'upper' }] },
  });
  assert.equal(r.status, 200, r.body.toString());
  const g = await call('GET', `${f.ep}/v1/objects/src/shard.in?etl_name=upper-etl&etl_pipeline=md5-push`);
  assert.equal(g.status, 200, g.body.toString());
  assert.equal(g.body.toString(), md5('SOME TEXT :)\n'));
  const bad = await call('GET', `${f.ep}/v1/objects/src/shard.in?etl_name=upper-etl&etl_pipeline=nosuch-etl`);
  assert.equal(bad.status, 400);
  assert.match(json(bad).message, /etl="nosuch-etl"\] entry not found in the target/);
});

test('container ≥400 → AIS error "ETL error: <body>" with its status, recorded in details obj_errors', async () => {
  const g = await call('GET', `${f.ep}/v1/objects/src/will-fail?etl_name=md5-push`);
  assert.equal(g.status, 500);
  const e = json(g);
  assert.equal(e.message, 'ETL error: boom: /src/will-fail');
  assert.equal(e.tcode, 'ErrETL');
  const d = json(await call('GET', f.ep + '/v1/etl/md5-push?uuid='));
  assert.equal(d.init_msg.name, 'md5-push');
  assert.deepEqual(d.obj_errors, [
    { obj_name: 'ais://src/will-fail', msg: 'ETL error: boom: /src/will-fail', ecode: 500 },
  ]);
  // the 3.29 CLI sends no uuid and decodes the bare init message, as 3.29 answered
  const bare = json(await call('GET', f.ep + '/v1/etl/md5-push'));
  assert.equal(bare.name, 'md5-push');
  assert.equal(bare.init_msg, undefined);
  const missing = await call('GET', `${f.ep}/v1/objects/src/nope?etl_name=md5-push`);
  assert.equal(missing.status, 404);
  const noEtl = await call('GET', `${f.ep}/v1/objects/src/shard.in?etl_name=nosuch-etl`);
  assert.equal(noEtl.status, 404);
  assert.match(json(noEtl).message, /nosuch-etl does not exist/);
});

test('logs (base64 per target), health (pod phases), metrics (cpu/mem from /proc)', async () => {
  const logs = json(await call('GET', f.ep + '/v1/etl/md5-push/logs'));
  assert.equal(logs.length, 2);
  assert.deepEqual(
    logs.map((l: { target_id: string }) => l.target_id).sort(),
    f.cluster.targets.map((t) => t.id).sort(),
  );
  assert.match(Buffer.from(logs[0].logs, 'base64').toString(), /PORT=\d+/);
  const one = json(await call('GET', `${f.ep}/v1/etl/md5-push/logs/${f.cluster.targets[1].id}`));
  assert.equal(one.length, 1);
  assert.equal((await call('GET', f.ep + '/v1/etl/md5-push/logs/XXXXXXXX')).status, 400);
  const health = json(await call('GET', f.ep + '/v1/etl/md5-push/health'));
  assert.deepEqual(
    health.map((h: { health_status: string }) => h.health_status),
    ['Running', 'Running'],
  );
  const metrics = json(await call('GET', f.ep + '/v1/etl/md5-push/metrics'));
  assert.equal(metrics.length, 2);
  if (process.platform === 'linux') for (const m of metrics) assert.ok(m.mem > 1_000_000, `mem ${m.mem}`);
});

test('single-object transform-copy (PUT ?object_to=) stores the result on the owning target', async () => {
  await call('POST', f.ep + '/v1/buckets/copydst', { json: { action: 'create-bck' } });
  const r = await call(
    'PUT',
    `${f.ep}/v1/objects/src/shard.in?object_to=${encodeURIComponent('ais/@#/copydst/hashed.txt')}&etl_name=md5-push`,
  );
  assert.equal(r.status, 200, r.body.toString());
  assert.equal((await call('GET', `${f.ep}/v1/objects/copydst/hashed.txt`)).body.toString(), md5('some text :)\n'));
});

test('the worker-facing object endpoint (AIS_TARGET_URL): GET, HEAD, direct PUT; a wrong secret is refused', async () => {
  const w = f.factory.started.find((x) => x.state === 'running' && x.targetUrl.includes('/md5-push/'))!;
  assert.match(w.targetUrl, /\/v1\/etl\/_object\/md5-push\/[A-Za-z]{10}$/);
  const uname = (o: string) => encodeURIComponent(`ais/@#/src/${o}`);
  const g = await call('GET', `${w.targetUrl}/${uname('shard.in')}`);
  assert.equal(g.body.toString(), 'some text :)\n');
  const h = await call('HEAD', `${w.targetUrl}/${uname('shard.in')}`);
  assert.equal(h.headers['content-length'], '13');
  assert.equal(
    (await call('PUT', `${w.targetUrl}/${uname('direct/put.out')}?owt=3&uuid=nojob`, { body: 'direct' })).status,
    200,
  );
  assert.equal((await call('GET', `${f.ep}/v1/objects/src/direct/put.out`)).body.toString(), 'direct');
  const bad = await call('GET', `${w.targetUrl.replace(/[A-Za-z]{10}$/, 'WrongSecre')}/${uname('shard.in')}`);
  assert.equal(bad.status, 404);
  const escape = await call('GET', `${w.targetUrl}/${encodeURIComponent('ais/@#/src/../../etc/passwd')}`);
  assert.equal(escape.status, 400);
});

test('100 concurrent inline transforms are all correct', async () => {
  const results = await Promise.all(
    Array.from({ length: 100 }, (_, i) => call('GET', `${f.ep}/v1/objects/src/obj-${i % 20}?etl_name=md5-push`)),
  );
  results.forEach((r, i) => {
    assert.equal(r.status, 200);
    assert.equal(r.body.toString(), md5(`content ${i % 20}`));
  });
});

test('stop → Aborted, every worker process gone, details 404; start → new xid; delete → gone', async () => {
  const before = json(await call('GET', f.ep + '/v1/etl')).find((x: { id: string }) => x.id === 'md5-push').xaction_id;
  const pids = f.factory.started.filter((w) => w.state === 'running').map((w) => w.pid!);
  assert.ok(pids.length >= 2);
  assert.equal((await call('POST', f.ep + '/v1/etl/md5-push/stop')).status, 200);
  const stage = json(await call('GET', f.ep + '/v1/etl')).find((x: { id: string }) => x.id === 'md5-push').stage;
  assert.equal(stage, 'Aborted');
  const stillRunning = new Set(f.cluster.workerPids());
  for (const p of pids) if (!stillRunning.has(p)) assert.equal(pidAlive(p), false, `pid ${p} survived stop`);
  const d = await call('GET', f.ep + '/v1/etl/md5-push');
  assert.equal(d.status, 404);
  assert.match(json(d).message, /etl job md5-push/);
  const g = await call('GET', `${f.ep}/v1/objects/src/shard.in?etl_name=md5-push`);
  assert.equal(g.status, 404);
  const s = await call('POST', f.ep + '/v1/etl/md5-push/start');
  assert.equal(s.status, 200, s.body.toString());
  assert.notEqual(s.body.toString(), before);
  const again = await call('POST', f.ep + '/v1/etl/md5-push/start');
  assert.equal(again.status, 400);
  assert.equal(json(again).message, 'invalid action "can\'t start ETL[md5-push] during Running stage"');
  assert.equal(
    (await call('GET', `${f.ep}/v1/objects/src/shard.in?etl_name=md5-push`)).body.toString(),
    '393c6706efb128fbc442d3f7d084a426',
  );
  assert.equal((await call('DELETE', f.ep + '/v1/etl/md5-push')).status, 200);
  assert.equal((await call('DELETE', f.ep + '/v1/etl/md5-push')).status, 404);
  assert.equal(
    json(await call('GET', f.ep + '/v1/etl')).some((x: { id: string }) => x.id === 'md5-push'),
    false,
  );
});

test('a worker that crashes → ETL Aborted with the reason and log tail; the gateway stays up', async () => {
  assert.equal((await initEtl(runtimeInit('crashy-etl'))).status, 200);
  await put('src', 'crash-me', 'x');
  const g = await call('GET', `${f.ep}/v1/objects/src/crash-me?etl_name=crashy-etl`);
  assert.ok(g.status >= 400, `status ${g.status}`);
  let stage = '';
  for (let i = 0; i < 100 && stage !== 'Aborted'; i++) {
    stage = json(await call('GET', f.ep + '/v1/etl')).find((x: { id: string }) => x.id === 'crashy-etl').stage;
    if (stage !== 'Aborted') await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(stage, 'Aborted');
  const d = await call('GET', f.ep + '/v1/etl/crashy-etl');
  assert.equal(d.status, 404);
  const reason = json(d).message;
  assert.match(reason, /worker exited: exit code 3/);
  assert.match(reason, /crashing on \/src\/crash-me/);
  assert.equal((await call('GET', f.ep + '/v1/health')).status, 200);
});

test('a worker that hangs → object errors on obj_timeout, then the ETL is Aborted as hung', async () => {
  assert.equal((await initEtl({ ...runtimeInit('hangy-etl'), obj_timeout: '300ms' })).status, 200);
  await put('src', 'hang-me', 'x');
  const statuses: number[] = [];
  for (let i = 0; i < 3; i++) {
    const g = await call('GET', `${f.ep}/v1/objects/src/hang-me?etl_name=hangy-etl`);
    statuses.push(g.status);
    if (g.status === 500) assert.match(json(g).message, /no answer within obj_timeout/);
  }
  assert.deepEqual(statuses.slice(0, 2), [500, 500]);
  let d = await call('GET', f.ep + '/v1/etl/hangy-etl');
  for (let i = 0; i < 100 && d.status === 200; i++) {
    await new Promise((r) => setTimeout(r, 20));
    d = await call('GET', f.ep + '/v1/etl/hangy-etl');
  }
  assert.equal(d.status, 404);
  assert.match(json(d).message, /looks hung/);
});

test('a worker that fails to start → 400 ErrETL with the log tail, stage Aborted, no process left', async () => {
  const dir = require('node:fs').mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'aisetl-fail-'));
  const factory = standInFactory({ failStart: true });
  const c = await startLocalCluster({ dataDir: dir, workerFactory: factory });
  try {
    const r = await call('PUT', c.endpoint + '/v1/etl', { json: runtimeInit('broken-etl') });
    assert.equal(r.status, 400);
    const e = json(r);
    assert.equal(e.tcode, 'ErrETL');
    assert.match(e.message, /etl="broken-etl"\]/);
    assert.match(e.message, /cannot start: bad image/);
    const list = json(await call('GET', c.endpoint + '/v1/etl'));
    assert.deepEqual(
      list.map((x: { id: string; stage: string }) => [x.id, x.stage]),
      [['broken-etl', 'Aborted']],
    );
    assert.equal((await call('PUT', c.endpoint + '/v1/etl', { json: runtimeInit('broken-etl') })).status, 409);
    assert.deepEqual(c.workerPids(), []);
  } finally {
    await c.stop();
    require('node:fs').rmSync(dir, { recursive: true, force: true });
  }
});

test('after a cluster restart, previously Running ETLs show as Aborted; buckets and objects persist', async () => {
  const dir = require('node:fs').mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'aisetl-restart-'));
  const c1 = await startLocalCluster({ dataDir: dir, workerFactory: standInFactory() });
  await call('POST', c1.endpoint + '/v1/buckets/keep', { json: { action: 'create-bck' } });
  await call('PUT', c1.endpoint + '/v1/objects/keep/a/b', { body: 'persisted' });
  assert.equal((await call('PUT', c1.endpoint + '/v1/etl', { json: runtimeInit('survivor') })).status, 200);
  const pids = c1.workerPids();
  await c1.stop();
  for (const p of pids) assert.equal(pidAlive(p), false, `pid ${p} survived cluster stop`);
  const c2 = await startLocalCluster({ dataDir: dir, workerFactory: standInFactory() });
  try {
    const list = json(await call('GET', c2.endpoint + '/v1/etl'));
    assert.deepEqual(
      list.map((x: { id: string; stage: string }) => [x.id, x.stage]),
      [['survivor', 'Aborted']],
    );
    assert.equal((await call('GET', c2.endpoint + '/v1/objects/keep/a/b')).body.toString(), 'persisted');
    assert.deepEqual(
      c2.targets.map((t) => t.id),
      c1.targets.map((t) => t.id),
    );
  } finally {
    await c2.stop();
    require('node:fs').rmSync(dir, { recursive: true, force: true });
  }
});

test('init validation speaks 5.0: no code init, no io://', async () => {
  const cases: [unknown, RegExp][] = [
    [{ name: 'abc', runtime: { image: 'x' } }, /ETL name "abc" is too short/],
    [{ name: 'Bad_Name', runtime: { image: 'x' } }, /ETL name "Bad_Name" is invalid: can only contain \[a-z0-9-\]/],
    [{ name: 'valid-name', communication: 'hpush', runtime: { image: 'x' } }, /unknown comm-type "hpush"/],
    [{ name: 'valid-name', runtime: {} }, /runtime.image must be specified/],
    [
      { name: 'valid-name', communication: 'ws://', runtime: { image: 'x' } },
      /WebSocket without direct put is not supported/,
    ],
    [{ name: 'valid-name', spec: b64('apiVersion: v1\nkind: Service\n') }, /expected pod spec, got: Service/],
    [
      { name: 'valid-name', spec: b64('kind: Pod\nspec:\n  containers:\n  - image: a\n  - image: b\n') },
      /unsupported number of containers \(2\), expected: 1/,
    ],
    [
      {
        name: 'valid-name',
        spec: b64('kind: Pod\nspec:\n  containers:\n  - image: a\n    ports: [{name: web, containerPort: 80}]\n'),
      },
      /expected port name: "default", got: "web"/,
    ],
    [
      { name: 'valid-name', code: b64('x'), runtime: 'python3.11v2' },
      /^invalid etl.InitMsg: ETLSpecMsg error: json: cannot unmarshal string into Go struct field ETLSpecMsg.runtime/,
    ],
    [{ name: 'valid-name', communication: 'io://', runtime: { image: 'x' } }, /unknown comm-type "io:\/\/"/],
    [{ name: 'valid-name', runtime: { image: 'x' }, init_timeout: 30 }, /durations are strings/],
    [{ name: 'valid-name' }, /^invalid etl.InitMsg: ETLSpecMsg error: .*; InitSpecMsg error: /],
    ['not json', /invalid etl.InitMsg/],
  ];
  for (const [msg, re] of cases) {
    const r = typeof msg === 'string' ? await call('PUT', f.ep + '/v1/etl', { body: msg }) : await initEtl(msg);
    assert.equal(r.status, 400, JSON.stringify(msg));
    assert.match(json(r).message, re);
  }
});

test("5.0 refuses a Pod spec without readinessProbe with AIS's text", async () => {
  const spec =
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: transformer-md5\nspec:\n  containers:\n    - name: server\n      image: docker.io/aistore/md5_server:v1\n      ports:\n        - name: default\n          containerPort: 80\n';
  const r = await initEtl({ name: 'spec-md5', communication: 'hpush://', init_timeout: '30s', spec: b64(spec) });
  assert.equal(r.status, 400);
  assert.match(
    json(r).message,
    /InitSpecMsg error: \[etl="spec-md5"\] readinessProbe section is required in a container spec$/,
  );
});
