// `<file>:<line>` in result and report documents (tracebacks mapped to the user's file) become links that open the
// file at that line.
import * as vscode from 'vscode';
import { fileLineLinks } from '../services/tracebacks';

export class FileLineLinks implements vscode.DocumentLinkProvider {
  provideDocumentLinks(doc: vscode.TextDocument): vscode.DocumentLink[] {
    const text = doc.getText();
    return fileLineLinks(text).map((l) => {
      const range = new vscode.Range(doc.positionAt(l.start), doc.positionAt(l.end));
      const link = new vscode.DocumentLink(range, vscode.Uri.file(l.file).with({ fragment: `L${l.line}` }));
      link.tooltip = `Open ${l.file} at line ${l.line}`;
      return link;
    });
  }
}
