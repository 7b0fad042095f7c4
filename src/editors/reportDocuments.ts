// Read-only `aistore-report:` documents for text the extension generates (job summaries, ETL errors). Unlike
// untitled documents they never ask to be saved when closed.
import * as vscode from 'vscode';

export const REPORT_SCHEME = 'aistore-report';

export class ReportDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private seq = 0;

  /** `ext` picks the language VS Code shows it in (txt, md, yaml). */
  add(title: string, text: string, ext = 'txt'): vscode.Uri {
    const uri = vscode.Uri.from({
      scheme: REPORT_SCHEME,
      path: `/${++this.seq}/${title.replace(/[\\/:*?"<>|]+/g, '_')}.${ext}`,
    });
    this.texts.set(uri.path, text);
    return uri;
  }

  async show(title: string, text: string, ext = 'txt'): Promise<vscode.Uri> {
    const uri = this.add(title, text, ext);
    await vscode.window.showTextDocument(uri, { preview: true });
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.path) ?? 'This report is no longer available.';
  }
}
