import { test } from 'node:test';
import assert from 'node:assert/strict';
import { K8sPodsService } from '../../../src/services/k8sPods';

const remote = { id: 'prod', name: 'prod', endpoint: 'http://ais:51080', source: 'settings' as const };

test('no kubeconfig: no pods, and the Kubernetes client is never loaded', async () => {
  const logs: string[] = [];
  const svc = new K8sPodsService(() => '/nonexistent/kubeconfig', (m) => logs.push(m));
  const saved = process.env.KUBECONFIG;
  process.env.KUBECONFIG = '/nonexistent/kubeconfig';
  try {
    assert.equal(await svc.pods(remote, 'md5'), undefined);
    assert.equal(await svc.podsApi(), undefined);
  } finally {
    if (saved === undefined) delete process.env.KUBECONFIG; else process.env.KUBECONFIG = saved;
  }
  assert.ok(!Object.keys(require.cache).some((k) => k.includes('@kubernetes/client-node')));
});

test('the local cluster never asks Kubernetes', async () => {
  let asked = 0;
  const svc = new K8sPodsService(() => { asked++; return ''; }, () => undefined);
  assert.equal(await svc.pods({ ...remote, id: 'local', source: 'local' }, 'md5'), undefined);
  assert.equal(asked, 0);
});
