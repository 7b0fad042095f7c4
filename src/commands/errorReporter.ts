// Every command error goes through here once: cancellations are logged only; failures are logged in full and shown as
// `<title> failed: <message — hint>` with the error's own actions plus "Show log". Listeners of onDidReport (the
// extension's API) see what the user saw.
import * as vscode from 'vscode';
import { Emitter } from '../services/emitter';
import { formatError, isCancellation, UiError } from '../services/errors';
import { Disposable } from '../services/lifecycle';
import type { UiLog } from '../services/log';
import { withoutRepeats } from '../services/messages';

export interface ReportedError {
  command: string;
  message: string;
}

const SHOW_LOG = 'Show log';

export class ErrorReporter extends Disposable {
  private readonly reported = this.register(new Emitter<ReportedError>());
  readonly onDidReport = this.reported.event;

  constructor(private readonly log: UiLog) {
    super();
  }

  /** Resolves once the user dismissed the message or ran the action they picked. */
  async report(command: { id: string; title: string }, err: unknown): Promise<void> {
    if (isCancellation(err)) {
      this.log.info(`${command.title}: cancelled`);
      return;
    }
    const message = withoutRepeats(`${command.title} failed: ${formatError(err)}`);
    this.log.error(message);
    if (err instanceof Error && err.stack) this.log.debug(err.stack);
    this.reported.fire({ command: command.id, message });
    const actions = err instanceof UiError ? err.actions : [];
    // An action that already leads to logs ("Show logs" of an ETL) makes a second, similar button confusing.
    const buttons = [
      ...actions.map((a) => a.title),
      ...(actions.some((a) => /^show log/i.test(a.title)) ? [] : [SHOW_LOG]),
    ];
    const picked = await vscode.window.showErrorMessage(message, ...buttons);
    if (picked === SHOW_LOG) this.log.show(true);
    else await actions.find((a) => a.title === picked)?.run();
  }
}
