import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AisClient, commTypesFor, dialectFor, parseAisVersion, type ClusterInfo } from '../../../../src/engine/ais';
import { FakeAis, type FakeAisOptions } from './fake-ais';
import { fakeAisWithClient } from './helpers';

async function probe(
  t: { after(fn: () => unknown): void },
  o: FakeAisOptions,
): Promise<{ info: ClusterInfo; ais: FakeAis }> {
  const { ais, c: client } = await fakeAisWithClient(t, { targets: 1, ...o });
  return { info: await client.cluster(), ais };
}

describe('version parsing', () => {
  it('reads major.minor from every format seen in the wild', () => {
    assert.deepEqual(parseAisVersion('3.29.abc'), { raw: '3.29.abc', major: 3, minor: 29 });
    assert.deepEqual(parseAisVersion('5.0.6b7de2441'), { raw: '5.0.6b7de2441', major: 5, minor: 0 });
    assert.deepEqual(parseAisVersion('3.29.aisetl-local'), { raw: '3.29.aisetl-local', major: 3, minor: 29 });
    assert.deepEqual(parseAisVersion('3.22'), { raw: '3.22', major: 3, minor: 22 });
    assert.equal(parseAisVersion(''), undefined);
    assert.equal(parseAisVersion('latest'), undefined);
  });

  it('maps versions to init dialects and comm types', () => {
    const v = (s: string) => parseAisVersion(s)!;
    assert.equal(dialectFor(v('3.16.x')), 'v3.16');
    assert.equal(dialectFor(v('3.28.x')), 'v3.16');
    assert.equal(dialectFor(v('3.29.x')), 'v3.29');
    assert.equal(dialectFor(v('3.30.x')), 'v3.30');
    assert.equal(dialectFor(v('4.9.x')), 'v3.30');
    assert.equal(dialectFor(v('5.0.x')), 'v5.0');
    assert.equal(dialectFor(v('5.1.x')), 'v5.0');
    assert.deepEqual(commTypesFor(v('3.16.x'), false), ['hpush://', 'hpull://', 'io://']);
    assert.deepEqual(commTypesFor(v('3.28.x'), false), ['hpush://', 'hpull://', 'ws://', 'io://']);
    assert.deepEqual(commTypesFor(v('5.0.x'), false), ['hpush://', 'hpull://', 'ws://']);
    assert.deepEqual(commTypesFor(v('3.29.x'), true).sort(), ['hpull://', 'hpush://', 'io://', 'ws://']);
  });
});

describe('cluster detection per era', () => {
  it('3.16: InitCodeMsg dialect, code init, io://', async (t) => {
    const { info } = await probe(t, { version: '3.16.c0ffee' });
    assert.equal(info.dialect, 'v3.16');
    assert.equal(info.codeInit, true);
    assert.equal(info.etl, 'available');
    assert.ok(info.commTypes.includes('io://'));
    assert.equal(info.local, false);
    assert.equal(info.deployment, 'K8s');
  });

  it('3.22: falls back from what=node_status to what=status', async (t) => {
    const { info, ais } = await probe(t, { version: '3.22.abc', legacyStatus: true });
    assert.equal(info.version.minor, 22);
    assert.equal(info.dialect, 'v3.16');
    const whats = ais.requests
      .filter((r) => r.url.startsWith('/v1/daemon'))
      .map((r) => new URL(r.url, 'http://x').searchParams.get('what'));
    assert.deepEqual(whats, ['node_status', 'status']);
  });

  it('3.29: name/init_timeout dialect, last with code init', async (t) => {
    const { info } = await probe(t, { version: '3.29.abc' });
    assert.equal(info.dialect, 'v3.29');
    assert.equal(info.codeInit, true);
    assert.equal(info.endpoint.startsWith('http://127.0.0.1:'), true);
  });

  it('3.30: ETLSpecMsg, no code init, ETL stage Aborted after stop', async (t) => {
    const { c } = await fakeAisWithClient(t, { targets: 1, version: '3.30.abc' });
    const info = await c.cluster();
    assert.equal(info.dialect, 'v3.30');
    assert.equal(info.codeInit, false);
    await c.initEtl({ name: 'stage-etl', runtime: { image: 'x' } });
    await c.stopEtl('stage-etl');
    assert.deepEqual(
      (await c.listEtls()).map((e) => [e.name, e.stage]),
      [['stage-etl', 'Aborted']],
    );
  });

  it('5.0 built without ETL: 501 → not-built with the hint', async (t) => {
    const { info } = await probe(t, { version: '5.0.6b7de2441', etl: 'not-built' });
    assert.equal(info.dialect, 'v5.0');
    assert.equal(info.etl, 'not-built');
    assert.equal(info.etlReason, 'this cluster was built without ETL; deploy the -etl image');
    assert.deepEqual(info.commTypes, ['hpush://', 'hpull://', 'ws://']);
  });

  it('not on Kubernetes: 400 "requires Kubernetes" → no-k8s', async (t) => {
    const { info } = await probe(t, { version: '4.2.abc', deployment: 'dev', etl: 'no-k8s' });
    assert.equal(info.etl, 'no-k8s');
    assert.equal(info.etlReason, 'ETL needs AIS on Kubernetes; use the local cluster to try ETLs');
  });

  it("our local cluster emulating 3.29: local, exactly 3.29's dialect (code init, io://)", async (t) => {
    const { info } = await probe(t, { version: '3.29.aisetl-local', deployment: 'aisetl-local' });
    assert.equal(info.local, true);
    assert.equal(info.dialect, 'v3.29');
    assert.equal(info.codeInit, true);
    assert.deepEqual([...info.commTypes].sort(), ['hpull://', 'hpush://', 'io://', 'ws://']);
    assert.equal(info.etl, 'available');
  });

  it('our local cluster emulating 5.0: local, but no code init and no io:// (never kinder than 5.0)', async (t) => {
    const { info } = await probe(t, { version: '5.0.aisetl-local', deployment: 'aisetl-local' });
    assert.equal(info.local, true);
    assert.equal(info.dialect, 'v5.0');
    assert.equal(info.codeInit, false);
    assert.deepEqual([...info.commTypes].sort(), ['hpull://', 'hpush://', 'ws://']);
  });

  it('caches the probe; refreshCluster probes again', async (t) => {
    const { ais, c } = await fakeAisWithClient(t, { targets: 1 });
    await c.cluster();
    await c.cluster();
    const count = (): number => ais.requests.filter((r) => r.url.startsWith('/v1/daemon')).length;
    assert.equal(count(), 1);
    await c.refreshCluster();
    assert.equal(count(), 2);
  });

  it('a server without ais_version is not taken for AIS', async (t) => {
    const { c } = await fakeAisWithClient(t, { targets: 0, version: '' });
    await assert.rejects(c.cluster(), /did not report an AIS version/);
  });
});

describe('cluster map and health', () => {
  it('smap: proxies and targets with direct URLs', async (t) => {
    const ais = await FakeAis.start({ targets: 2 });
    const c = new AisClient({ endpoint: `${ais.url}/` });
    t.after(async () => {
      await c.close();
      await ais.close();
    });
    const smap = await c.clusterMap();
    assert.equal(smap.primaryId, 'p0');
    assert.equal(smap.primaryUrl, ais.url);
    assert.deepEqual(
      smap.targets.map((x) => x.url),
      ais.targetUrls,
    );
    assert.deepEqual(
      smap.targets.map((x) => x.id),
      ['t0', 't1'],
    );
    assert.equal(smap.proxies.length, 1);
    assert.equal(smap.version, '7');
    assert.equal(await c.health(), true);
    assert.deepEqual(await c.nodeStatus().then((s) => s.deployment), 'K8s');
  });

  it('health is false while the cluster answers 503', async (t) => {
    const ais = await FakeAis.start({ targets: 0 });
    ais.override((req, res) => {
      if (!req.url?.startsWith('/v1/health')) return false;
      res.statusCode = 503;
      res.end();
      return true;
    });
    const c = new AisClient({ endpoint: ais.url });
    t.after(async () => {
      await c.close();
      await ais.close();
    });
    assert.equal(await c.health(), false);
  });
});
