// Start / stop the local AIS cluster (a child process running `dist/cli.js local start`).
//
// No arguments. `aistore.startLocalCluster` returns `{ endpoint, reused }`; `aistore.stopLocalCluster` returns true
// when a cluster was stopped.
import * as vscode from 'vscode';
import { declareCommand } from './table';
import { withCancellableProgress } from './ui';

export const startLocalCluster = declareCommand<undefined, { endpoint: string; reused: boolean }>(
  'aistore.startLocalCluster',
  'Start local cluster',
  async (s) => {
    const r = await withCancellableProgress('Starting local AIS cluster', (signal) => s.local.start(signal));
    s.registry.setLocalEndpoint(r.endpoint);
    const local = s.registry.local();
    if (local) s.registry.setActive(local.id);
    s.tree.refresh();
    s.log.info(`local cluster ${r.reused ? 'already running' : 'started'} at ${r.endpoint}`);
    void vscode.window.showInformationMessage(
      `Local AIS cluster ${r.reused ? 'is running' : 'started'} at ${r.endpoint}`,
    );
    return r;
  },
);

export const stopLocalCluster = declareCommand<unknown, boolean>(
  'aistore.stopLocalCluster',
  'Stop local cluster',
  async (s) => {
    const stopped = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Stopping local AIS cluster' },
      () => s.local.stop(),
    );
    s.registry.setLocalEndpoint(undefined);
    s.tree.refresh();
    s.log.info(stopped ? 'local cluster stopped' : 'no local cluster was running');
    if (!stopped) void vscode.window.showInformationMessage('No local AIS cluster is running');
    return stopped;
  },
);
