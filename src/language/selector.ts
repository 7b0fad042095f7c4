import type * as vscode from 'vscode';

/** Documents the ETL language features attach to; the engine then decides by content whether they are ETL files. */
export const ETL_DOCUMENT_SELECTOR: vscode.DocumentSelector = [
  { language: 'python', scheme: 'file' },
  { language: 'python', scheme: 'untitled' },
  { language: 'yaml', scheme: 'file' },
  { language: 'yaml', scheme: 'untitled' },
];
