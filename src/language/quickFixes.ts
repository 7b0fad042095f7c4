// Quick fixes: each engine diagnostic that carries a `fix` becomes a preferred CodeAction that applies it.
import * as vscode from 'vscode';
import { clampRange, displayRange, DIAGNOSTIC_SOURCE, rangesOverlap } from './diagnosticMapping';
import { diagnosticsToPublish, type EtlAnalysisCache } from './etlAnalysis';
import { documentLines, documentRef, toVsRange } from './diagnostics';
import { ETL_DOCUMENT_SELECTOR } from './selector';

export class EtlQuickFixProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly analysis: EtlAnalysisCache) {}

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (context.only && !vscode.CodeActionKind.QuickFix.intersects(context.only)) return [];
    const parsed = this.analysis.analyze(documentRef(document), () => document.getText());
    if (!parsed) return [];
    const lines = documentLines(document);
    const wanted = { start: range.start, end: range.end };
    const actions: vscode.CodeAction[] = [];
    for (const d of diagnosticsToPublish(parsed)) {
      if (!d.fix) continue;
      const shown = displayRange(d.range, lines);
      if (!rangesOverlap(shown, wanted)) continue;
      const action = new vscode.CodeAction(d.fix.title, vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(document.uri, toVsRange(clampRange(d.fix.range, lines)), d.fix.newText);
      // Link the action to the editor's diagnostic so the lightbulb and the Problems view offer it.
      action.diagnostics = context.diagnostics.filter((x) => x.source === DIAGNOSTIC_SOURCE && x.code === d.code && x.range.isEqual(toVsRange(shown)));
      action.isPreferred = true;
      actions.push(action);
    }
    return actions;
  }
}

export function registerQuickFixes(analysis: EtlAnalysisCache): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(ETL_DOCUMENT_SELECTOR, new EtlQuickFixProvider(analysis), EtlQuickFixProvider.metadata);
}
