import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AisClient, initTimeoutMs, sniffInitKind } from '../../../../src/engine/ais';
import { FakeAis } from './fake-ais';
import { fakeAisForSuite, fakeAisWithClient } from './helpers';
import { streamText } from './helpers';

describe('durations and init timeout', () => {
  it('reads the init timeout as a Go duration, compound and fractional ones included', () => {
    assert.equal(initTimeoutMs({ init_timeout: '1h30m' }, 1000), 5_410_000);
    assert.equal(initTimeoutMs({ init_timeout: '1.5m' }, 1000), 100_000);
    assert.equal(initTimeoutMs({ init_timeout: '500ms' }, 1000), 10_500);
    assert.equal(initTimeoutMs({ init_timeout: '5' }, 1000), 55_000, 'missing unit: server default');
    assert.equal(initTimeoutMs({ init_timeout: '0' }, 1000), 55_000, 'zero: server default');
  });

  it('init HTTP timeout = init_timeout (or timeout / wait_timeout) + 10 s, never below the call timeout', () => {
    assert.equal(initTimeoutMs({ init_timeout: '5m' }, 60_000), 310_000);
    assert.equal(initTimeoutMs({ timeout: '2m' }, 60_000), 130_000, '≤3.28 key');
    assert.equal(initTimeoutMs({ wait_timeout: '90s' }, 60_000), 100_000, '3.7 key');
    assert.equal(initTimeoutMs({}, 30_000), 55_000, 'server default 45 s + 10 s');
    assert.equal(initTimeoutMs({ init_timeout: '10s' }, 60_000), 60_000);
    assert.equal(initTimeoutMs({ init_timeout: 'garbage' }, 1000), 55_000);
  });

  it('sniffs the init message kind', () => {
    assert.equal(sniffInitKind({ runtime: { image: 'x' } }), 'runtime-spec');
    assert.equal(sniffInitKind({ spec: 'YXBp' }), 'pod-spec');
    assert.equal(sniffInitKind({ code: 'ZGVm', runtime: 'python3.11v2' }), 'code');
    assert.equal(sniffInitKind({}), 'unknown');
  });
});

describe('ETL calls', () => {
  let ais: FakeAis;
  let client: AisClient;
  fakeAisForSuite({ targets: 2, version: '3.30.abc' }, (x) => ({ ais, client } = x));

  it('init sends the body as given and returns the xid text', async () => {
    const msg = {
      name: 'md5-etl',
      communication: 'hpush://',
      init_timeout: '5m',
      obj_timeout: '45s',
      runtime: { image: 'aistorage/transformer_md5:latest' },
    };
    const xid = await client.initEtl(msg);
    assert.equal(xid, ais.etls.get('md5-etl')!.xid);
    const req = ais.requests.find((r) => r.method === 'PUT' && r.url === '/v1/etl')!;
    assert.deepEqual(JSON.parse(req.body.toString()), msg);
    assert.equal(req.headers['content-type'], 'application/json');
  });

  it('list normalises id → name and keeps stage and counters', async () => {
    const list = await client.listEtls();
    const e = list.find((x) => x.name === 'md5-etl')!;
    assert.equal(e.stage, 'Running');
    assert.equal(e.xactionId, ais.etls.get('md5-etl')!.xid);
    assert.equal(e.objCount, 0);
  });

  it('details ≥3.30: {init_msg, obj_errors}', async () => {
    const d = await client.etlDetails('md5-etl', 'job-42');
    assert.equal(d.kind, 'runtime-spec');
    assert.equal(d.initMsg.name, 'md5-etl');
    assert.deepEqual(d.objErrors, [{ objName: 'ais://src/7', message: 'ETL error: boom', ecode: 500 }]);
    assert.match(ais.requests.at(-1)!.url, /^\/v1\/etl\/md5-etl\?uuid=job-42$/);
  });

  it('details without a job id still send uuid= (≥3.30 answers {init_msg, obj_errors} then; 3.29 the bare message)', async () => {
    await client.etlDetails('md5-etl');
    assert.match(ais.requests.at(-1)!.url, /^\/v1\/etl\/md5-etl\?uuid=$/);
  });

  it('logs are base64-decoded; health and metrics per target', async () => {
    const logs = await client.etlLogs('md5-etl');
    assert.deepEqual(logs, [
      { targetId: 't0', logs: 'log of md5-etl on t0\n' },
      { targetId: 't1', logs: 'log of md5-etl on t1\n' },
    ]);
    const one = await client.etlLogs('md5-etl', 't1');
    assert.equal(one.length, 1);
    assert.equal(ais.requests.at(-1)!.url, '/v1/etl/md5-etl/logs/t1');
    assert.deepEqual(await client.etlHealth('md5-etl'), [
      { targetId: 't0', status: 'Running' },
      { targetId: 't1', status: 'Running' },
    ]);
    assert.equal((await client.etlMetrics('md5-etl')).length, 2);
  });

  it('stop, start (new xid), delete', async () => {
    await client.stopEtl('md5-etl');
    assert.equal(ais.etls.get('md5-etl')!.stage, 'Aborted');
    const xid = await client.startEtl('md5-etl');
    assert.equal(xid, ais.etls.get('md5-etl')!.xid);
    assert.equal(ais.etls.get('md5-etl')!.stage, 'Running');
    await client.deleteEtl('md5-etl');
    assert.equal(ais.etls.has('md5-etl'), false);
  });

  it('inline transform: etl_name, etl_args and the pipeline as a comma list', async () => {
    ais.putObject('src', 'in.txt', 'abc');
    await client.initEtl({ name: 'upper-etl', runtime: { image: 'x' } });
    await client.initEtl({ name: 'rev-etl', runtime: { image: 'x' } });
    ais.transforms.set('rev-etl', (d) => Buffer.from([...d].reverse()));
    const r = await client.getObject('src', 'in.txt', { etl: { name: 'upper-etl>>rev-etl', args: '{"k":1}' } });
    assert.equal(await streamText(r.body), 'CBA');
    const q = new URL(ais.requests.filter((x) => x.url.startsWith('/v1/objects/src/in.txt')).at(-1)!.url, 'http://x')
      .searchParams;
    assert.equal(q.get('etl_name'), 'upper-etl');
    assert.equal(q.get('etl_args'), '{"k":1}');
    assert.equal(q.get('etl_pipeline'), 'rev-etl');
    const r2 = await client.getObject('src', 'in.txt', {
      etl: { name: 'upper-etl', pipeline: ['rev-etl', 'upper-etl'] },
    });
    await streamText(r2.body);
    assert.equal(new URL(ais.requests.at(-1)!.url, 'http://x').searchParams.get('etl_pipeline'), 'rev-etl,upper-etl');
  });

  it('single-object transform-copy: object_to uname + etl_name, no body, through the 307', async () => {
    ais.putObject('src', 'one.txt', 'hello');
    ais.bucket('dst');
    await client.transformObjectTo('src', 'one.txt', 'dst', 'out/one.txt', { name: 'upper-etl' });
    assert.equal(ais.buckets.get('dst')!.get('out/one.txt')!.toString(), 'HELLO');
    const hops = ais.requests.filter((r) => r.url.startsWith('/v1/objects/src/one.txt'));
    assert.equal(hops.length, 2);
    const q = new URL(hops[0].url, 'http://x').searchParams;
    assert.equal(q.get('object_to'), 'ais/@#/dst/out/one.txt');
    assert.equal(q.get('etl_name'), 'upper-etl');
    assert.equal(hops[0].bodyBytes, 0);
  });
});

describe('ETL details ≤3.29', () => {
  it('the raw init message is returned and sniffed', async (t) => {
    const { c } = await fakeAisWithClient(t, { targets: 1, version: '3.29.abc' });
    await c.initEtl({ name: 'code-etl', runtime: 'python3.11v2', code: 'ZGVm', funcs: { transform: 'transform' } });
    const d = await c.etlDetails('code-etl');
    assert.equal(d.kind, 'code');
    assert.equal(d.initMsg.runtime, 'python3.11v2');
    assert.deepEqual(d.objErrors, []);
    await c.stopEtl('code-etl');
    assert.equal((await c.listEtls())[0].stage, 'Stopped');
  });

  it('≤3.27 lists without stage: reported as Running', async (t) => {
    const { ais, c } = await fakeAisWithClient(t, { targets: 1, version: '3.16.abc' });
    await c.initEtl({ id: 'old-etl', code: 'ZGVm', runtime: 'python3.11v2', timeout: '1m' });
    assert.deepEqual(await c.listEtls(), [
      {
        name: 'old-etl',
        stage: 'Running',
        xactionId: ais.etls.get('old-etl')!.xid,
        objCount: 0,
        inBytes: 0,
        outBytes: 0,
      },
    ]);
  });
});

describe('init waits as long as the body says', () => {
  it('a slow init outlives the client default timeout because init_timeout + 10 s applies', async (t) => {
    const ais = await FakeAis.start({ targets: 0 });
    ais.override((req, res) => {
      if (req.method !== 'PUT' || req.url !== '/v1/etl') return false;
      req.resume();
      setTimeout(() => res.end('etl-slow1'), 400);
      return true;
    });
    const c = new AisClient({ endpoint: ais.url, timeoutMs: 100 });
    t.after(async () => {
      await c.close();
      await ais.close();
    });
    assert.equal(await c.initEtl({ name: 'slow-etl', init_timeout: '1s' }), 'etl-slow1');
    // the same slowness on an ordinary call does time out: the init budget is what made the difference
    ais.override((req, res) => {
      if (req.url !== '/v1/etl/slow-etl/health') return false;
      setTimeout(() => res.end('[]'), 400);
      return true;
    });
    await assert.rejects(c.etlHealth('slow-etl'), /no answer .* within 100 ms/);
  });
});
