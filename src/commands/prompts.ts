// Multi-step prompts built on createInputBox / createQuickPick: each step shows its title and "n/m" counter, and input
// is checked as the user types (an error blocks Enter; a warning only informs). Dismissing a step cancels the command.
import * as vscode from 'vscode';
import { CancelledError } from '../services/errors';

export interface Step {
  title: string;
  step?: number;
  totalSteps?: number;
}
export type Check = { error: string } | { warning: string } | undefined;

export interface InputStep extends Step {
  prompt: string;
  value?: string;
  placeholder?: string;
  /** Runs on every keystroke (and on the initial value). */
  check?(value: string): Check;
}

export function askInput(o: InputStep): Promise<string> {
  const box = vscode.window.createInputBox();
  Object.assign(box, {
    title: o.title,
    step: o.step,
    totalSteps: o.totalSteps,
    prompt: o.prompt,
    value: o.value ?? '',
    placeholder: o.placeholder,
    ignoreFocusOut: true,
  });
  const show = (v: string): Check => {
    const c = o.check?.(v);
    box.validationMessage = !c
      ? undefined
      : 'error' in c
        ? c.error
        : { message: c.warning, severity: vscode.InputBoxValidationSeverity.Warning };
    return c;
  };
  return new Promise<string>((resolve, reject) => {
    let done = false;
    const finish = (v: string | undefined) => {
      if (done) return;
      done = true;
      box.dispose();
      if (v === undefined) reject(new CancelledError());
      else resolve(v);
    };
    box.onDidChangeValue((v) => {
      show(v);
    });
    box.onDidAccept(() => {
      const c = show(box.value);
      if (!c || !('error' in c)) finish(box.value);
    });
    box.onDidHide(() => finish(undefined));
    show(box.value);
    box.show();
  });
}

export interface PickStep<T extends vscode.QuickPickItem> extends Step {
  items: T[];
  placeholder?: string;
  matchOnDetail?: boolean;
}

export function pickOne<T extends vscode.QuickPickItem>(o: PickStep<T>): Promise<T> {
  const qp = vscode.window.createQuickPick<T>();
  Object.assign(qp, {
    title: o.title,
    step: o.step,
    totalSteps: o.totalSteps,
    placeholder: o.placeholder,
    items: o.items,
    matchOnDetail: o.matchOnDetail ?? false,
    ignoreFocusOut: true,
  });
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const finish = (v: T | undefined) => {
      if (done) return;
      done = true;
      qp.dispose();
      if (v === undefined) reject(new CancelledError());
      else resolve(v);
    };
    qp.onDidAccept(() => finish(qp.selectedItems[0] ?? qp.activeItems[0]));
    qp.onDidHide(() => finish(undefined));
    qp.show();
  });
}
