// The VS Code layer's door to Kubernetes, without loading it when there is nothing to connect to. The tests that
// connect through the real engine are in k8sPodsEngine.test.ts (a separate process: this file checks require.cache).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { K8sPodsService, type K8sWhere } from '../../../src/services/k8sPods';
import { parseClusterSettings } from '../../../src/services/clusterSources';
import { fakePodsApi } from '../_fakes/client';

const remote = { id: 'prod', name: 'prod', endpoint: 'http://ais:51080', source: 'settings' as const };
const k8sLoaded = () => Object.keys(require.cache).some((k) => k.includes('@kubernetes/client-node'));

test('no kubeconfig: unavailable with the reason, and the Kubernetes client is never loaded', async () => {
  const home = mkdtempSync(join(tmpdir(), 'aisetl-home-'));
  try {
    const logs: string[] = [];
    const svc = new K8sPodsService({ kubeconfig: () => '', log: (m) => logs.push(m), env: {}, homeDir: home });
    const c = await svc.forCluster(remote);
    assert.ok('unavailable' in c);
    assert.match(c.unavailable, /No kubeconfig found .*\.kube[/\\]config does not exist/);
    await assert.rejects(
      svc.require(remote, 'Explain pod'),
      (e: Error & { hint?: string }) =>
        /^Explain pod needs Kubernetes: No kubeconfig found/.test(e.message) &&
        /aistore\.kubernetes\.kubeconfig/.test(e.hint ?? ''),
    );
    assert.equal(logs.length, 1, 'one log line, not one per call');
    const missing = new K8sPodsService({
      kubeconfig: () => join(home, 'nope'),
      log: () => undefined,
      env: {},
      homeDir: home,
    });
    const m = await missing.forCluster(remote);
    assert.ok('unavailable' in m && /does not exist: fix the configured kubeconfig path/.test(m.unavailable));
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  assert.equal(k8sLoaded(), false);
});

test('the local cluster never asks Kubernetes', async () => {
  let asked = 0;
  const svc = new K8sPodsService({
    kubeconfig: () => {
      asked++;
      return '';
    },
    log: () => undefined,
    connect: async () => {
      asked++;
      return { unavailable: 'x' };
    },
  });
  const c = await svc.forCluster({ ...remote, id: 'local', source: 'local' });
  assert.ok('unavailable' in c);
  assert.equal(asked, 0);
  assert.equal(k8sLoaded(), false);
});

test("where: the cluster entry's kubeconfig/context/namespace, else the global setting, else kubectl's rules", () => {
  let global = '';
  const svc = new K8sPodsService({ kubeconfig: () => global, log: () => undefined, homeDir: '/h' });
  assert.deepEqual(svc.whereFor(remote), {}); // nothing set: no path, so the engine applies the KUBECONFIG list merge
  global = '/g/config';
  assert.deepEqual(svc.whereFor(remote), { kubeconfig: '/g/config' });
  assert.deepEqual(svc.whereFor({ ...remote, k8s: { kubeconfig: '~/own', context: 'prod-ctx', namespace: 'ais' } }), {
    kubeconfig: join('/h', 'own'),
    context: 'prod-ctx',
    namespace: 'ais',
  });
  assert.deepEqual(svc.whereFor({ ...remote, k8s: { namespace: 'ais' } }), {
    kubeconfig: '/g/config',
    namespace: 'ais',
  });
});

test('cluster settings carry kubeconfig, context and namespace', () => {
  const { clusters, problems } = parseClusterSettings([
    { name: 'p', endpoint: 'http://a:1', kubeconfig: ' /k ', context: 'c', namespace: 'ais' },
    { endpoint: 'http://b:1', context: '' },
  ]);
  assert.deepEqual(problems, []);
  assert.deepEqual(clusters, [
    { name: 'p', endpoint: 'http://a:1', k8s: { kubeconfig: '/k', context: 'c', namespace: 'ais' } },
    { name: 'b:1', endpoint: 'http://b:1' },
  ]);
});

test('one connection per (kubeconfig, context, namespace); failures are kept until Refresh (forgetFailures)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aisetl-kc-'));
  const kc = join(dir, 'config');
  writeFileSync(kc, 'apiVersion: v1\nkind: Config\n');
  try {
    const seen: K8sWhere[] = [];
    let fail = true;
    const svc = new K8sPodsService({
      kubeconfig: () => kc,
      log: () => undefined,
      connect: async (w) => {
        seen.push({ kubeconfig: w.kubeconfig, context: w.context, namespace: w.namespace });
        return fail
          ? { unavailable: 'Unauthorized (401): the token expired' }
          : fakePodsApi({ namespace: w.namespace ?? 'default', context: 'c' });
      },
    });
    const a = { ...remote, k8s: { namespace: 'ais' } };
    const b = { ...remote, id: 'b', k8s: { namespace: 'other' } };
    await svc.forCluster(a);
    await svc.forCluster(a);
    await svc.forCluster(b);
    assert.deepEqual(seen, [
      { kubeconfig: kc, context: undefined, namespace: 'ais' },
      { kubeconfig: kc, context: undefined, namespace: 'other' },
    ]);
    fail = false;
    assert.ok('unavailable' in (await svc.forCluster(a)), 'still the remembered failure');
    svc.forgetFailures();
    const ok = await svc.forCluster(a);
    assert.ok(!('unavailable' in ok));
    assert.equal(seen.length, 3);
    svc.forgetFailures(); // a working connection is kept
    await svc.forCluster(a);
    assert.equal(seen.length, 4 - 1);
    svc.reset();
    await svc.forCluster(a);
    assert.equal(seen.length, 4);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
