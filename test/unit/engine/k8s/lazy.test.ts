import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const clientNodeModules = () => Object.keys(require.cache).filter((k) => k.includes('@kubernetes/client-node')).length;

describe('lazy loading of the Kubernetes room', () => {
  it('lazy.ts and locate.ts load nothing of @kubernetes/client-node; loadK8s() does', async () => {
    assert.equal(clientNodeModules(), 0, 'this test file must not import the k8s index statically');
    const { loadK8s } = require('../../../../src/engine/k8s/lazy') as typeof import('../../../../src/engine/k8s/lazy');
    // locate.ts answers "is there a kubeconfig at all?" before anyone pays for the chunk.
    const { kubeconfigFiles } =
      require('../../../../src/engine/k8s/locate') as typeof import('../../../../src/engine/k8s/locate');
    assert.match(
      (kubeconfigFiles({ env: {}, homeDir: '/nonexistent' }) as { unavailable: string }).unavailable,
      /No kubeconfig found/,
    );
    assert.equal(clientNodeModules(), 0);
    const k8s = await loadK8s();
    assert.equal(typeof k8s.K8sEtlPods.fromKubeconfig, 'function');
    assert.ok(clientNodeModules() > 0);
  });

  it('lazy.ts keeps the exact import("./index") that scripts/build.mjs rewrites to dist/k8s.js', () => {
    // Layout is Prettier's: compare with whitespace collapsed.
    const src = readFileSync(join(__dirname, '../../../../src/engine/k8s/lazy.ts'), 'utf8').replace(/\s+/g, ' ').trim();
    assert.equal(src, "export function loadK8s(): Promise<typeof import('./index')> { return import('./index'); }");
  });
});
