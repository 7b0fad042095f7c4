// A local cluster emulating AIS 3.29 (the tutorial's era): InitCodeMsg in both key sets, io://, runtime specs only
// inside `spec`, bare init messages from details, stage "Stopped", and the tutorial's leniencies recorded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { b64, call, codeInit, md5, startFixture, stopFixture, type Fixture } from '../helpers';
import { AisClient } from '../../../../../src/engine/ais';

let f: Fixture;
const json = (r: { body: Buffer }) => JSON.parse(r.body.toString());
const initEtl = (msg: unknown) => call('PUT', f.ep + '/v1/etl', { json: msg });

before(async () => {
  f = await startFixture({ aisVersion: '3.29' });
  await call('POST', f.ep + '/v1/buckets/src', { json: { action: 'create-bck' } });
  await call('PUT', `${f.ep}/v1/objects/src/shard.in`, { body: 'some text :)\n' });
});
after(async () => {
  await stopFixture(f);
});

test('reports 3.29 with the local suffix; no what=software_version (5.0 added it); the engine speaks v3.29', async () => {
  const ns = json(await call('GET', f.ep + '/v1/daemon?what=node_status'));
  assert.equal(ns.ais_version, '3.29.aisetl-local');
  assert.equal((await call('GET', f.ep + '/v1/daemon?what=software_version')).status, 400);
  const client = new AisClient({ endpoint: f.ep });
  try {
    const info = await client.cluster();
    assert.equal(info.local, true);
    assert.equal(info.dialect, 'v3.29');
    assert.equal(info.codeInit, true);
    assert.ok(info.commTypes.includes('io://'));
  } finally {
    await client.close();
  }
});

test('InitCodeMsg (3.29 keys) and the 3.16 keys (id/timeout/Funcs) with hpull: no etl_fqn in the redirect', async () => {
  assert.equal((await initEtl(codeInit('md5-push'))).status, 200);
  const g = await call('GET', `${f.ep}/v1/objects/src/shard.in?etl_name=md5-push`);
  assert.equal(g.body.toString(), md5('some text :)\n'));
  const old = {
    id: 'md5-pull',
    communication: 'hpull://',
    timeout: '30s',
    code: b64('def transform(b): return b'),
    runtime: 'python3.11v2',
    Funcs: { transform: 'transform' },
    chunk_size: 0,
    flags: 0,
  };
  assert.equal((await initEtl(old)).status, 200);
  const p = await call('GET', `${f.ep}/v1/objects/src/shard.in?etl_name=md5-pull`);
  assert.equal(p.status, 200);
  assert.match(p.hops[1], /ais%2F%40%23%2Fsrc%2Fshard\.in/);
  assert.doesNotMatch(p.hops[1], /etl_fqn/);
});

test('3.29 validation: runtime list, both keys, a top-level runtime spec is not an init message there', async () => {
  const cases: [unknown, RegExp][] = [
    [{ name: 'valid-name', code: b64('x'), runtime: 'python3.8v2' }, /unsupported runtime "python3.8v2"/],
    [
      { name: 'valid-name', code: b64('x'), spec: b64('kind: Pod') },
      /^invalid etl.InitMsg: both 'code' and 'spec' fields are present$/,
    ],
    [
      { name: 'valid-name', runtime: { image: 'x' } },
      /^invalid etl.InitMsg: map\[name:\[34 118 97 108 105 100 45 110 97 109 101 34\] runtime:\[/,
    ],
  ];
  for (const [msg, re] of cases) {
    const r = await initEtl(msg);
    assert.equal(r.status, 400, JSON.stringify(msg));
    assert.match(json(r).message, re);
  }
});

test('a runtime spec inside `spec` runs; details answer the bare init message; stop → Stopped', async () => {
  const yaml = 'name: rts-in-spec\nruntime:\n  image: local/md5:1\n';
  assert.equal((await initEtl({ name: 'rts-in-spec', communication: 'hpush://', spec: b64(yaml) })).status, 200);
  const d = json(await call('GET', `${f.ep}/v1/etl/rts-in-spec?uuid=`));
  assert.equal(d.name, 'rts-in-spec');
  assert.equal(d.init_msg, undefined);
  assert.equal((await call('POST', `${f.ep}/v1/etl/rts-in-spec/stop`)).status, 200);
  const list = json(await call('GET', f.ep + '/v1/etl'));
  assert.equal(list.find((e: { id: string }) => e.id === 'rts-in-spec').stage, 'Stopped');
  // the 3.29 proxy answers details from etlMD (ais/prxetl.go infoETL), running or not
  for (const q of ['', '?uuid=']) {
    const stopped = await call('GET', `${f.ep}/v1/etl/rts-in-spec${q}`);
    assert.equal(stopped.status, 200, stopped.body.toString());
    assert.equal(json(stopped).name, 'rts-in-spec');
    assert.equal(json(stopped).init_msg, undefined);
  }
  const missing = await call('GET', `${f.ep}/v1/etl/no-such-etl`);
  assert.equal(missing.status, 404);
  assert.match(json(missing).message, /etl job no-such-etl/);
  // logs and health still need a running ETL; the message names the stage as 3.29 does
  const logs = await call('GET', `${f.ep}/v1/etl/rts-in-spec/logs`);
  assert.equal(logs.status, 404);
  assert.match(json(logs).message, /stage Stopped/);
});

test('the tutorial Pod spec without readinessProbe: accepted, listed as a local-only leniency, noted in the log', async () => {
  const spec =
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: transformer-md5\nspec:\n  containers:\n    - name: server\n      image: docker.io/aistore/md5_server:v1\n      ports:\n        - name: default\n          containerPort: 80\n      command: ['/code/server.py', '--listen', '0.0.0.0', '--port', '80']\n";
  const r = await initEtl({
    name: 'spec-md5',
    communication: 'hpush://',
    init_timeout: '30s',
    spec: b64(spec),
    env: [{ name: 'X', value: '1' }],
  });
  assert.equal(r.status, 200, r.body.toString());
  const e = json(await call('GET', f.ep + '/v1/etl')).find((x: { id: string }) => x.id === 'spec-md5');
  assert.deepEqual(
    e.local_leniencies.map((l: { id: string }) => l.id),
    ['pod-spec-no-readiness-probe'],
  );
  const logs = json(await call('GET', f.ep + '/v1/etl/spec-md5/logs'));
  const text = Buffer.from(logs[0].logs, 'base64').toString();
  assert.match(text, /no top-level "env"/);
  const client = new AisClient({ endpoint: f.ep });
  try {
    const listed = (await client.listEtls()).find((x) => x.name === 'spec-md5');
    assert.equal(listed?.localLeniencies?.[0]?.id, 'pod-spec-no-readiness-probe');
    assert.match(listed?.localLeniencies?.[0]?.note ?? '', /works locally only/);
  } finally {
    await client.close();
  }
  await call('DELETE', f.ep + '/v1/etl/spec-md5');
});
