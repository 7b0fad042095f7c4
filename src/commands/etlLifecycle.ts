// Stop / start / delete an ETL, and show its per-object errors.
//
// Plain arguments (tests): `{ cluster?, etl }` (or just the ETL name); `aistore.deleteEtl` also takes `confirm: false`
// to skip the question. stop/start/delete return the ETL's stage afterwards ('' when gone); showEtlErrors returns the
// errors and the report Uri.
import * as vscode from 'vscode';
import type { Services } from '../services';
import { UserError } from '../services/errors';
import { etlTarget } from './args';
import { confirm, pickCluster, pickRunningEtl } from './ui';

async function resolveEtl(s: Services, arg: unknown, title: string, runningOnly = false) {
  const t = etlTarget(arg);
  const cluster = await pickCluster(s, t?.cluster, title);
  const { client } = await s.clientFor(cluster);
  const etl = t?.etl ?? (runningOnly ? await pickRunningEtl(client, title) : await pickAnyEtl(client, title));
  return { cluster, client, etl };
}

export async function pickAnyEtl(client: Awaited<ReturnType<Services['clientFor']>>['client'], title: string): Promise<string> {
  const etls = await client.listEtls();
  if (etls.length === 0) throw new UserError('No ETLs on this cluster', 'deploy one with "AIStore: Deploy ETL"');
  const pick = await vscode.window.showQuickPick(etls.map((e) => ({ label: e.name, description: e.stage })), { title });
  if (!pick) throw Object.assign(new Error('Cancelled'), { name: 'Canceled' });
  return pick.label;
}

async function stageOf(client: Awaited<ReturnType<Services['clientFor']>>['client'], etl: string): Promise<string> {
  return (await client.listEtls()).find((e) => e.name === etl)?.stage ?? '';
}

export async function stopEtl(s: Services, arg?: unknown): Promise<string> {
  const { cluster, client, etl } = await resolveEtl(s, arg, 'Stop ETL', true);
  await client.stopEtl(etl);
  s.log.info(`stopped ETL ${etl} on ${cluster}`);
  s.tree.refreshEtls(cluster);
  return stageOf(client, etl);
}

export async function startEtl(s: Services, arg?: unknown): Promise<string> {
  const { cluster, client, etl } = await resolveEtl(s, arg, 'Start ETL');
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Starting ETL ${etl}` }, () => client.startEtl(etl, { timeoutMs: 15 * 60_000 }));
  s.log.info(`started ETL ${etl} on ${cluster}`);
  s.tree.refreshEtls(cluster);
  return stageOf(client, etl);
}

export async function deleteEtl(s: Services, arg?: unknown): Promise<string> {
  const { cluster, client, etl } = await resolveEtl(s, arg, 'Delete ETL');
  const skipAsk = (arg as { confirm?: boolean } | undefined)?.confirm === false;
  if (!skipAsk && !(await confirm(`Delete ETL ${etl} on ${cluster}? Its workers are stopped and its definition removed.`, 'Delete'))) return stageOf(client, etl);
  await client.deleteEtl(etl);
  s.log.info(`deleted ETL ${etl} on ${cluster}`);
  s.tree.refreshEtls(cluster);
  return stageOf(client, etl);
}

export async function showEtlErrors(s: Services, arg?: unknown): Promise<{ errors: { objName: string; message: string }[]; uri: vscode.Uri }> {
  const { client, etl } = await resolveEtl(s, arg, 'Show ETL errors');
  const jobId = (arg as { jobId?: string } | undefined)?.jobId;
  const d = await client.etlDetails(etl, jobId);
  const text = d.objErrors.length
    ? d.objErrors.map((e) => `${e.objName}\t${e.ecode ?? ''}\t${e.message}`).join('\n')
    : `No object errors recorded for ETL ${etl}${jobId ? ` in job ${jobId}` : ''}.`;
  const uri = await s.reports.show(`${etl} errors`, text);
  return { errors: d.objErrors, uri };
}
