// debugpy comes from PyPI: installed once, after the user agreed, into the extension's own folder.
import * as vscode from 'vscode';
import { debugpyRoot, ensureDebugpy, hasDebugpy, localPython } from '../engine/run';
import { UiError } from '../services/errors';
import type { UiLog } from '../services/log';

export async function ensureDebugpyWithConsent(python: string | undefined, log: UiLog): Promise<void> {
  const installer = python ?? (await localPython()).exe;
  if (hasDebugpy(installer)) return;
  const INSTALL = 'Install debugpy';
  const choice = await vscode.window.showInformationMessage(
    'Debugging an ETL runs it under debugpy, the Python debugger from PyPI, which is not installed yet.',
    { modal: true, detail: `It is installed once into ${debugpyRoot()}; your Python environment is not changed.` },
    INSTALL,
  );
  if (choice !== INSTALL) {
    throw new UiError('Debugging needs debugpy, which was not installed', {
      hint:
        'debug again and choose "Install debugpy", or install it yourself and set "python" ' +
        'in the debug configuration',
    });
  }
  const where = { location: vscode.ProgressLocation.Notification, title: 'Installing debugpy from PyPI…' };
  await vscode.window.withProgress(where, () => ensureDebugpy(installer, { log: (l) => log.info(l) }));
}
