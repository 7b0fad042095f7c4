// Diagnostics as you type: parse ETL documents with the engine when they open and ~300 ms after the last edit,
// publish them with source "AIStore ETL", and drop them when the file's last tab closes (or the document closes).
import * as vscode from 'vscode';
import { KeyedDebouncer } from './debounce';
import { Disposable } from '../services/lifecycle';
import { EditorSeverity, toEditorDiagnostic, type DocumentLines } from './diagnosticMapping';
import type { DocumentRef } from './etlAnalysis';
import { isDeployableKind, type EtlDiagnosticSource } from './publish';
import { onDidMarkAsEtl } from './etlIntent';
import type { Range } from '../engine/etl';
import { isShownInAnyTab, tabDocumentUris } from './openTabs';

export const DIAGNOSTICS_DEBOUNCE_MS = 300;
/** Paths of open documents that can be deployed; the editor-title Deploy button shows only for them. */
export const DEPLOYABLE_FILES_CONTEXT = 'aistore.deployableFiles';

const SEVERITY: Record<EditorSeverity, vscode.DiagnosticSeverity> = {
  [EditorSeverity.Error]: vscode.DiagnosticSeverity.Error,
  [EditorSeverity.Warning]: vscode.DiagnosticSeverity.Warning,
  [EditorSeverity.Information]: vscode.DiagnosticSeverity.Information,
  [EditorSeverity.Hint]: vscode.DiagnosticSeverity.Hint,
};

export function documentRef(doc: vscode.TextDocument): DocumentRef {
  return {
    uri: doc.uri.toString(),
    scheme: doc.uri.scheme,
    languageId: doc.languageId,
    fileName: doc.fileName,
    version: doc.version,
  };
}

export function documentLines(doc: vscode.TextDocument): DocumentLines {
  return { lineCount: doc.lineCount, lineText: (line) => doc.lineAt(line).text };
}

export function toVsRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

export class EtlDiagnosticsController extends Disposable {
  // Released in reverse: listeners first, then pending re-parses, then the published diagnostics.
  private readonly analyzed = this.register(new vscode.EventEmitter<vscode.Uri>());
  private readonly collection = this.register(vscode.languages.createDiagnosticCollection('aistore-etl'));
  private readonly debouncer = this.register(new KeyedDebouncer(DIAGNOSTICS_DEBOUNCE_MS));
  private readonly deployable = new Set<string>();
  /** Fires after a document was (re)parsed: code lenses refresh on it. */
  readonly onDidAnalyze = this.analyzed.event;

  constructor(
    private readonly source: EtlDiagnosticSource,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    for (const listener of [
      onDidMarkAsEtl((uri) => this.reanalyze((d) => d.uri.toString() === uri)),
      this.source.sdk.onDidChange(() => this.reanalyze((d) => d.languageId === 'python')),
      vscode.workspace.onDidOpenTextDocument((doc) => this.analyzeNow(doc)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0)
          this.debouncer.schedule(e.document.uri.toString(), () => this.analyzeNow(e.document));
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => this.forget(doc.uri)),
      vscode.window.tabGroups.onDidChangeTabs((e) => this.onTabsChanged(e)),
    ])
      this.register(listener);
    for (const doc of vscode.workspace.textDocuments) this.analyzeNow(doc);
  }

  analyzeNow(doc: vscode.TextDocument): void {
    if (doc.isClosed) return;
    const published = this.source.forDocument(documentRef(doc), () => doc.getText());
    if (!published) return;
    const { parsed, diagnostics: shown } = published;
    this.setDeployable(doc.uri, isDeployableKind(parsed.kind));
    const lines = documentLines(doc);
    this.collection.set(
      doc.uri,
      shown.map((d) => {
        const m = toEditorDiagnostic(d, lines);
        const diagnostic = new vscode.Diagnostic(toVsRange(m.range), m.message, SEVERITY[m.severity]);
        diagnostic.source = m.source;
        diagnostic.code = m.code;
        return diagnostic;
      }),
    );
    if (shown.length > 0)
      this.log.debug(`${vscode.workspace.asRelativePath(doc.uri)}: ${parsed.kind}, ${shown.length} diagnostic(s)`);
    this.analyzed.fire(doc.uri);
  }

  /** Re-publishes open documents, e.g. after the interpreter answered or a file was marked as an ETL. */
  reanalyze(which: (doc: vscode.TextDocument) => boolean): void {
    for (const doc of vscode.workspace.textDocuments) if (which(doc)) this.analyzeNow(doc);
  }

  private setDeployable(uri: vscode.Uri, deployable: boolean): void {
    if (uri.scheme !== 'file' || this.deployable.has(uri.fsPath) === deployable) return;
    if (deployable) this.deployable.add(uri.fsPath);
    else this.deployable.delete(uri.fsPath);
    void vscode.commands.executeCommand('setContext', DEPLOYABLE_FILES_CONTEXT, [...this.deployable]);
  }

  private onTabsChanged(e: vscode.TabChangeEvent): void {
    for (const uri of e.closed.flatMap(tabDocumentUris)) {
      if (!isShownInAnyTab(uri)) this.clear(uri);
    }
    // A reopened tab may show a document VS Code kept alive: it gets no open event, so analyze it here.
    for (const uri of e.opened.flatMap(tabDocumentUris)) {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (doc) this.analyzeNow(doc);
    }
  }

  private clear(uri: vscode.Uri): void {
    this.debouncer.cancel(uri.toString());
    this.collection.delete(uri);
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    this.debouncer.cancel(key);
    this.source.analysis.forget(key);
    this.collection.delete(uri);
    this.setDeployable(uri, false);
  }
}
