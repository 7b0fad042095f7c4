import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { K8sEtlPods, listContexts } from '../../../../src/engine/k8s/index';
import { FakeApiserver, tempKubeconfig } from './fake-apiserver';

const isUnavailable = (x: unknown): x is { unavailable: string } =>
  typeof (x as { unavailable?: unknown })?.unavailable === 'string';

describe('kubeconfig loading and access', () => {
  let fake: FakeApiserver;
  const cleanups: (() => void)[] = [];
  const kubeconfig = (o: Parameters<typeof tempKubeconfig>[1] = {}) => {
    const k = tempKubeconfig(fake.url, o);
    cleanups.push(k.cleanup);
    return k;
  };
  before(async () => {
    fake = await new FakeApiserver().start();
  });
  after(async () => {
    for (const c of cleanups) c();
    await fake.close();
  });

  it('says plainly when there is no kubeconfig at all', async () => {
    const home = mkdtempSync(join(tmpdir(), 'aisetl-home-'));
    cleanups.push(() => rmSync(home, { recursive: true, force: true }));
    const r = await K8sEtlPods.fromKubeconfig({ env: {}, homeDir: home });
    assert.ok(isUnavailable(r));
    assert.match(r.unavailable, /No kubeconfig found/);
    assert.match(r.unavailable, new RegExp(join(home, '.kube', 'config').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.doesNotMatch(r.unavailable, /\n/);
  });

  it('reports an explicit kubeconfig path that does not exist', async () => {
    const r = await K8sEtlPods.fromKubeconfig({ kubeconfigPath: '/nonexistent/kube.yaml' });
    assert.ok(isUnavailable(r));
    assert.match(r.unavailable, /\/nonexistent\/kube\.yaml does not exist/);
  });

  it('reports kubeconfig files that are not valid YAML', async () => {
    const k = kubeconfig({ raw: 'clusters: [\n  - name: x\n  cluster: {{{' });
    const r = await K8sEtlPods.fromKubeconfig({ kubeconfigPath: k.path });
    assert.ok(isUnavailable(r));
    assert.match(r.unavailable, /could not be read/);
    assert.match(r.unavailable, /fix the file/);
    assert.equal(fake.requests.length, 0);
  });

  it('uses the KUBECONFIG list (missing entries skipped) and the namespace of the context', async () => {
    const k = kubeconfig({ namespace: 'ais' });
    const r = await K8sEtlPods.fromKubeconfig({ env: { KUBECONFIG: ['/nonexistent/a', k.path].join(delimiter) } });
    assert.ok(r instanceof K8sEtlPods, isUnavailable(r) ? r.unavailable : '');
    assert.equal(r.namespace, 'ais');
    assert.equal(r.context, 'fake');
    const probe = fake.requests.at(-1)!;
    assert.equal(probe.path, '/api/v1/namespaces/ais/pods');
    assert.equal(probe.query.get('labelSelector'), 'app.kubernetes.io/name=etl,app=ais');
  });

  it('merges a KUBECONFIG list like kubectl: the first file wins, later files add contexts', async () => {
    const first = kubeconfig({ namespace: 'first-ns' });
    const second = tempKubeconfig('http://127.0.0.1:9', {
      context: 'fake',
      extraContext: 'only-in-second',
      namespace: 'second-ns',
    });
    cleanups.push(second.cleanup);
    const env = { KUBECONFIG: [first.path, second.path].join(delimiter) };
    const r = await K8sEtlPods.fromKubeconfig({ env });
    assert.ok(r instanceof K8sEtlPods);
    assert.equal(r.namespace, 'first-ns');
    assert.equal(r.server, fake.url);
    const extra = await K8sEtlPods.fromKubeconfig({ env, context: 'only-in-second' });
    assert.ok(extra instanceof K8sEtlPods, isUnavailable(extra) ? extra.unavailable : '');
    assert.equal(extra.namespace, 'other');
  });

  it('finds ~/.kube/config when KUBECONFIG is unset; namespace override wins; default namespace is "default"', async () => {
    const home = mkdtempSync(join(tmpdir(), 'aisetl-home-'));
    cleanups.push(() => rmSync(home, { recursive: true, force: true }));
    const k = kubeconfig();
    const { mkdirSync, copyFileSync } = await import('node:fs');
    mkdirSync(join(home, '.kube'));
    copyFileSync(k.path, join(home, '.kube', 'config'));
    const plain = await K8sEtlPods.fromKubeconfig({ env: {}, homeDir: home });
    assert.ok(plain instanceof K8sEtlPods);
    assert.equal(plain.namespace, 'default');
    const over = await K8sEtlPods.fromKubeconfig({ env: {}, homeDir: home, namespace: 'team-a', probe: false });
    assert.ok(over instanceof K8sEtlPods);
    assert.equal(over.namespace, 'team-a');
  });

  it('switches to a chosen context and rejects an unknown one, naming the choices', async () => {
    const k = kubeconfig({ extraContext: 'second' });
    const second = await K8sEtlPods.fromKubeconfig({ kubeconfigPath: k.path, context: 'second' });
    assert.ok(second instanceof K8sEtlPods);
    assert.equal(second.namespace, 'other');
    const bad = await K8sEtlPods.fromKubeconfig({ kubeconfigPath: k.path, context: 'nope' });
    assert.ok(isUnavailable(bad));
    assert.match(bad.unavailable, /context "nope" is not in/);
    assert.match(bad.unavailable, /fake, second/);
    const ctxs = listContexts({ kubeconfigPath: k.path });
    assert.ok(!isUnavailable(ctxs));
    assert.deepEqual(
      ctxs.contexts.map((c) => c.name),
      ['fake', 'second'],
    );
    assert.equal(ctxs.current, 'fake');
  });

  it('turns an expired token (401) into one line that says to refresh credentials', async () => {
    const k = kubeconfig({ token: 'expired-token' });
    const r = await K8sEtlPods.fromKubeconfig({ kubeconfigPath: k.path });
    assert.ok(isUnavailable(r));
    assert.match(r.unavailable, /401 Unauthorized/);
    assert.match(r.unavailable, /refresh them/);
    assert.doesNotMatch(r.unavailable, /\n/);
  });

  it('turns forbidden (403) into one line naming the namespace and the server message', async () => {
    fake.forbidden = [{ path: /^\/api\/v1\/namespaces\/locked\/pods/ }];
    try {
      const k = kubeconfig({ namespace: 'locked' });
      const r = await K8sEtlPods.fromKubeconfig({ kubeconfigPath: k.path });
      assert.ok(isUnavailable(r));
      assert.match(r.unavailable, /may not list pods in namespace "locked" \(403 Forbidden: .*cannot get/);
      assert.match(r.unavailable, /RBAC/);
    } finally {
      fake.forbidden = [];
    }
  });

  it('reports an unreachable API server instead of throwing', async () => {
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const k = tempKubeconfig(`http://127.0.0.1:${port}`);
    cleanups.push(k.cleanup);
    const r = await K8sEtlPods.fromKubeconfig({ kubeconfigPath: k.path });
    assert.ok(isUnavailable(r));
    assert.match(r.unavailable, /Cannot reach the Kubernetes API http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  });

  it('refuses a kubeconfig whose context names a missing user', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aisetl-k8s-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const p = join(dir, 'config');
    writeFileSync(
      p,
      `current-context: c\nclusters:\n- name: k\n  cluster:\n    server: ${fake.url}\n    insecure-skip-tls-verify: true\ncontexts:\n- name: c\n  context:\n    cluster: k\n    user: ghost\nusers: []\n`,
    );
    const r = await K8sEtlPods.fromKubeconfig({ kubeconfigPath: p });
    assert.ok(isUnavailable(r));
    assert.match(r.unavailable, /user "ghost", which is missing/);
  });
});
