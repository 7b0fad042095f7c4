// Prompts and progress shared by several commands.
import * as vscode from 'vscode';
import type { Services } from '../services';
import type { ClusterClient } from '../services/engineTypes';
import { UserError } from '../services/errors';

/** A notification with Cancel wired to an AbortSignal. */
export function withCancellableProgress<T>(title: string, task: (signal: AbortSignal, report: (message: string, increment?: number) => void) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
    const ac = new AbortController();
    const sub = token.onCancellationRequested(() => ac.abort());
    return task(ac.signal, (message, increment) => progress.report({ message, increment })).finally(() => sub.dispose());
  });
}

/** The cluster to use: given, the only one, or picked (active one first). */
export async function pickCluster(s: Services, given?: string, title = 'Cluster'): Promise<string> {
  if (given) return s.registry.resolve(given).id;
  const list = s.registry.list();
  if (list.length === 0) s.registry.resolve(undefined); // throws the "no cluster" message
  if (list.length === 1) return list[0].id;
  const active = s.registry.active();
  const items = [...list].sort((a, b) => (a.id === active?.id ? -1 : b.id === active?.id ? 1 : 0))
    .map((c) => ({ label: c.name, description: c.endpoint, detail: c.id === active?.id ? 'active' : undefined, id: c.id }));
  const pick = await vscode.window.showQuickPick(items, { title, placeHolder: 'Pick a cluster' });
  if (!pick) throw cancelled();
  return pick.id;
}

export async function pickRunningEtl(client: ClusterClient, title: string): Promise<string> {
  const etls = (await client.listEtls()).filter((e) => e.stage.toLowerCase() === 'running');
  if (etls.length === 0) throw new UserError('No ETL is running on this cluster', 'deploy one first: open an ETL file and run "AIStore: Deploy ETL"');
  if (etls.length === 1) return etls[0].name;
  const pick = await vscode.window.showQuickPick(etls.map((e) => ({ label: e.name, description: e.stage })), { title, placeHolder: 'Pick a running ETL' });
  if (!pick) throw cancelled();
  return pick.label;
}

export async function pickBucket(client: ClusterClient, title: string, exclude?: string): Promise<string> {
  const bcks = (await client.listBuckets()).filter((b) => b.name !== exclude);
  const pick = await vscode.window.showQuickPick(bcks.map((b) => ({ label: b.name, description: b.provider })), { title, placeHolder: 'Pick a bucket' });
  if (!pick) throw cancelled();
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
  if (!picked) throw cancelled();
  return picked;
}

export function cancelled(): Error { return Object.assign(new Error('Cancelled'), { name: 'Canceled' }); }

export async function confirm(message: string, action: string): Promise<boolean> {
  return (await vscode.window.showWarningMessage(message, { modal: true }, action)) === action;
}
