// "Debug ETL (attach)" on an ETL of the local cluster: its workers restart under debugpy (one per target), VS Code
// attaches a session to each; stopping one stops them all, and then the workers restart normally.
//
// Plain arguments: `aistore.attachEtl({ cluster?, etl })`; returns true when the sessions started.
import * as vscode from 'vscode';
import { LOCAL_DEPLOYMENT, type EtlDebugTarget } from '../engine/ais';
import { etlRef, type EtlArg } from '../commands/args';
import type { CommandContext } from '../commands/context';
import { declareCommand } from '../commands/table';
import { pickCluster, pickRunningEtl } from '../commands/ui';
import type { ClusterClient } from '../services/engine';
import { UiError } from '../services/errors';
import { ensureDebugpyWithConsent } from './debugpyConsent';
import { attachConfigurations, attachInfo } from './attachConfig';
import { DEBUG_TYPE } from './config';

const TITLE = 'Debug ETL (attach)';

export const attachEtl = declareCommand<EtlArg, boolean>('aistore.attachEtl', TITLE, async (s, arg) => {
  const ref = etlRef(arg);
  const cluster = await pickCluster(s, ref.cluster, TITLE);
  const { client } = await s.clientFor(cluster);
  if ((await client.cluster()).deployment !== LOCAL_DEPLOYMENT) {
    throw new UiError(`Attach works on the local cluster; ${cluster} is not it`, {
      hint: 'use "Debug ETL on this object" (right-click an object) for a real cluster',
    });
  }
  const etl = ref.etl ?? (await pickRunningEtl(client, TITLE));
  await ensureDebugpyWithConsent(undefined, s.log);
  const targets = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Restarting ETL ${etl} under the debugger` },
    () => client.setEtlDebug(etl, true),
  );
  const userFile = s.deployed.get(cluster, etl)?.file;
  const configs = attachConfigurations(cluster, etl, targets, userFile);
  detachWhenAllEnd(s, client, cluster, etl, configs.length);
  const started = await Promise.all(configs.map((c) => vscode.debug.startDebugging(undefined, c)));
  if (!started.every(Boolean)) {
    await client.setEtlDebug(etl, false).catch(() => undefined);
    throw new UiError(`Could not attach to ETL ${etl}`, {
      hint: 'see the Debug Console; its workers run normally again',
    });
  }
  const where = breakpointsWhere(targets, userFile);
  s.log.info(`debugging ETL ${etl} on ${cluster}: ${targets.length} target(s), obj_timeout suspended`);
  void vscode.window.showInformationMessage(
    `Debugging ETL ${etl} on ${targets.length} target(s): the next transform ` +
      `stops at ${where}. obj_timeout is suspended until you stop debugging, which restores normal workers.`,
  );
  return true;
});

/** Where breakpoints bind: the deployed file (mapped onto the worker's copy), the server's own files, or the copy. */
function breakpointsWhere(targets: EtlDebugTarget[], userFile: string | undefined): string {
  if (!targets.some((t) => t.codeFile)) return "breakpoints in the server's own files";
  if (userFile) return `breakpoints in ${vscode.workspace.asRelativePath(userFile)}`;
  return `breakpoints in the worker's copy (${targets[0].codeFile}): deploy from VS Code to map it to your file`;
}

/** The sessions are one attach: when one ends, the others (one per target) end too, then the workers restart
 *  without the debugger. */
function detachWhenAllEnd(s: CommandContext, client: ClusterClient, cluster: string, etl: string, n: number): void {
  const ours = (session: vscode.DebugSession): boolean => {
    const a = session.type === DEBUG_TYPE ? attachInfo(session.configuration) : undefined;
    return a?.cluster === cluster && a.etl === etl;
  };
  const running = new Set<vscode.DebugSession>();
  const started = vscode.debug.onDidStartDebugSession((session) => {
    if (ours(session)) running.add(session);
  });
  let left = n;
  const ended = vscode.debug.onDidTerminateDebugSession((session) => {
    if (!ours(session)) return;
    running.delete(session);
    for (const other of running) void vscode.debug.stopDebugging(other);
    if (--left > 0) return;
    started.dispose();
    ended.dispose();
    client.setEtlDebug(etl, false).then(
      () => s.log.info(`ETL ${etl} on ${cluster}: debugging ended, normal workers and obj_timeout restored`),
      (e: Error) => s.log.error(`ETL ${etl}: restoring normal workers failed: ${e.message}`),
    );
  });
}
