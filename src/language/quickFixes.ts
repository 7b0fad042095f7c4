// Quick fixes: each engine diagnostic that carries a `fix` becomes a preferred CodeAction that applies it. A few
// diagnostics are fixed by a command instead of an edit: converting a Pod spec writes a new file, and installing the
// SDK runs pip in a terminal.
import * as vscode from 'vscode';
import { CONVERT_CODE, type EtlSdkProbe } from '../engine/etl';
import { clampRange, displayRange, DIAGNOSTIC_SOURCE, rangesOverlap } from './diagnosticMapping';
import { documentLines, documentRef, toVsRange } from './diagnostics';
import { NO_SDK_CODE } from './contextDiagnostics';
import type { EtlDiagnosticSource } from './publish';
import { ETL_DOCUMENT_SELECTOR } from './selector';

export const CONVERT_POD_SPEC_COMMAND = 'aistore.convertPodSpec';
export const INSTALL_SDK_COMMAND = 'aistore.installEtlSdk';
const CONVERT_CODES = new Set(['pod-spec-deprecated', CONVERT_CODE]);
const CONVERT_TITLE = 'Convert Pod spec to runtime spec (new file next to it)';

type Shown = { code: string; range: import('../engine/etl').Range };

/** A fix carried out by a command: its title, the command, and what the command is given. */
export interface CommandFix {
  title: string;
  command: string;
  /** the document's URI, or the interpreter to install into */
  arg: { document: true } | { python: string };
}

/**
 * Command-based fixes for the diagnostics under the cursor (at most one of each). Installing the SDK runs pip from the
 * workspace folder, so an untrusted window is not offered it (the command would only refuse).
 */
export function commandFixes(shown: Shown[], sdk: EtlSdkProbe | undefined, trusted: boolean): CommandFix[] {
  const out: CommandFix[] = [];
  if (shown.some((d) => CONVERT_CODES.has(d.code)))
    out.push({ title: CONVERT_TITLE, command: CONVERT_POD_SPEC_COMMAND, arg: { document: true } });
  if (trusted && shown.some((d) => d.code === NO_SDK_CODE) && sdk && !sdk.error) {
    const exe = sdk.executable ?? sdk.python;
    out.push({ title: `Install aistore[etl] into ${exe}`, command: INSTALL_SDK_COMMAND, arg: { python: exe } });
  }
  return out;
}

function commandActions(document: vscode.TextDocument, shown: Shown[], sdk: EtlSdkProbe | undefined) {
  return commandFixes(shown, sdk, vscode.workspace.isTrusted).map((f) => {
    const a = new vscode.CodeAction(f.title, vscode.CodeActionKind.QuickFix);
    a.command = { title: f.title, command: f.command, arguments: ['python' in f.arg ? f.arg.python : document.uri] };
    return a;
  });
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
    return [...actions, ...commandActions(document, here, this.source.sdk.get())];
  }
}

export function registerQuickFixes(source: EtlDiagnosticSource): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(
    ETL_DOCUMENT_SELECTOR,
    new EtlQuickFixProvider(source),
    EtlQuickFixProvider.metadata,
  );
}
