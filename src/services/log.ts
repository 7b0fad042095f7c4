// The one "AIStore ETL" log channel.
import * as vscode from 'vscode';

export function createLog(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel('AIStore ETL', { log: true });
}

/** What the commands use of a log channel (tests pass a recording fake). */
export type UiLog = Pick<vscode.LogOutputChannel, 'info' | 'warn' | 'error' | 'debug' | 'show'>;
