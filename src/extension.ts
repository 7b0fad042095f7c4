// Activation only wires things: services, views, editors, providers, commands. Nothing here talks to a cluster or
// loads the Kubernetes client; the tree asks clusters for data only when the user expands it.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { registerDebugging } from './debug';
import type { CommandContext } from './commands/context';
import { ErrorReporter, type ReportedError } from './commands/errorReporter';
import { LogChannels } from './commands/logChannels';
import { nodeClick } from './commands/nodeCommands';
import { deployEtl } from './commands/deploy';
import { testOnFile, testOnObject } from './commands/testEtl';
import { AIS_SCHEME, AisFileSystemProvider } from './editors/aisFileSystem';
import { FileLineLinks } from './editors/fileLinks';
import { REPORT_SCHEME, ReportDocuments } from './editors/reportDocuments';
import { RESULT_SCHEME, ResultDocuments } from './editors/resultDocuments';
import { removeStaleResultDirs } from './editors/resultFiles';
import { registerLanguageFeatures } from './language';
import { createServices, type Services } from './services';
import { createLog } from './services/log';
import { settings } from './services/settings';
import { ClustersTreeProvider } from './views/clustersTree';
import { createClusterStatusBar } from './views/statusBar';
import { ClustersTreeModel } from './views/treeModel';
import type { TreeNode } from './views/treeNodes';

/** Returned from activate(): the tree, the services, and every command error as the user saw it. */
export interface AistoreApi {
  clustersTree: ClustersTreeProvider;
  clustersView: vscode.TreeView<TreeNode>;
  tree: ClustersTreeModel;
  services: Services;
  onDidReportError: vscode.Event<ReportedError>;
}

const RESULT_DIR_PREFIX = 'aistore-etl-results-';
let owned: { results: ResultDocuments; services: Services } | undefined;

export function activate(context: vscode.ExtensionContext): AistoreApi {
  const log = createLog();
  const s = createServices(context, log);
  const tree = new ClustersTreeModel({
    clusters: () => s.registry.list(),
    client: (id) => s.registry.client(id),
    pageSize: settings.listPageSize,
    k8s: (c) => s.k8s.forCluster(c),
    log: (m) => log.warn(m),
    deployedFile: (c, e) => s.deployed.get(c, e)?.file,
    localCluster: () => s.local.identity(),
  });
  const results = new ResultDocuments(join(tmpdir(), `${RESULT_DIR_PREFIX}${process.pid}`), settings.maxOpenBytes);
  void removeStaleResultDirs(tmpdir(), RESULT_DIR_PREFIX);
  const ctx: CommandContext = {
    ...s,
    tree,
    results,
    reports: new ReportDocuments(),
    logChannels: new LogChannels(),
    errors: new ErrorReporter(log),
  };
  const clustersTree = new ClustersTreeProvider(tree, nodeClick);
  const view = vscode.window.createTreeView('aistore.clusters', {
    treeDataProvider: clustersTree,
    showCollapseAll: true,
  });
  context.subscriptions.push(
    log,
    s.registry,
    s.portForwards,
    tree,
    clustersTree,
    view,
    ctx.logChannels,
    ctx.errors,
    ...wireEvents(ctx, view),
    ...registerEditors(ctx),
    createClusterStatusBar(s.registry),
    ...registerCommands(ctx),
  );
  registerLanguageFeatures(context, { log, lensCommands: { deploy: deployEtl, testOnObject, testOnFile } });
  registerDebugging(context, ctx);
  owned = { results, services: s };

  // A local cluster left running by an earlier window shows up without a click (a file read and one loopback probe).
  void s.local.findRunning().then(
    (ep) => {
      if (ep) log.info(`found the local cluster at ${ep}`);
    },
    () => undefined,
  );
  log.info('AIStore ETL activated');
  return { clustersTree, clustersView: view, tree, services: s, onDidReportError: ctx.errors.onDidReport };
}

function wireEvents(ctx: CommandContext, view: vscode.TreeView<TreeNode>): vscode.Disposable[] {
  const { registry, local, k8s, tree, portForwards } = ctx;
  const setContext = (key: string, value: boolean) => void vscode.commands.executeCommand('setContext', key, value);
  const syncClusters = () => setContext('aistore.hasClusters', registry.list().length > 0);
  syncClusters();
  return [
    registry.onDidChange((what) => {
      if (what === 'clusters') {
        syncClusters();
        tree.refresh();
      }
    }),
    local.onDidChange((endpoint) => registry.setLocalEndpoint(endpoint)),
    portForwards.onDidChange((n) => setContext('aistore.hasPortForward', n > 0)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (settings.affects(e, 'clusters')) registry.reload();
      else if (settings.affects(e, 'listPageSize')) tree.refresh();
      if (settings.affects(e, 'kubernetes.kubeconfig') || settings.affects(e, 'clusters')) {
        k8s.reset();
        tree.refresh();
      }
    }),
    // Pod watches live while their ETL node is expanded.
    view.onDidCollapseElement((e) => tree.collapsed(e.element)),
  ];
}

function registerEditors(ctx: CommandContext): vscode.Disposable[] {
  const fs = new AisFileSystemProvider({
    client: (c) => ctx.registry.client(ctx.registry.resolve(c).id),
    maxOpenBytes: settings.maxOpenBytes,
  });
  return [
    vscode.workspace.registerFileSystemProvider(AIS_SCHEME, fs, { isReadonly: true, isCaseSensitive: true }),
    vscode.workspace.registerTextDocumentContentProvider(RESULT_SCHEME, ctx.results),
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, ctx.reports),
    vscode.languages.registerDocumentLinkProvider(
      [{ scheme: RESULT_SCHEME }, { scheme: REPORT_SCHEME }],
      new FileLineLinks(),
    ),
  ];
}

export async function deactivate(): Promise<void> {
  const o = owned;
  owned = undefined;
  if (!o) return;
  await Promise.allSettled([o.services.local.disposeOwned(), o.results.dispose()]);
}
