// Activation only wires things: services, views, providers, commands. Nothing here talks to a cluster or loads the
// Kubernetes client; the tree asks clusters for data only when the user expands it.
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { registerNewEtlCommand } from './commands/newEtl';
import { AIS_SCHEME, AisFileSystemProvider } from './editors/aisFileSystem';
import { REPORT_SCHEME } from './editors/reportDocuments';
import { RESULT_SCHEME } from './editors/resultDocuments';
import { registerLanguageFeatures } from './language';
import { createServices, type Services } from './services';
import { createLog } from './services/log';
import { settings } from './services/settings';
import { ClustersTreeProvider } from './views/clustersTree';
import { createClusterStatusBar } from './views/statusBar';
import type { TreeNode } from './views/treeNodes';

/** Returned from activate() for integration tests: the tree provider and view, and the shared services. */
export interface AistoreApi { clustersTree: ClustersTreeProvider; clustersView: vscode.TreeView<TreeNode>; services: Services }

let services: Services | undefined;

export function activate(context: vscode.ExtensionContext): AistoreApi {
  const log = createLog();
  context.subscriptions.push(log);
  const s = (services = createServices(context, log));
  const clustersTree = new ClustersTreeProvider(s.tree);
  const view = vscode.window.createTreeView('aistore.clusters', { treeDataProvider: clustersTree, showCollapseAll: true });
  const syncContext = () => void vscode.commands.executeCommand('setContext', 'aistore.hasClusters', s.registry.list().length > 0);
  syncContext();

  context.subscriptions.push(
    clustersTree, view, s.registry, s.tree,
    s.registry.onDidChange((what) => { if (what === 'clusters') { syncContext(); s.tree.refresh(); } }),
    s.local.onDidChange((endpoint) => s.registry.setLocalEndpoint(endpoint)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (settings.affects(e, 'clusters')) s.registry.reload();
      else if (settings.affects(e, 'listPageSize')) s.tree.refresh();
      if (settings.affects(e, 'kubernetes.kubeconfig') || settings.affects(e, 'clusters')) { s.k8s.reset(); s.tree.refresh(); }
    }),
    vscode.workspace.registerFileSystemProvider(AIS_SCHEME, new AisFileSystemProvider({ client: (c) => s.registry.client(s.registry.resolve(c).id), maxOpenBytes: settings.maxOpenBytes }), { isReadonly: true, isCaseSensitive: true }),
    vscode.workspace.registerTextDocumentContentProvider(RESULT_SCHEME, s.results),
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, s.reports),
    createClusterStatusBar(s.registry),
    // Pod watches live while their ETL node is expanded.
    view.onDidCollapseElement((e) => s.tree.collapsed(e.element)),
  );
  registerCommands(s);
  registerNewEtlCommand(context, { log });
  registerLanguageFeatures(context, { log });

  // A local cluster left running by an earlier window shows up without a click (a file read and one loopback probe).
  void s.local.findRunning().then((ep) => { if (ep) log.info(`found the local cluster at ${ep}`); }, () => undefined);
  log.info('AIStore ETL activated');
  return { clustersTree, clustersView: view, services: s };
}

export async function deactivate(): Promise<void> {
  const s = services;
  services = undefined;
  if (!s) return;
  await Promise.allSettled([s.local.disposeOwned(), s.results.dispose()]);
}
