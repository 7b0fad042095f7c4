// Adapts the tree model to VS Code's TreeDataProvider (icons, collapsible state, commands).
import * as vscode from 'vscode';
import type { ClustersTreeModel } from './treeModel';
import type { TreeNode } from './treeNodes';

export class ClustersTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly sub: { dispose(): void };

  constructor(readonly model: ClustersTreeModel) {
    this.sub = model.onDidChange((n) => this.emitter.fire(n));
  }

  getTreeItem(n: TreeNode): vscode.TreeItem {
    const state = n.collapsible === 'none' ? vscode.TreeItemCollapsibleState.None
      : n.collapsible === 'expanded' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(n.label, state);
    item.id = n.id;
    item.description = n.description;
    item.tooltip = n.tooltip;
    item.contextValue = n.contextValue;
    item.iconPath = new vscode.ThemeIcon(n.icon, n.iconColor ? new vscode.ThemeColor(n.iconColor) : undefined);
    if (n.command) item.command = n.command;
    if (n.kind === 'object' && n.bucket && n.object) item.resourceUri = vscode.Uri.from({ scheme: 'ais', authority: n.clusterId, path: `/${n.bucket}/${n.object}` });
    return item;
  }

  getChildren(n?: TreeNode): Promise<TreeNode[]> { return this.model.children(n); }
  getParent(n: TreeNode): TreeNode | undefined { return n.parent; }

  dispose(): void { this.sub.dispose(); this.emitter.dispose(); }
}
