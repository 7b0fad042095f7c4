// Stop / start / delete an ETL, and show its per-object errors.
//
// Plain arguments: `{ cluster?, etl }`; `aistore.deleteEtl` also takes `confirm: false` to skip the question.
// stop/start/delete return the ETL's stage afterwards ('' when gone); showEtlErrors returns the errors and the
// report Uri.
import * as vscode from 'vscode';
import type { EtlObjError } from '../engine/ais';
import type { ClusterClient } from '../services/engine';
import type { EtlNode } from '../views/treeNodes';
import { etlRef, type EtlRef } from './args';
import type { CommandContext } from './context';
import { userFrames } from './logs';
import { declareCommand } from './table';
import { confirm, pickAnyEtl, pickCluster, pickRunningEtl } from './ui';

type EtlCommandArg = EtlNode | EtlRef;

async function resolveEtl(s: CommandContext, arg: EtlCommandArg | undefined, title: string, runningOnly = false) {
  const t = etlRef(arg);
  const cluster = await pickCluster(s, t.cluster, title);
  const { client } = await s.clientFor(cluster);
  const etl = t.etl ?? (runningOnly ? await pickRunningEtl(client, title) : await pickAnyEtl(client, title));
  return { cluster, client, etl };
}

async function stageOf(client: ClusterClient, etl: string): Promise<string> {
  return (await client.listEtls()).find((e) => e.name === etl)?.stage ?? '';
}

export const stopEtl = declareCommand<EtlCommandArg, string>('aistore.stopEtl', 'Stop ETL', async (s, arg) => {
  const { cluster, client, etl } = await resolveEtl(s, arg, 'Stop ETL', true);
  await client.stopEtl(etl);
  s.log.info(`stopped ETL ${etl} on ${cluster}`);
  s.tree.refreshEtls(cluster);
  return stageOf(client, etl);
});

export const startEtl = declareCommand<EtlCommandArg, string>('aistore.startEtl', 'Start ETL', async (s, arg) => {
  const { cluster, client, etl } = await resolveEtl(s, arg, 'Start ETL');
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Starting ETL ${etl}` },
    () => client.startEtl(etl, { timeoutMs: 15 * 60_000 }),
  );
  s.log.info(`started ETL ${etl} on ${cluster}`);
  s.tree.refreshEtls(cluster);
  return stageOf(client, etl);
});

export const deleteEtl = declareCommand<EtlNode | (EtlRef & { confirm?: boolean }), string>(
  'aistore.deleteEtl',
  'Delete ETL',
  async (s, arg) => {
    const { cluster, client, etl } = await resolveEtl(s, arg, 'Delete ETL');
    const ask = !(arg && 'confirm' in arg && arg.confirm === false);
    const question = `Delete ETL ${etl} on ${cluster}? Its workers are stopped and its definition removed.`;
    if (ask && !(await confirm(question, 'Delete'))) return stageOf(client, etl);
    await client.deleteEtl(etl);
    s.deployed.forget(cluster, etl);
    s.log.info(`deleted ETL ${etl} on ${cluster}`);
    s.tree.refreshEtls(cluster);
    return stageOf(client, etl);
  },
);

export const showEtlErrors = declareCommand<
  EtlNode | (EtlRef & { jobId?: string }),
  { errors: EtlObjError[]; uri: vscode.Uri }
>('aistore.showEtlErrors', 'Show ETL errors', async (s, arg) => {
  const { client, etl } = await resolveEtl(s, arg, 'Show ETL errors');
  const jobId = arg && 'jobId' in arg ? arg.jobId : undefined;
  const d = await client.etlDetails(etl, jobId);
  const text = d.objErrors.length
    ? d.objErrors.map((e) => `${e.objName}\t${e.ecode ?? ''}\t${userFrames(s, e.message, etl)}`).join('\n')
    : `No object errors recorded for ETL ${etl}${jobId ? ` in job ${jobId}` : ''}.`;
  const uri = await s.reports.show(`${etl} errors`, text);
  return { errors: d.objErrors, uri };
});
