// "Debug" lenses for the CodeLens provider of the editor: one above each entry point the runtime calls.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { debugEtl } from './commands';
import { debugLensLines } from './lensLines';

const TITLE = '$(debug-alt) Debug';
const TOOLTIP = 'Run this ETL locally under the debugger on an object or a file, as the ETL runtime would call it';

export function debugLenses(document: Pick<vscode.TextDocument, 'uri' | 'fileName' | 'getText'>): vscode.CodeLens[] {
  if (document.uri.scheme !== 'file') return [];
  const found = debugLensLines(document.fileName, document.getText(), fs.existsSync);
  if (!found) return [];
  const command = debugEtl.build(document.uri, TITLE, TOOLTIP);
  return found.lines.map((line) => new vscode.CodeLens(new vscode.Range(line, 0, line, 0), command));
}
