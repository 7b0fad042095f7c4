// The one "AIStore ETL" log channel, and error notifications that always offer "Show log".
import * as vscode from 'vscode';
import { formatError, isCancellation } from './errors';

export function createLog(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel('AIStore ETL', { log: true });
}

/**
 * Logs the full error and shows `what: message — hint` with "Show log" (plus any extra actions). Cancellations are
 * logged only. Resolves to the action the user picked (not awaited by callers that don't care).
 */
export async function notifyError(log: vscode.LogOutputChannel, what: string, err: unknown, ...actions: string[]): Promise<string | undefined> {
  if (isCancellation(err)) { log.info(`${what}: cancelled`); return undefined; }
  const text = `${what}: ${formatError(err)}`;
  log.error(text);
  if (err instanceof Error && err.stack) log.debug(err.stack);
  const picked = await vscode.window.showErrorMessage(text, ...actions, 'Show log');
  if (picked === 'Show log') log.show(true);
  return picked;
}
