// Creates the shared services once at activation: engine access and cluster state only (UI state lives with its view
// or editor). Cheap: nothing here talks to a cluster or loads Kubernetes.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type * as vscode from 'vscode';
import { aisetlHome, stateFilesFor } from '../engine/local/state';
import { ClusterRegistry } from './clusterRegistry';
import type { ClusterEntry } from './clusterSources';
import { DeployedEtls } from './deployedEtls';
import { createClient, etl, localRunner, type ClusterClient, type EtlEngine, type LocalRunner } from './engine';
import { K8sPodsService } from './k8sPods';
import { LocalClusterManager } from './localCluster';
import type { UiLog } from './log';
import { PortForwards } from './portForwards';
import { settings } from './settings';

/** What commands keep in VS Code's storage: tokens in the keychain, small lists in global state. */
export interface ExtensionState {
  secrets: Pick<vscode.SecretStorage, 'get' | 'store' | 'delete'>;
  globalState: { get<T>(key: string): T | undefined; update(key: string, value: unknown): Thenable<void> };
}

export interface Services {
  context: ExtensionState;
  log: UiLog;
  registry: ClusterRegistry;
  local: LocalClusterManager;
  k8s: K8sPodsService;
  portForwards: PortForwards;
  etl: EtlEngine;
  /** Which file was deployed under which ETL name (redeploys, tracebacks). */
  deployed: DeployedEtls;
  /** Runs ETL files on this machine (Test on object/file). */
  runner: LocalRunner;
  /** dist/cli.js of this extension (local cluster, local image builds). */
  cliPath: string;
  tokenKey(endpoint: string): string;
  /** The cluster (given, or the active one) and its client; throws a user-facing error when there is none. */
  clientFor(cluster?: string): Promise<{ entry: ClusterEntry; client: ClusterClient }>;
}

export function createServices(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Services {
  const tokenKey = (endpoint: string) => `aistore.token:${endpoint}`;
  const registry = new ClusterRegistry({
    readInputs: () => ({
      settings: settings.clusters(),
      env: process.env.AIS_ENDPOINT,
      cliConfigText: readCliConfig(),
      localName: settings.localName(),
    }),
    getToken: async (endpoint) => (await context.secrets.get(tokenKey(endpoint))) ?? undefined,
    createClient,
    log: (m) => log.warn(m),
  });
  const k8s = new K8sPodsService({ kubeconfig: settings.kubeconfig, log: (m) => log.info(m) });
  const cliPath = join(context.extensionPath, 'dist', 'cli.js');
  // The CLI's default folder: a cluster started in a terminal and one started here are the same cluster.
  const localDataDir = () => settings.localDataDir() || join(aisetlHome(), 'data');
  const local = new LocalClusterManager({
    cliPath,
    stateFile: join(context.globalStorageUri.fsPath, 'local-cluster.json'),
    // A cluster started in a terminal (`aisetl local start`) is found through the CLI's own state files.
    cliStateFiles: () => stateFilesFor(localDataDir()),
    dataDir: localDataDir,
    name: settings.localName,
    targets: settings.localTargets,
    aisVersion: settings.localAisVersion,
    log: (line) => log.info(`[local] ${line}`),
  });
  return {
    context,
    log,
    registry,
    local,
    k8s,
    portForwards: new PortForwards(),
    etl,
    cliPath,
    tokenKey,
    deployed: new DeployedEtls(context.globalState),
    runner: localRunner,
    async clientFor(cluster) {
      const entry = registry.resolve(cluster);
      return { entry, client: await registry.client(entry.id) };
    },
  };
}

function readCliConfig(): string | undefined {
  const dir =
    process.env.AIS_CONFIG_DIR ?? join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'ais', 'cli');
  try {
    return readFileSync(join(dir, 'cli.json'), 'utf8');
  } catch {
    return undefined;
  }
}
