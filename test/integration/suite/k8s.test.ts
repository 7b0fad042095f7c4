// Kubernetes in the Clusters explorer, in a real VS Code: a fake kube-apiserver on loopback plays the cluster where
// AIS runs its ETL pods, and a second entry for the local AIS cluster (same server, another URL) plays the
// "non-local" cluster. The extension reaches the fake through `aistore.kubernetes.kubeconfig`.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { etlPod, FakeApiserver, podEvent, tempKubeconfig, until } from '../../unit/engine/k8s/fake-apiserver';
import { attempt, localCluster, run, tutorialFiles } from './_helpers';
import type { AistoreApi } from '../../../src/extension';
import type { TreeNode } from '../../../src/views/treeNodes';

const CLUSTER = 'k8s-fake';
const ETL = 'k8s-md5';

suite('Kubernetes pods in the explorer', function () {
  this.timeout(180_000);
  let a: AistoreApi;
  let fake: FakeApiserver;
  let kc: ReturnType<typeof tempKubeconfig>;
  let files: ReturnType<typeof tutorialFiles>;
  let targets: string[];
  const cfg = () => vscode.workspace.getConfiguration('aistore');

  suiteSetup(async () => {
    const local = await localCluster();
    a = local.api;
    fake = await new FakeApiserver().start();
    kc = tempKubeconfig(fake.url, { namespace: 'ais' });
    files = tutorialFiles();
    await run('aistore.deployEtl', {
      uri: vscode.Uri.file(files.code),
      cluster: 'local',
      name: ETL,
      commType: 'hpush',
    });
    const { client } = await a.services.clientFor('local');
    targets = (await client.clusterMap!()).targets.map((t) => t.id).sort();
    for (const t of targets) {
      fake.putPod(etlPod({ etl: ETL, target: t, ready: true, node: 'node-a' }));
      fake.appendLog('ais', `${ETL}-${t.toLowerCase()}`, `started on ${t}\n`);
    }
    await cfg().update('kubernetes.kubeconfig', kc.path, vscode.ConfigurationTarget.Global);
    await cfg().update(
      'clusters',
      [{ name: CLUSTER, endpoint: local.endpoint.replace('127.0.0.1', 'localhost') }],
      vscode.ConfigurationTarget.Global,
    );
    a.services.registry.reload();
  });

  suiteTeardown(async () => {
    if (!a) return;
    await cfg().update('clusters', undefined, vscode.ConfigurationTarget.Global);
    await cfg().update('kubernetes.kubeconfig', undefined, vscode.ConfigurationTarget.Global);
    const { client } = await a.services.clientFor('local');
    await client.stopEtl(ETL).catch(() => undefined);
    await client.deleteEtl(ETL).catch(() => undefined);
    await client.deleteEtl('k8s-bad').catch(() => undefined);
    await fake?.close();
    kc?.cleanup();
    files?.cleanup();
  });

  async function etlNode(clusterId: string, etl = ETL): Promise<TreeNode> {
    const cluster = (await a.clustersTree.getChildren()).find((n) => n.clusterId === clusterId);
    assert.ok(cluster, `${clusterId} in the tree`);
    const [, etls] = await a.clustersTree.getChildren(cluster);
    const node = (await a.clustersTree.getChildren(etls)).find((n) => n.kind === 'etl' && n.etlName === etl);
    assert.ok(node, `${etl} under ${clusterId}`);
    return node;
  }

  test('a non-local cluster shows one node per pod from Kubernetes; the local cluster shows its workers', async () => {
    const kids = await a.clustersTree.getChildren(await etlNode(CLUSTER));
    const pods = kids.filter((k) => k.kind === 'etlPod');
    // Sorted here, because the random target ids may be ordered differently by the engine (localeCompare).
    assert.deepEqual(pods.map((p) => p.label).sort(), targets.map((t) => `${ETL}-${t.toLowerCase()}`).sort());
    for (const p of pods) assert.match(p.description ?? '', /^Running · ready · 0 restarts · node-a · \d+[smhd]$/);
    const item = a.clustersTree.getTreeItem(pods[0]);
    assert.equal(item.contextValue, 'etlPod');
    const localKids = await a.clustersTree.getChildren(await etlNode('local'));
    assert.ok(
      localKids.every((k) => k.kind !== 'etlPod' && k.kind !== 'info'),
      localKids.map((k) => k.kind).join(','),
    );
  });

  test('the watch updates the pods while the node is expanded; a failing pod shows why; collapse stops the watch', async () => {
    const node = await etlNode(CLUSTER);
    await a.clustersView.reveal(node, { expand: true });
    await until(() => fake.watcherCount() > 0, 'the pod watch is open', 30_000);
    const sick = `${ETL}-${targets[0].toLowerCase()}`;
    fake.events.push(podEvent('ais', sick, 'BackOff', 'Back-off restarting failed container'));
    fake.previousLogs.set(
      `ais/${sick}`,
      'Traceback (most recent call last):\nModuleNotFoundError: No module named numpy\n',
    );
    fake.putPod(
      etlPod({
        etl: ETL,
        target: targets[0],
        phase: 'Running',
        restarts: 4,
        waiting: { reason: 'CrashLoopBackOff', message: 'back-off 1m20s restarting failed container' },
        lastTerminated: { exitCode: 1, reason: 'Error' },
      }),
    );
    let failing: TreeNode | undefined;
    for (let i = 0; i < 300 && !failing; i++) {
      failing = (await a.clustersTree.getChildren(node)).find(
        (k) => k.label === sick && k.contextValue === 'etlPod.failing',
      );
      if (!failing) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(failing, 'the failing pod shows up through the watch');
    assert.equal(failing.icon, 'error');
    assert.match(failing.tooltip ?? '', /No module named numpy/);
    assert.match(failing.description ?? '', /CrashLoopBackOff.*4 restarts/);

    await vscode.commands.executeCommand('workbench.actions.treeView.aistore.clusters.collapseAll');
    await until(
      () => fake.watcherCount() === 0 && a.tree.watchedEtls().length === 0,
      'the watch stopped after collapse',
      30_000,
    );
    fake.putPod(etlPod({ etl: ETL, target: targets[0], ready: true, node: 'node-a' }));
  });

  test('pod menu: explain (markdown), describe (read-only YAML), follow logs in its own channel, delete', async () => {
    const pod = `${ETL}-${targets[0].toLowerCase()}`;
    const text = await run<string>('aistore.explainPod', { cluster: CLUSTER, etl: ETL, pod });
    assert.match(text, new RegExp(`Pod ${pod}`));
    assert.equal(vscode.window.activeTextEditor?.document.languageId, 'markdown');
    const yaml = await run<string>('aistore.describePod', { cluster: CLUSTER, pod });
    assert.match(yaml, /kind: Pod/);
    assert.doesNotMatch(yaml, /managedFields/);
    const doc = vscode.window.activeTextEditor?.document;
    assert.equal(doc?.languageId, 'yaml');
    assert.equal(doc?.uri.scheme, 'aistore-report');

    assert.equal(await run<boolean>('aistore.followPodLogs', { cluster: CLUSTER, etl: ETL, pod }), true);
    await until(() => fake.followerCount() === 1, 'following the pod log');
    assert.equal(
      await vscode.commands.executeCommand('aistore.followPodLogs', { cluster: CLUSTER, pod }),
      false,
      'again = stop',
    );
    await until(() => fake.followerCount() === 0, 'the follow stopped');

    assert.equal(await run<boolean>('aistore.followEtlLogs', { cluster: CLUSTER, etl: ETL }), true);
    await until(() => fake.followerCount() === targets.length, 'following every target');
    assert.equal(await vscode.commands.executeCommand('aistore.followEtlLogs', { cluster: CLUSTER, etl: ETL }), false);
    await until(() => fake.followerCount() === 0, 'all follows stopped');

    const last = `${ETL}-${targets.at(-1)!.toLowerCase()}`;
    assert.equal(await run<boolean>('aistore.deletePod', { cluster: CLUSTER, pod: last, confirm: false }), true);
    assert.ok(!fake.pods.has(`ais/${last}`));
  });

  test('Kubernetes not reachable: one info line, then what AIS reports', async () => {
    await cfg().update('kubernetes.kubeconfig', `${kc.dir}/missing-config`, vscode.ConfigurationTarget.Global);
    try {
      const kids = await a.clustersTree.getChildren(await etlNode(CLUSTER));
      assert.equal(kids.filter((k) => k.kind === 'info').length, 1);
      assert.match(
        kids[0].label,
        /^Kubernetes not reachable: Kubeconfig .*missing-config does not exist.* — showing what AIS reports$/,
      );
      assert.deepEqual(
        kids
          .filter((k) => k.kind === 'etlTarget')
          .map((k) => k.targetId)
          .sort(),
        targets,
      );
    } finally {
      await cfg().update('kubernetes.kubeconfig', kc.path, vscode.ConfigurationTarget.Global);
    }
  });

  test("deploy on a Kubernetes cluster: a stuck pod's explanation is in the failure message", async () => {
    for (const t of targets)
      fake.putPod(
        etlPod({
          etl: 'k8s-bad',
          target: t,
          image: 'nope/md5:v9',
          waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nope/md5:v9"' },
        }),
      );
    fake.events.push(
      podEvent(
        'ais',
        `k8s-bad-${targets[0].toLowerCase()}`,
        'Failed',
        'Failed to pull image "nope/md5:v9": repository does not exist or may require authorization',
      ),
    );
    const bad = `${files.dir}/bad_import.py`;
    require('node:fs').writeFileSync(
      bad,
      'import no_such_module_for_aisetl\n\ndef transform(data):\n    return data\n',
    );
    const { result, error } = await attempt('aistore.deployEtl', {
      uri: vscode.Uri.file(bad),
      cluster: CLUSTER,
      name: 'k8s-bad',
      initTimeout: '30s',
    });
    assert.equal(result, undefined);
    const msg = error ?? '';
    assert.match(msg, /Deploy ETL failed: ETL k8s-bad did not start/);
    assert.match(msg, /Pod status: .*k8s-bad-.*nope\/md5:v9/s);
  });

  test('discovery: pick a cluster reached by port-forward; it is added with its endpoint; Stop port-forward ends it', async () => {
    fake.aistores = [
      {
        apiVersion: 'ais.nvidia.com/v1beta1',
        kind: 'AIStore',
        metadata: { name: 'aisx', namespace: 'ais' },
        spec: { size: 1, proxySpec: { servicePort: 51080 } },
        status: { state: 'Ready' },
      },
    ];
    fake.services = [
      {
        metadata: {
          name: 'aisx-proxy',
          namespace: 'ais',
          labels: { app: 'aisx', 'app.kubernetes.io/name': 'aisx', 'app.kubernetes.io/component': 'proxy-svc' },
        },
        spec: {
          type: 'ClusterIP',
          clusterIP: 'None',
          selector: { 'app.kubernetes.io/name': 'aisx', 'app.kubernetes.io/component': 'proxy' },
          ports: [{ name: 'pub', port: 51080, targetPort: 51080 }],
        },
        status: { loadBalancer: {} },
      },
    ];
    fake.putPod({
      metadata: {
        name: 'aisx-proxy-0',
        namespace: 'ais',
        labels: { 'app.kubernetes.io/name': 'aisx', 'app.kubernetes.io/component': 'proxy' },
      },
      spec: {
        containers: [
          { name: 'ais-node', image: 'aistorage/aisnode', ports: [{ name: 'public', containerPort: 51080 }] },
        ],
      },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
    });
    const added = await run<{ name: string; endpoint: string; how: string }>('aistore.discoverClusters', {
      pick: 'aisx',
    });
    assert.equal(added.how, 'port-forward');
    assert.match(added.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    const entry = (
      cfg().get('clusters') as { name: string; endpoint: string; namespace?: string; context?: string }[]
    ).find((c) => c.endpoint === added.endpoint);
    assert.deepEqual(entry && { name: entry.name, namespace: entry.namespace, context: entry.context }, {
      name: 'aisx',
      namespace: 'ais',
      context: 'fake',
    });
    assert.equal(a.services.portForwards.size, 1);
    // Found again (e.g. after a window reload): the same entry follows the new forward, the old forward is closed.
    const again = await run<{ endpoint: string }>('aistore.discoverClusters', { pick: 'ais/aisx' });
    assert.notEqual(again.endpoint, added.endpoint);
    assert.deepEqual(
      (cfg().get('clusters') as { name: string; endpoint: string }[])
        .filter((c) => c.name === 'aisx')
        .map((c) => c.endpoint),
      [again.endpoint],
    );
    assert.deepEqual(a.services.portForwards.urls(), [again.endpoint]);
    assert.equal(await run<number>('aistore.stopPortForward', { endpoint: again.endpoint }), 1);
    assert.equal(a.services.portForwards.size, 0);
  });
});
