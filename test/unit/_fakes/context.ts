// A command context for unit tests: real registry, tree model and documents over fake clients, the fake window, and a
// record of what was logged. Clusters are the fake `aistore.clusters` setting. Import it before modules that load
// `vscode`: it installs the stand-in.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { config } from './vscode';
import { ReportDocuments } from '../../../src/editors/reportDocuments';
import { ResultDocuments } from '../../../src/editors/resultDocuments';
import type { CommandContext } from '../../../src/commands/context';
import { ErrorReporter } from '../../../src/commands/errorReporter';
import { LogChannels } from '../../../src/commands/logChannels';
import { ClusterRegistry } from '../../../src/services/clusterRegistry';
import { DeployedEtls } from '../../../src/services/deployedEtls';
import { etl, type ClusterClient } from '../../../src/services/engine';
export { fakeClient } from './client';
import { K8sPodsService } from '../../../src/services/k8sPods';
import { LocalClusterManager } from '../../../src/services/localCluster';
import { PortForwards } from '../../../src/services/portForwards';
import { ClustersTreeModel } from '../../../src/views/treeModel';
import { FakeChannel } from './window';

let seq = 0;

export interface TestContext {
  ctx: CommandContext;
  log: FakeChannel;
  secrets: Map<string, string>;
}

/** The part of VS Code's extension context the commands use: secrets kept in `secrets`, no global state. */
function extensionContext(secrets: Map<string, string>) {
  return {
    secrets: {
      get: async (k: string) => secrets.get(k),
      store: async (k: string, v: string) => {
        secrets.set(k, v);
      },
      delete: async (k: string) => {
        secrets.delete(k);
      },
    },
    globalState: { get: () => undefined, update: async () => undefined },
  };
}

/** A local-cluster manager pointing nowhere: command tests never start a local cluster. */
function unusedLocalCluster(): LocalClusterManager {
  return new LocalClusterManager({
    cliPath: '/nonexistent',
    stateFile: '/nonexistent/state.json',
    dataDir: () => '/nonexistent',
    targets: () => 1,
    log: () => undefined,
  });
}

/** `clusters` becomes the `aistore.clusters` setting; every cluster answers with `client`. */
export function commandContext(
  client: ClusterClient,
  clusters: { name: string; endpoint: string }[] = [],
): TestContext {
  const log = new FakeChannel('AIStore ETL');
  config.clusters = [...clusters];
  const secrets = new Map<string, string>();
  const registry = new ClusterRegistry({
    readInputs: () => ({ settings: config.clusters }),
    getToken: async () => undefined,
    createClient: () => client,
  });
  const k8s = new K8sPodsService({ kubeconfig: () => '', log: () => undefined, env: {}, homeDir: '/nonexistent' });
  const tree = new ClustersTreeModel({
    clusters: () => registry.list(),
    client: (id) => registry.client(id),
    pageSize: () => 100,
  });
  const context = extensionContext(secrets);
  const ctx: CommandContext = {
    context,
    log,
    registry,
    k8s,
    etl,
    tree,
    deployed: new DeployedEtls(),
    runner: {
      run: async () => {
        throw new Error('fake runner: not expected in this test');
      },
    },
    local: unusedLocalCluster(),
    portForwards: new PortForwards(),
    cliPath: '/nonexistent',
    tokenKey: (e) => `aistore.token:${e}`,
    clientFor: async (cluster) => {
      const entry = registry.resolve(cluster);
      return { entry, client: await registry.client(entry.id) };
    },
    results: new ResultDocuments(join(tmpdir(), `aisetl-test-results-${process.pid}-${++seq}`), () => 1 << 20),
    reports: new ReportDocuments(),
    logChannels: new LogChannels(),
    errors: new ErrorReporter(log),
  };
  return { ctx, log, secrets };
}
