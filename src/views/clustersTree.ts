// Adapts the tree model to VS Code's TreeDataProvider (icons, collapsible state). Which command a click runs is
// decided by the command table and passed in, so views never import commands.
import * as vscode from 'vscode';
import { aisUriComponents } from '../editors/aisUri';
import { Disposable } from '../services/lifecycle';
import type { ClustersTreeModel } from './treeModel';
import type { TreeNode } from './treeNodes';

/** The command a click on `node` runs, if any. */
export type NodeClick = (node: TreeNode) => vscode.Command | undefined;

const COLLAPSIBLE: Record<TreeNode['collapsible'], vscode.TreeItemCollapsibleState> = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
};

export class ClustersTreeProvider extends Disposable implements vscode.TreeDataProvider<TreeNode> {
  private readonly emitter = this.register(new vscode.EventEmitter<TreeNode | undefined>());
  readonly onDidChangeTreeData = this.emitter.event;

  constructor(
    readonly model: ClustersTreeModel,
    private readonly click: NodeClick,
  ) {
    super();
    this.register(model.onDidChange((n) => this.emitter.fire(n)));
  }

  getTreeItem(n: TreeNode): vscode.TreeItem {
    const item = new vscode.TreeItem(n.label, COLLAPSIBLE[n.collapsible]);
    item.id = n.id;
    item.description = n.description;
    item.tooltip = n.tooltip;
    item.contextValue = n.contextValue;
    item.iconPath = new vscode.ThemeIcon(n.icon, n.iconColor ? new vscode.ThemeColor(n.iconColor) : undefined);
    item.command = this.click(n);
    if (n.kind === 'object') {
      item.resourceUri = vscode.Uri.from(
        aisUriComponents({ cluster: n.clusterId, bucket: n.bucket, object: n.object }),
      );
    }
    return item;
  }

  getChildren(n?: TreeNode): Promise<TreeNode[]> {
    return this.model.children(n);
  }
  getParent(n: TreeNode): TreeNode | undefined {
    return n.parent;
  }
}
