// Quick fixes: each engine diagnostic that carries a `fix` becomes a preferred CodeAction that applies it. A few
// diagnostics are fixed by a command instead of an edit: converting a Pod spec writes a new file, and installing the
// SDK runs pip in a terminal.
import * as vscode from 'vscode';
import { CONVERT_CODE } from '../engine/etl';
import { clampRange, displayRange, DIAGNOSTIC_SOURCE, rangesOverlap } from './diagnosticMapping';
import { documentLines, documentRef, toVsRange } from './diagnostics';
import { NO_SDK_CODE } from './contextDiagnostics';
import type { EtlDiagnosticSource } from './publish';
import { ETL_DOCUMENT_SELECTOR } from './selector';

export const CONVERT_POD_SPEC_COMMAND = 'aistore.convertPodSpec';
export const INSTALL_SDK_COMMAND = 'aistore.installEtlSdk';
const CONVERT_CODES = new Set(['pod-spec-deprecated', CONVERT_CODE]);

type Shown = { code: string; range: import('../engine/etl').Range };

/** Command-based fixes for the diagnostics under the cursor (at most one of each). */
function commandActions(
  document: vscode.TextDocument,
  shown: Shown[],
  source: EtlDiagnosticSource,
): vscode.CodeAction[] {
  const out: vscode.CodeAction[] = [];
  if (shown.some((d) => CONVERT_CODES.has(d.code))) {
    const title = 'Convert Pod spec to runtime spec (new file next to it)';
    const a = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
    a.command = { title: a.title, command: CONVERT_POD_SPEC_COMMAND, arguments: [document.uri] };
    out.push(a);
  }
  const sdk = source.sdk.get();
  if (shown.some((d) => d.code === NO_SDK_CODE) && sdk && !sdk.error) {
    const exe = sdk.executable ?? sdk.python;
    const a = new vscode.CodeAction(`Install aistore[etl] into ${exe}`, vscode.CodeActionKind.QuickFix);
    a.command = { title: a.title, command: INSTALL_SDK_COMMAND, arguments: [exe] };
    out.push(a);
  }
  return out;
}

export class EtlQuickFixProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
  };

  constructor(private readonly source: EtlDiagnosticSource) {}

  provideCodeActions(
    document: vscode.TextDocument,
    range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    if (context.only && !vscode.CodeActionKind.QuickFix.intersects(context.only)) return [];
    const published = this.source.forDocument(documentRef(document), () => document.getText());
    if (!published) return [];
    const lines = documentLines(document);
    const wanted = { start: range.start, end: range.end };
    const actions: vscode.CodeAction[] = [];
    const here = published.diagnostics.filter((d) => rangesOverlap(displayRange(d.range, lines), wanted));
    for (const d of here) {
      if (!d.fix) continue;
      const shown = displayRange(d.range, lines);
      const action = new vscode.CodeAction(d.fix.title, vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(document.uri, toVsRange(clampRange(d.fix.range, lines)), d.fix.newText);
      // Link the action to the editor's diagnostic so the lightbulb and the Problems view offer it.
      action.diagnostics = context.diagnostics.filter(
        (x) => x.source === DIAGNOSTIC_SOURCE && x.code === d.code && x.range.isEqual(toVsRange(shown)),
      );
      action.isPreferred = true;
      actions.push(action);
    }
    return [...actions, ...commandActions(document, here, this.source)];
  }
}

export function registerQuickFixes(source: EtlDiagnosticSource): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(
    ETL_DOCUMENT_SELECTOR,
    new EtlQuickFixProvider(source),
    EtlQuickFixProvider.metadata,
  );
}
