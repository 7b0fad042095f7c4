// The tutorial through the extension against AIStore's own ETL (aisnode v1.5.0 -tags etl) on a real Kubernetes API:
// deploy code.py, one pod per target in the tree (from the apiserver), follow a pod's log, transform shard.in,
// a bucket job, stop leaves no pod. Runs only inside the real-Kubernetes harness
// (`bash test/conformance/k8s/run.sh --vscode`), which sets AISETL_K8S_AIS_ENDPOINT and AISETL_K8S_KUBECONFIG.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, MD5_OF_SHARD, run, SHARD_TEXT, textOf, tutorialFiles } from './_helpers';
import type { AistoreApi } from '../../../src/extension';
import type { TreeNode } from '../../../src/views/treeNodes';

const CLUSTER = 'k8s-real';
const ETL = 'real-md5';
const endpoint = process.env.AISETL_K8S_AIS_ENDPOINT;
const kubeconfig = process.env.AISETL_K8S_KUBECONFIG;

async function until<T>(what: string, ms: number, fn: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

suite('Real AIS ETL on Kubernetes (harness)', function () {
  this.timeout(600_000);
  let a: AistoreApi;
  let files: ReturnType<typeof tutorialFiles>;
  const cfg = () => vscode.workspace.getConfiguration('aistore');

  suiteSetup(async function () {
    // outside the harness every test is reported as pending, as with suite.skip
    if (!endpoint || !kubeconfig) this.skip();
    a = await api();
    files = tutorialFiles();
    await cfg().update('kubernetes.kubeconfig', kubeconfig, vscode.ConfigurationTarget.Global);
    await cfg().update('clusters', [{ name: CLUSTER, endpoint, namespace: 'ais' }], vscode.ConfigurationTarget.Global);
    a.services.registry.reload();
    const { client } = await a.services.clientFor(CLUSTER);
    await client.createBucket('transform').catch(() => undefined);
    await client.putObject('transform', 'shard.in', SHARD_TEXT);
  });

  suiteTeardown(async () => {
    if (!a) return;
    const { client } = await a.services.clientFor(CLUSTER);
    await client.stopEtl(ETL).catch(() => undefined);
    await client.deleteEtl(ETL).catch(() => undefined);
    await cfg().update('clusters', undefined, vscode.ConfigurationTarget.Global);
    await cfg().update('kubernetes.kubeconfig', undefined, vscode.ConfigurationTarget.Global);
    files?.cleanup();
  });

  async function podNodes(): Promise<TreeNode[]> {
    const cluster = (await a.clustersTree.getChildren()).find((n) => n.clusterId === CLUSTER);
    assert.ok(cluster, `${CLUSTER} in the tree`);
    const [, etls] = await a.clustersTree.getChildren(cluster);
    const etl = (await a.clustersTree.getChildren(etls)).find((n) => n.kind === 'etl' && n.etlName === ETL);
    return etl ? (await a.clustersTree.getChildren(etl)).filter((k) => k.kind === 'etlPod') : [];
  }

  test('deploy code.py: aisnode runs it, the tree shows one ready pod per target from the apiserver', async () => {
    await run('aistore.deployEtl', {
      uri: vscode.Uri.file(files.code),
      cluster: CLUSTER,
      name: ETL,
      commType: 'hpush',
    });
    const { client } = await a.services.clientFor(CLUSTER);
    const targets = (await client.clusterMap!()).targets.map((t) => t.id);
    const pods = await until('ready pods in the tree', 60_000, async () => {
      const p = await podNodes();
      return p.length === targets.length && p.every((n) => /Running · ready/.test(n.description ?? '')) ? p : undefined;
    });
    assert.deepEqual(pods.map((p) => p.label).sort(), targets.map((t) => `${ETL}-${t.toLowerCase()}`).sort());
    for (const p of pods) assert.match(p.description ?? '', /ais-node-\d/);
  });

  test("follow a pod's log through the apiserver; run again to stop", async () => {
    const [pod] = await podNodes();
    assert.equal(await run<boolean>('aistore.followPodLogs', { cluster: CLUSTER, etl: ETL, pod: pod.label }), true);
    assert.equal(
      await vscode.commands.executeCommand('aistore.followPodLogs', { cluster: CLUSTER, pod: pod.label }),
      false,
    );
    // "Show logs" goes through AIS, whose targets read their pods' logs from the apiserver
    const shown = await run<{ targetId: string; lines: number }[]>('aistore.showEtlLogs', {
      cluster: CLUSTER,
      etl: ETL,
    });
    assert.equal(shown.length, 2);
    assert.ok(
      shown.every((l) => l.lines > 0),
      JSON.stringify(shown),
    );
    const { client } = await a.services.clientFor(CLUSTER);
    for (const l of await client.etlLogs(ETL)) assert.match(l.logs, /\[pod-runner\] running/);
  });

  test('transform shard.in: the md5 of the tutorial', async () => {
    const r = await run<{ uri: vscode.Uri }>('aistore.transformObject', {
      cluster: CLUSTER,
      bucket: 'transform',
      object: 'shard.in',
      etl: ETL,
    });
    assert.equal((await textOf(r.uri)).trim(), MD5_OF_SHARD);
  });

  test('bucket job: transform → transform-md5 completes', async () => {
    const r = await run<{ job: { objs: number; aborted: boolean; err?: string }; failed: unknown[] }>(
      'aistore.transformBucket',
      { cluster: CLUSTER, src: 'transform', dst: 'transform-md5', etl: ETL },
    );
    assert.equal(r.job.aborted, false, r.job.err);
    assert.equal(r.job.objs, 1);
    assert.deepEqual(r.failed, []);
  });

  test('stop: no pod is left, the tree says so', async () => {
    assert.match(await run<string>('aistore.stopEtl', { cluster: CLUSTER, etl: ETL }), /^(Aborted|Stopped)$/);
    await until('the pods to go', 60_000, async () => ((await podNodes()).length === 0 ? true : undefined));
  });
});
