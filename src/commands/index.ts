// The command table: every command of the extension, registered once with one error path (ErrorReporter). Handlers
// receive the command context and their declared argument type; see ./table.ts.
import * as vscode from 'vscode';
import { createBucket, deleteBucket, uploadFile, uploadFolder } from './buckets';
import {
  addCluster,
  copyName,
  filterPrefix,
  loadMore,
  refresh,
  removeCluster,
  selectCluster,
  setToken,
} from './clusters';
import type { CommandContext } from './context';
import { deployEtl } from './deploy';
import { deleteEtl, showEtlErrors, startEtl, stopEtl } from './etlLifecycle';
import { deletePod, describePod, discoverClusters, explainPod, stopPortForward } from './k8s';
import { startLocalCluster, stopLocalCluster } from './localCluster';
import { followEtlLogs, followPodLogs, showEtlLogs } from './logs';
import { newEtl } from './newEtl';
import { declareCommand, type RegisteredCommand } from './table';
import { testOnFile, testOnObject } from './testEtl';
import { transformBucket } from './transformBucket';
import { restrictedModeError } from '../services/trust';
import { compareTransform, openObject, transformObject } from './transformObject';

const showLog = declareCommand<undefined, void>('aistore.showLog', 'Show log', (s) => s.log.show());

export const COMMANDS: readonly RegisteredCommand[] = [
  startLocalCluster,
  stopLocalCluster,
  addCluster,
  removeCluster,
  setToken,
  refresh,
  selectCluster,
  deployEtl,
  testOnObject,
  testOnFile,
  transformObject,
  compareTransform,
  transformBucket,
  stopEtl,
  startEtl,
  deleteEtl,
  showEtlLogs,
  followPodLogs,
  followEtlLogs,
  explainPod,
  describePod,
  deletePod,
  discoverClusters,
  stopPortForward,
  showEtlErrors,
  copyName,
  openObject,
  uploadFile,
  uploadFolder,
  createBucket,
  deleteBucket,
  filterPrefix,
  loadMore,
  showLog,
  newEtl,
];

/**
 * Registers commands (default: the table), each refused in Restricted Mode when it runs workspace code; a failing
 * command resolves to undefined after its error was reported once.
 */
export function registerCommands(
  ctx: CommandContext,
  commands: readonly RegisteredCommand[] = COMMANDS,
): vscode.Disposable[] {
  return commands.map((c) =>
    vscode.commands.registerCommand(c.id, async (arg?: unknown) => {
      try {
        const restricted = restrictedModeError(c.id, c.title, vscode.workspace.isTrusted);
        if (restricted) throw restricted;
        return await c.invoke(ctx, arg);
      } catch (err) {
        void ctx.errors.report(c, err);
        return undefined;
      }
    }),
  );
}
