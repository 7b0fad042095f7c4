// Prompts and progress shared by several commands.
import * as vscode from 'vscode';
import { isEtlRunning } from '../engine/ais/etl-stage';
import type { Services } from '../services';
import type { DeclaredCommand } from './table';
import type { ClusterClient } from '../services/engine';
import { CancelledError, UiError } from '../services/errors';

export type ProgressReport = (message: string, increment?: number) => void;

/** A notification with Cancel wired to an AbortSignal. */
export function withCancellableProgress<T>(
  title: string,
  task: (signal: AbortSignal, report: ProgressReport) => Promise<T>,
): Thenable<T> {
  const options = { location: vscode.ProgressLocation.Notification, title, cancellable: true };
  return vscode.window.withProgress(options, (progress, token) => {
    const ac = new AbortController();
    const sub = token.onCancellationRequested(() => ac.abort());
    return task(ac.signal, (message, increment) => progress.report({ message, increment })).finally(() =>
      sub.dispose(),
    );
  });
}

/** The cluster to use: given, the only one, or picked (active one first). */
export async function pickCluster(s: Services, given?: string, title = 'Cluster'): Promise<string> {
  if (given) return s.registry.resolve(given).id;
  const list = s.registry.list();
  if (list.length <= 1) return s.registry.resolve(list[0]?.id).id; // none: resolve() throws "no cluster" with a hint
  const active = s.registry.active();
  const items = [...list]
    .sort((a, b) => (a.id === active?.id ? -1 : b.id === active?.id ? 1 : 0))
    .map((c) => ({
      label: c.name,
      description: c.endpoint,
      detail: c.id === active?.id ? 'active' : undefined,
      id: c.id,
    }));
  const pick = await vscode.window.showQuickPick(items, { title, placeHolder: 'Pick a cluster' });
  if (!pick) throw new CancelledError();
  return pick.id;
}

export async function pickRunningEtl(client: ClusterClient, title: string): Promise<string> {
  const etls = (await client.listEtls()).filter((e) => isEtlRunning(e.stage));
  if (etls.length === 0) {
    throw new UiError('No ETL is running on this cluster', {
      hint: 'deploy one first: open an ETL file and run "AIStore: Deploy ETL"',
    });
  }
  if (etls.length === 1) return etls[0].name;
  const pick = await vscode.window.showQuickPick(
    etls.map((e) => ({ label: e.name, description: e.stage })),
    { title, placeHolder: 'Pick a running ETL' },
  );
  if (!pick) throw new CancelledError();
  return pick.label;
}

export async function pickBucket(client: ClusterClient, title: string, exclude?: string): Promise<string> {
  const bcks = (await client.listBuckets()).filter((b) => b.name !== exclude);
  const pick = await vscode.window.showQuickPick(
    bcks.map((b) => ({ label: b.name, description: b.provider })),
    { title, placeHolder: 'Pick a bucket' },
  );
  if (!pick) throw new CancelledError();
  return pick.label;
}

export async function pickObject(client: ClusterClient, bucket: string, title: string): Promise<string> {
  // One page is enough to pick from; a name can also be typed.
  const page = await client.listObjectsPage(bucket, { pageSize: 200 });
  const qp = vscode.window.createQuickPick();
  qp.title = title;
  qp.placeholder = `Object in ${bucket} (type a name to use it as is)`;
  qp.items = page.entries.filter((e) => !e.isDir).map((e) => ({ label: e.name }));
  const picked = await new Promise<string | undefined>((resolve) => {
    qp.onDidAccept(() => resolve(qp.selectedItems[0]?.label ?? (qp.value || undefined)));
    qp.onDidHide(() => resolve(undefined));
    qp.show();
  });
  qp.dispose();
  if (!picked) throw new CancelledError();
  return picked;
}

export async function confirm(message: string, action: string): Promise<boolean> {
  return (await vscode.window.showWarningMessage(message, { modal: true }, action)) === action;
}

/** Any ETL of the cluster, picked (stopped ones too: they can be started, deleted or inspected). */
export async function pickAnyEtl(client: ClusterClient, title: string): Promise<string> {
  const etls = await client.listEtls();
  if (etls.length === 0)
    throw new UiError('No ETLs on this cluster', { hint: 'deploy one with "AIStore: Deploy ETL"' });
  const pick = await vscode.window.showQuickPick(
    etls.map((e) => ({ label: e.name, description: e.stage })),
    { title },
  );
  if (!pick) throw new CancelledError();
  return pick.label;
}

/** Text typed by the user; dismissing the box cancels the command. */
export async function askText(o: vscode.InputBoxOptions): Promise<string> {
  const v = await vscode.window.showInputBox(o);
  if (v === undefined) throw new CancelledError();
  return v;
}

/** Runs a declared command through VS Code (its errors are reported like any other invocation), type-checked. */
export function execute<A, R>(cmd: DeclaredCommand<A, R>, arg: A): Thenable<R | undefined> {
  return vscode.commands.executeCommand<R | undefined>(cmd.id, arg);
}
