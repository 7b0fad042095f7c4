// Answers the extension's prompts inside the real extension host, as a user would: vscode.window's prompt functions
// are replaced by the scripted FakeWindow of the unit tests (input boxes are typed into, checked per keystroke and
// accepted; quick picks are picked from; modal questions are clicked), everything else stays the real window.
import * as vscode from 'vscode';
import { FakeWindow } from '../../unit/_fakes/window';

const PROMPTS = [
  'createInputBox',
  'createQuickPick',
  'showQuickPick',
  'showInputBox',
  'showWarningMessage',
  'showInformationMessage',
  'showErrorMessage',
] as const;

export interface ScriptedWindow {
  fake: FakeWindow;
  restore(): void;
}

/** Installs a fresh script; the extension shares this `vscode` API object with the test files of its folder. */
export function scriptWindow(): ScriptedWindow {
  const fake = new FakeWindow();
  const saved = PROMPTS.map((name) => [name, Reflect.get(vscode.window, name)] as const);
  for (const name of PROMPTS) {
    const fn: unknown = Reflect.get(fake, name);
    if (typeof fn !== 'function' || !Reflect.set(vscode.window, name, fn.bind(fake))) {
      throw new Error(`cannot script vscode.window.${name} in this host`);
    }
  }
  return {
    fake,
    restore: () => {
      for (const [name, fn] of saved) Reflect.set(vscode.window, name, fn);
    },
  };
}
