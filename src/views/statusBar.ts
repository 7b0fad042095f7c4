// The active cluster in the status bar; clicking it picks another.
import * as vscode from 'vscode';
import type { ClusterRegistry } from '../services/clusterRegistry';

export function createClusterStatusBar(registry: ClusterRegistry): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('aistore.activeCluster', vscode.StatusBarAlignment.Left, 10);
  item.name = 'AIStore cluster';
  item.command = 'aistore.selectCluster';
  const update = () => {
    const a = registry.active();
    if (!a) {
      item.hide();
      return;
    }
    item.text = `$(database) AIS: ${a.name}`;
    item.tooltip = `Active AIStore cluster: ${a.name} (${a.endpoint}) — click to switch`;
    item.show();
  };
  update();
  const sub = registry.onDidChange(update);
  return new vscode.Disposable(() => {
    sub.dispose();
    item.dispose();
  });
}
