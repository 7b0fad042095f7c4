// Creates the shared services once at activation. Cheap: nothing here talks to a cluster or loads Kubernetes.
import { readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ReportDocuments } from '../editors/reportDocuments';
import { ResultDocuments } from '../editors/resultDocuments';
import { removeStaleResultDirs } from '../editors/resultFiles';
import { ClustersTreeModel } from '../views/treeModel';
import { ClusterRegistry } from './clusterRegistry';
import type { ClusterEntry } from './clusterSources';
import { createClient, etl, type EtlEngine } from './engine';
import type { ClusterClient } from './engineTypes';
import { K8sPodsService } from './k8sPods';
import { LocalClusterManager } from './localCluster';
import { settings } from './settings';

const RESULT_DIR_PREFIX = 'aistore-etl-results-';

export interface Services {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  registry: ClusterRegistry;
  tree: ClustersTreeModel;
  local: LocalClusterManager;
  k8s: K8sPodsService;
  /** Port-forwards started by "Find AIS clusters in Kubernetes", alive while the window lives. */
  portForwards: Map<string, { url: string; dispose(): Promise<void> }>;
  results: ResultDocuments;
  reports: ReportDocuments;
  /** The last error a command reported (integration tests read it). */
  lastError?: { command: string; message: string };
  etl: EtlEngine;
  /** dist/cli.js of this extension (local cluster, local image builds). */
  cliPath: string;
  tokenKey(endpoint: string): string;
  /** The cluster (given, or the active one) and its client; throws a user-facing error when there is none. */
  clientFor(cluster?: string): Promise<{ entry: ClusterEntry; client: ClusterClient }>;
}

export function createServices(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Services {
  const tokenKey = (endpoint: string) => `aistore.token:${endpoint}`;
  const registry = new ClusterRegistry({
    readInputs: () => ({ settings: settings.clusters(), env: process.env.AIS_ENDPOINT, cliConfigText: readCliConfig() }),
    getToken: async (endpoint) => (await context.secrets.get(tokenKey(endpoint))) ?? undefined,
    createClient,
    log: (m) => log.warn(m),
  });
  const k8s = new K8sPodsService({ kubeconfig: settings.kubeconfig, log: (m) => log.info(m) });
  const tree = new ClustersTreeModel({
    clusters: () => registry.list(),
    client: (id) => registry.client(id),
    pageSize: settings.listPageSize,
    k8s: (c) => k8s.forCluster(c),
    log: (m) => log.warn(m),
  });
  const storage = context.globalStorageUri.fsPath;
  const cliPath = join(context.extensionPath, 'dist', 'cli.js');
  const localDataDir = () => settings.localDataDir() || join(storage, 'local');
  const local = new LocalClusterManager({
    cliPath,
    stateFile: join(storage, 'local-cluster.json'),
    cliStateFiles: () => [join(localDataDir(), 'aisetl-local.json'), join(process.env.AISETL_HOME || join(homedir(), '.aisetl'), 'aisetl-local.json')],
    dataDir: localDataDir,
    targets: settings.localTargets,
    log: (line) => log.info(`[local] ${line}`),
  });
  const results = new ResultDocuments(join(tmpdir(), `${RESULT_DIR_PREFIX}${process.pid}`), settings.maxOpenBytes);
  void removeStaleResultDirs(tmpdir(), RESULT_DIR_PREFIX);
  return {
    context, log, registry, tree, local, k8s, portForwards: new Map(), results, reports: new ReportDocuments(), etl, cliPath, tokenKey,
    async clientFor(cluster) {
      const entry = registry.resolve(cluster);
      return { entry, client: await registry.client(entry.id) };
    },
  };
}

function readCliConfig(): string | undefined {
  const dir = process.env.AIS_CONFIG_DIR ?? join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'ais', 'cli');
  try { return readFileSync(join(dir, 'cli.json'), 'utf8'); } catch { return undefined; }
}
