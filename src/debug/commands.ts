// Debug commands: "Debug" on an ETL file (CodeLens, editor menu) and "Debug ETL on this object" on an object.
//
// Plain arguments: `aistore.debugEtl({ uri, object?: 'ais://b/o' | {cluster?, bucket, object}, inputFile?, etlArgs?,
// aisVersion? })` and `aistore.debugEtlOnObject({ cluster?, bucket, object, uri? })`; both return true when the
// debug session started.
import * as vscode from 'vscode';
import { objectRef, type ObjectArg } from '../commands/args';
import { resolveObject } from '../commands/transformObject';
import { declareCommand } from '../commands/table';
import { detectRunKind } from '../engine/run';
import { CancelledError, UiError } from '../services/errors';
import { DEBUG_TYPE, type AisEtlDebugConfiguration, type ObjectSource } from './config';

export interface DebugEtlArgs {
  uri?: vscode.Uri | string;
  object?: string | ObjectSource;
  inputFile?: string;
  etlArgs?: string;
  aisVersion?: string;
}

function fileOf(uri: vscode.Uri | string | undefined): string | undefined {
  if (!uri) return vscode.window.activeTextEditor?.document.uri.fsPath;
  return typeof uri === 'string' ? vscode.Uri.parse(uri).fsPath : uri.fsPath;
}

async function start(c: AisEtlDebugConfiguration): Promise<boolean> {
  const folder = c.file ? vscode.workspace.getWorkspaceFolder(vscode.Uri.file(c.file)) : undefined;
  return vscode.debug.startDebugging(folder, c);
}

export const debugEtl = declareCommand<vscode.Uri | DebugEtlArgs, boolean>(
  'aistore.debugEtl',
  'Debug ETL',
  (_s, arg) => {
    const a: DebugEtlArgs = arg instanceof vscode.Uri ? { uri: arg } : (arg ?? {});
    const file = fileOf(a.uri);
    if (!file)
      throw new UiError('No ETL file to debug', { hint: 'open the ETL file (code.py, a server, a spec) first' });
    const { uri: _uri, ...rest } = a;
    return start({ type: DEBUG_TYPE, request: 'launch', name: `Debug ${file.split('/').pop()}`, file, ...rest });
  },
);

/** The ETL to debug an object with: the active editor's file when it is one, else one of the open ETL files. */
async function pickEtlFile(): Promise<string> {
  const runnable = (d: vscode.TextDocument): boolean =>
    d.uri.scheme === 'file' && typeof detectRunKind(d.fileName, d.getText()) === 'string';
  const active = vscode.window.activeTextEditor?.document;
  if (active && runnable(active)) return active.fileName;
  const open = vscode.workspace.textDocuments.filter(runnable).map((d) => d.fileName);
  if (open.length === 1) return open[0];
  const items = open.map((f) => ({ label: f.split('/').pop() ?? f, description: f }));
  const BROWSE = { label: '$(folder-opened) Choose the ETL file…', description: '' };
  const pick = await vscode.window.showQuickPick([...items, BROWSE], { title: 'Debug ETL on this object: which ETL?' });
  if (!pick) throw new CancelledError();
  if (pick !== BROWSE) return pick.description;
  const filters = { ETL: ['py', 'yaml', 'yml'] };
  const f = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Debug this ETL', filters });
  if (!f?.[0]) throw new CancelledError();
  return f[0].fsPath;
}

export const debugEtlOnObject = declareCommand<ObjectArg & { uri?: string }, boolean>(
  'aistore.debugEtlOnObject',
  'Debug ETL on this object',
  async (s, arg) => {
    const where = await resolveObject(s, objectRef(arg), 'Debug ETL on this object');
    const given = arg && 'uri' in arg && typeof arg.uri === 'string' ? fileOf(arg.uri) : undefined;
    const file = given ?? (await pickEtlFile());
    const object = { cluster: where.cluster, bucket: where.bucket, object: where.object };
    const name = `Debug ${file.split('/').pop()} on ${where.object}`;
    return start({ type: DEBUG_TYPE, request: 'launch', name, file, object });
  },
);
