// "Convert Pod spec to runtime spec": writes the runtime spec into a new file next to the Pod spec (never over an
// existing file), opens it beside the original, and says how many fields could not be carried over (each is also a
// diagnostic on its line in the Pod spec).
//
// Arguments: a vscode.Uri or { uri, open? } (tests pass open: false). Returns { uri, converted, notConverted }.
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { convertedSpecFileName, convertPodSpecToRuntimeSpec } from '../engine/etl';

export interface ConvertResult {
  uri: vscode.Uri;
  converted: number;
  notConverted: number;
}

function argsOf(arg: unknown): { uri?: vscode.Uri; open: boolean } {
  if (arg instanceof vscode.Uri) return { uri: arg, open: true };
  if (arg && typeof arg === 'object' && 'uri' in arg) {
    const a = arg as { uri: vscode.Uri | string; open?: boolean };
    return { uri: typeof a.uri === 'string' ? vscode.Uri.file(a.uri) : a.uri, open: a.open ?? true };
  }
  return { uri: vscode.window.activeTextEditor?.document.uri, open: true };
}

export async function convertPodSpecCommand(arg?: unknown): Promise<ConvertResult | undefined> {
  const { uri, open } = argsOf(arg);
  if (!uri || uri.scheme !== 'file') {
    void vscode.window.showErrorMessage(
      'Convert Pod spec: open a Pod spec YAML file (saved on disk) and run the command from its editor.',
    );
    return undefined;
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  const result = convertPodSpecToRuntimeSpec(uri.fsPath, doc.getText());
  if (result.converted === 0) {
    const msg =
      `${basename(uri.fsPath)} has no Pod spec that can be converted: fix the errors shown in the editor ` +
      `(kind: Pod, one container with an image) first.`;
    void vscode.window.showErrorMessage(msg);
    return undefined;
  }
  const dir = dirname(uri.fsPath);
  const target = vscode.Uri.file(
    join(
      dir,
      convertedSpecFileName(basename(uri.fsPath), (n) => existsSync(join(dir, n))),
    ),
  );
  await vscode.workspace.fs.writeFile(target, Buffer.from(result.yaml, 'utf8'));
  if (open) await vscode.window.showTextDocument(target, { viewColumn: vscode.ViewColumn.Beside, preview: false });
  const lost = result.diagnostics.length;
  void vscode.window.showInformationMessage(
    `Wrote ${vscode.workspace.asRelativePath(target)}` +
      (lost
        ? `: ${lost} field(s) a runtime spec cannot express were left out (see the notes in ` +
          `${basename(uri.fsPath)} and at the top of the new file).`
        : '.'),
  );
  return { uri: target, converted: result.converted, notConverted: lost };
}

/** Runs pip for the ETL interpreter in a terminal the user can watch; diagnostics refresh when it closes. */
export function installSdkCommand(python: string, onDone: () => void): vscode.Disposable {
  const term = vscode.window.createTerminal({ name: 'AIStore: install aistore[etl]' });
  term.show();
  term.sendText(`"${python}" -m pip install "aistore[etl]"`);
  return vscode.window.onDidCloseTerminal((t) => {
    if (t === term) onDone();
  });
}
