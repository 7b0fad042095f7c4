// ETL authoring support in the editor: diagnostics as you type, quick fixes and code lenses, all driven by the
// engine's parseEtlFile. Called once from activate(); everything is disposed with the extension.
import type * as vscode from 'vscode';
import { parseEtlFile } from '../engine/etl';
import { EtlAnalysisCache } from './etlAnalysis';
import { EtlDiagnosticsController } from './diagnostics';
import { registerQuickFixes } from './quickFixes';
import { registerCodeLenses } from './codeLenses';

export function registerLanguageFeatures(context: vscode.ExtensionContext, deps: { log: vscode.LogOutputChannel }): void {
  const analysis = new EtlAnalysisCache((fileName, text) => parseEtlFile(fileName, text));
  const diagnostics = new EtlDiagnosticsController(analysis, deps.log);
  context.subscriptions.push(
    diagnostics,
    registerQuickFixes(analysis),
    registerCodeLenses(analysis, diagnostics),
    { dispose: () => analysis.clear() },
  );
}
