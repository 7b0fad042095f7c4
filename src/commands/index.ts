// Registers every command of the VS Code layer (except "New ETL…", which the authoring room registers). Each handler
// gets the services plus the raw arguments (tree node, Uri or plain object) and returns something tests can check.
// Errors are shown once, with "Show log", and recorded in `services.lastError`.
import * as vscode from 'vscode';
import type { Services } from '../services';
import { formatError, isCancellation, ReportedError } from '../services/errors';
import { notifyError } from '../services/log';
import { createBucket, deleteBucket, uploadFile, uploadFolder } from './buckets';
import { addCluster, copyName, filterPrefix, loadMore, refresh, removeCluster, selectCluster, setToken } from './clusters';
import { deployEtl } from './deploy';
import { deleteEtl, showEtlErrors, startEtl, stopEtl } from './etlLifecycle';
import { describePod, deletePod, discoverClusters, explainPod, stopAllPortForwards, stopPortForward } from './k8s';
import { disposeLogChannels, followEtlLogs, followPodLogs, showEtlLogs } from './logs';
import { startLocalCluster, stopLocalCluster } from './localCluster';
import { testOnFile, testOnObject } from './testEtl';
import { transformBucket } from './transformBucket';
import { compareTransform, openObject, transformObject } from './transformObject';

type Handler = (s: Services, ...args: unknown[]) => Promise<unknown> | unknown;

export const COMMANDS: Record<string, { title: string; run: Handler }> = {
  'aistore.startLocalCluster': { title: 'Start local cluster', run: startLocalCluster },
  'aistore.stopLocalCluster': { title: 'Stop local cluster', run: stopLocalCluster },
  'aistore.addCluster': { title: 'Add cluster', run: addCluster },
  'aistore.removeCluster': { title: 'Remove cluster', run: removeCluster },
  'aistore.setToken': { title: 'Set token', run: setToken },
  'aistore.refresh': { title: 'Refresh', run: refresh },
  'aistore.selectCluster': { title: 'Select cluster', run: selectCluster },
  'aistore.deployEtl': { title: 'Deploy ETL', run: deployEtl },
  'aistore.testOnObject': { title: 'Test on object', run: testOnObject },
  'aistore.testOnFile': { title: 'Test on file', run: testOnFile },
  'aistore.transformObject': { title: 'Transform with ETL', run: transformObject },
  'aistore.compareTransform': { title: 'Compare input and output', run: compareTransform },
  'aistore.transformBucket': { title: 'Transform bucket', run: transformBucket },
  'aistore.stopEtl': { title: 'Stop ETL', run: stopEtl },
  'aistore.startEtl': { title: 'Start ETL', run: startEtl },
  'aistore.deleteEtl': { title: 'Delete ETL', run: deleteEtl },
  'aistore.showEtlLogs': { title: 'Show logs', run: showEtlLogs },
  'aistore.followPodLogs': { title: 'Follow logs', run: followPodLogs },
  'aistore.followEtlLogs': { title: 'Follow logs (all targets)', run: followEtlLogs },
  'aistore.explainPod': { title: 'Explain pod', run: explainPod },
  'aistore.describePod': { title: 'Describe pod', run: describePod },
  'aistore.deletePod': { title: 'Delete pod', run: deletePod },
  'aistore.discoverClusters': { title: 'Find AIS clusters in Kubernetes', run: discoverClusters },
  'aistore.stopPortForward': { title: 'Stop port-forward', run: stopPortForward },
  'aistore.showEtlErrors': { title: 'Show ETL errors', run: showEtlErrors },
  'aistore.copyName': { title: 'Copy name', run: copyName },
  'aistore.openObject': { title: 'Open object', run: openObject },
  'aistore.uploadFile': { title: 'Upload file', run: uploadFile },
  'aistore.uploadFolder': { title: 'Upload folder', run: uploadFolder },
  'aistore.createBucket': { title: 'Create bucket', run: createBucket },
  'aistore.deleteBucket': { title: 'Delete bucket', run: deleteBucket },
  'aistore.filterPrefix': { title: 'Filter by prefix', run: filterPrefix },
  'aistore.loadMore': { title: 'Load more', run: loadMore },
  'aistore.showLog': { title: 'Show log', run: (s) => s.log.show() },
};

export function registerCommands(s: Services): void {
  for (const [id, { title, run }] of Object.entries(COMMANDS)) {
    s.context.subscriptions.push(vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await run(s, ...args);
      } catch (err) {
        const real = err instanceof ReportedError ? err.original : err;
        s.lastError = { command: id, message: err instanceof ReportedError ? err.message : `${title} failed: ${formatError(real)}` };
        if (!(err instanceof ReportedError)) void notifyError(s.log, `${title} failed`, real);
        else if (!isCancellation(real)) s.log.debug(`${id}: ${err.message}`);
        // Tests pass `{ rethrow: true }` to get the error from executeCommand.
        if (args.some((a) => a && typeof a === 'object' && (a as { rethrow?: unknown }).rethrow === true)) throw real;
        return undefined;
      }
    }));
  }
  s.context.subscriptions.push({ dispose: disposeLogChannels }, { dispose: () => void stopAllPortForwards(s) });
}
