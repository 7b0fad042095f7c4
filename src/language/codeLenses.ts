// Deploy ETL / Test on object… / Test on file… above `def transform`, on the class line of ETLServer classes and at
// the top of spec files and io scripts. Each lens runs a typed command with the document's Uri; the commands are
// handed in by activation, because the commands import this layer (importing them here would make a cycle).
import * as vscode from 'vscode';
import { debugLenses } from '../debug/lenses';
import { etlLenses, type LensAction } from './lensPlacement';
import type { EtlAnalysisCache } from './etlAnalysis';
import { documentRef, type EtlDiagnosticsController } from './diagnostics';
import { ETL_DOCUMENT_SELECTOR } from './selector';

/** A declared command that accepts a document Uri (DeclaredCommand.build fits this shape). */
export interface UriCommand {
  build(uri: vscode.Uri, title?: string, tooltip?: string): vscode.Command;
}

export type EtlLensCommands = Readonly<Record<LensAction, UriCommand>>;

export class EtlCodeLensProvider implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(
    private readonly analysis: EtlAnalysisCache,
    diagnostics: EtlDiagnosticsController,
    private readonly commands: EtlLensCommands,
  ) {
    this.onDidChangeCodeLenses = (listener, thisArg, disposables) => {
      const analyzed = diagnostics.onDidAnalyze(() => listener.call(thisArg));
      const trusted = vscode.workspace.onDidGrantWorkspaceTrust(() => listener.call(thisArg));
      const both = vscode.Disposable.from(analyzed, trusted);
      disposables?.push(both);
      return both;
    };
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    // The file kind rarely changes while typing: reuse the last parse instead of parsing on every keystroke;
    // lens lines come from the current text.
    const parsed =
      this.analysis.peek(document.uri.toString()) ??
      this.analysis.analyze(documentRef(document), () => document.getText());
    // Every lens runs the workspace's code (deploy to the local cluster, test, debug): none in Restricted Mode.
    if (!parsed || vscode.workspace.isTrusted === false) return [];
    return etlLenses(parsed.kind, document.getText())
      .map(
        (l) =>
          new vscode.CodeLens(
            new vscode.Range(l.line, 0, l.line, 0),
            this.commands[l.action].build(document.uri, l.title, l.tooltip),
          ),
      )
      .concat(debugLenses(document));
  }
}

export function registerCodeLenses(
  analysis: EtlAnalysisCache,
  diagnostics: EtlDiagnosticsController,
  commands: EtlLensCommands,
): vscode.Disposable {
  return vscode.languages.registerCodeLensProvider(
    ETL_DOCUMENT_SELECTOR,
    new EtlCodeLensProvider(analysis, diagnostics, commands),
  );
}
