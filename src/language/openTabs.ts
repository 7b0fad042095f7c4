// VS Code keeps a document (and fires no onDidCloseTextDocument) for a while after its last editor tab closes, so
// "the file was closed" is read from the tabs: these helpers tell which text documents tabs show.
import * as vscode from 'vscode';

export function tabDocumentUris(tab: vscode.Tab): vscode.Uri[] {
  const input = tab.input;
  if (input instanceof vscode.TabInputText) return [input.uri];
  if (input instanceof vscode.TabInputTextDiff) return [input.original, input.modified];
  return [];
}

export function isShownInAnyTab(uri: vscode.Uri): boolean {
  const key = uri.toString();
  return vscode.window.tabGroups.all.some((g) =>
    g.tabs.some((t) => tabDocumentUris(t).some((u) => u.toString() === key)),
  );
}
