// ETL authoring support in the editor: diagnostics as you type, quick fixes and code lenses, all driven by the
// engine's parseEtlFile. Called once from activate(); everything is disposed with the extension.
import * as vscode from 'vscode';
import { etlPython, parseEtlFile, probeEtlSdk } from '../engine/etl';
import { EtlAnalysisCache } from './etlAnalysis';
import { EtlDiagnosticsController } from './diagnostics';
import { CONVERT_POD_SPEC_COMMAND, INSTALL_SDK_COMMAND, registerQuickFixes } from './quickFixes';
import { registerCodeLenses, type EtlLensCommands } from './codeLenses';
import { EtlDiagnosticSource } from './publish';
import { SdkStatus } from './sdkStatus';
import { convertPodSpecCommand, installSdkCommand } from './convertPodSpec';
import { restrictedModeError } from '../services/trust';
import { formatError } from '../services/errors';

const INSTALL_SDK_TITLE = 'Install aistore[etl] into the ETL Python';

export { etlEntryPoints, type EtlEntryPoint } from './entryPoints';
export { markAsEtlDocument } from './etlIntent';
export type { EtlLensCommands } from './codeLenses';

export function registerLanguageFeatures(
  context: vscode.ExtensionContext,
  deps: { log: vscode.LogOutputChannel; lensCommands: EtlLensCommands },
): void {
  const analysis = new EtlAnalysisCache((fileName, text) => parseEtlFile(fileName, text));
  const sdk = new SdkStatus(() => probeEtlSdk());
  const source = new EtlDiagnosticSource(analysis, sdk);
  const diagnostics = new EtlDiagnosticsController(source, deps.log);
  context.subscriptions.push(
    diagnostics,
    registerQuickFixes(source),
    registerCodeLenses(analysis, diagnostics, deps.lensCommands),
    vscode.commands.registerCommand(CONVERT_POD_SPEC_COMMAND, (arg?: unknown) => convertPodSpecCommand(arg)),
    vscode.commands.registerCommand(INSTALL_SDK_COMMAND, (python?: string) => {
      const refused = restrictedModeError(INSTALL_SDK_COMMAND, INSTALL_SDK_TITLE, vscode.workspace.isTrusted);
      if (refused) return void vscode.window.showErrorMessage(formatError(refused));
      const exe = python ?? sdk.get()?.executable ?? etlPython();
      context.subscriptions.push(installSdkCommand(exe, () => void sdk.refresh()));
    }),
    { dispose: () => analysis.clear() },
  );
}
