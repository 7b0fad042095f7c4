// A node:test suite's fake API server (kept apart from fake-apiserver.ts, which the VS Code host suites load too).
import { after, before } from 'node:test';
import type { K8sEtlPods } from '../../../../src/engine/k8s/index';
import { connectToFake, type FakeApiserver } from './fake-apiserver';

/**
 * Call inside a describe: before its first test a fake API server starts and a K8sEtlPods connects to it (namespace
 * `ns`), handed to `got`; after its last test both are closed.
 */
export function fakeApiserverForSuite(ns: string, got: (c: { fake: FakeApiserver; k8s: K8sEtlPods }) => void): void {
  let c: Awaited<ReturnType<typeof connectToFake>> | undefined;
  before(async () => {
    c = await connectToFake(ns);
    got(c);
  });
  after(async () => {
    c?.cleanup();
    await c?.fake.close();
  });
}
