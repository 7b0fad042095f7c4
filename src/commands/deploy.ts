// Deploy ETL: detect the file, ask for name / comm type / timeouts / cluster, build the local image for spec ETLs on
// the local cluster, then init on the cluster with a cancellable progress notification.
//
// Plain arguments (tests): `aistore.deployEtl({ uri, cluster?, name, commType?, initTimeout?, objTimeout? })` — with
// a name given nothing is prompted. Returns `{ cluster, name, xid, commType, notes }`.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { Services } from '../services';
import { runCli } from '../services/cli';
import type { CommType } from '../services/engineTypes';
import { formatError, isCancellation, ReportedError, UserError } from '../services/errors';
import { etlNameFromFile } from './args';
import { watchDeployPods, type DeployPodsWatch } from './deployPods';
import { cancelled, pickCluster, withCancellableProgress } from './ui';

export interface DeployArgs { uri?: vscode.Uri | string; cluster?: string; name?: string; commType?: string; initTimeout?: string; objTimeout?: string; definition?: number }
export interface DeployResult { cluster: string; name: string; xid: string; commType?: string; notes: string[] }

type Definition = ReturnType<Services['etl']['parseEtlFile']>['definitions'][number];

export async function deployEtl(s: Services, arg?: unknown): Promise<DeployResult> {
  const args = toDeployArgs(arg);
  const interactive = !args.name;
  const uri = resolveFileUri(args.uri);
  const text = await documentText(uri);
  const def = await pickDefinition(s, uri, text, args.definition);

  const clusterId = await pickCluster(s, args.cluster, 'Deploy ETL to cluster');
  const { client, entry } = await s.clientFor(clusterId);
  const info = await client.cluster();

  const name = args.name ?? await askName(s, def.name ?? etlNameFromFile(uri.fsPath));
  const nameErr = s.etl.validateEtlName(name);
  if (nameErr) throw new UserError(nameErr.includes(name) ? nameErr : `Invalid ETL name "${name}": ${nameErr}`, 'names are lowercase letters, digits and "-"');

  const commType = await chooseCommType(s, def, info.commTypes, args.commType, interactive);
  const timeouts = interactive ? await askTimeouts() : { initTimeout: args.initTimeout, objTimeout: args.objTimeout };
  const dependencies = def.kind === 'code' ? await readIfExists(join(dirname(uri.fsPath), 'requirements.txt')) : undefined;

  const built = s.etl.buildInitMessage(def as never, { name, commType, ...timeouts, dependencies }, info);
  for (const n of built.notes) s.log.info(`deploy ${name}: ${n}`);

  let pods: DeployPodsWatch | undefined;
  const xid = await withCancellableProgress(`Deploying ETL ${name}`, async (signal, report) => {
    const image = def.kind === 'pod-spec' || def.kind === 'runtime-spec' ? def.image : undefined;
    const dockerfile = join(dirname(uri.fsPath), 'Dockerfile');
    if (info.local && image && existsSync(dockerfile)) {
      report(`building ${image} from ${basename(dirname(uri.fsPath))}/Dockerfile`);
      await runCli(s.cliPath, ['build', '-t', image, dirname(uri.fsPath)], { log: (l) => s.log.info(`[build] ${l}`), signal });
    }
    report(`initializing on ${clusterId}`);
    // Clusters other than our local one run ETLs as pods (as the tree shows them): the pods per target feed the
    // progress message while the blocking init runs. Without a working kubeconfig this only logs one line.
    pods = entry.source === 'local' ? undefined : watchDeployPods(() => s.k8s.forCluster(entry), name,
      async () => (await client.clusterMap?.().catch(() => undefined))?.targets.map((t) => t.id) ?? 0,
      (m) => report(m), (m) => s.log.info(m));
    // Let the tree show the ETL as Initializing while the workers start.
    const showInit = setTimeout(() => s.tree.refreshEtls(clusterId), 1500);
    try { return await client.initEtl(built.body, { signal, timeoutMs: 15 * 60_000 }); } finally { clearTimeout(showInit); pods?.stop(); }
  }).then((x) => x, async (err) => {
    if (isCancellation(err)) throw err;
    const podStatus = await pods?.explainFailure().catch(() => undefined);
    await reportDeployFailure(s, clusterId, name, err, podStatus);
    if (podStatus) throw new ReportedError(err, `Deploy ETL ${name} failed: ${formatError(err)} Pod status: ${podStatus}`);
    throw new ReportedError(err, `Deploy ETL ${name} failed: ${formatError(err)}`);
  });

  s.log.info(`deployed ETL ${name} on ${clusterId} (xaction ${xid})`);
  s.tree.refreshEtls(clusterId);
  void vscode.window.showInformationMessage(`ETL ${name} is running on ${clusterId}`, 'Transform object…').then((a) => {
    if (a) void vscode.commands.executeCommand('aistore.transformObject', { cluster: clusterId, etl: name });
  });
  return { cluster: clusterId, name, xid, commType, notes: built.notes };
}

function toDeployArgs(arg: unknown): DeployArgs {
  if (arg instanceof vscode.Uri || typeof arg === 'string') return { uri: arg };
  return (arg && typeof arg === 'object' ? arg : {}) as DeployArgs;
}

export function resolveFileUri(u: vscode.Uri | string | undefined): vscode.Uri {
  if (u instanceof vscode.Uri) return u;
  if (typeof u === 'string' && u) return u.includes('://') ? vscode.Uri.parse(u) : vscode.Uri.file(u);
  const doc = vscode.window.activeTextEditor?.document;
  if (doc && doc.uri.scheme === 'file') return doc.uri;
  throw new UserError('No ETL file to deploy', 'open a transform (.py) or an ETL spec (.yaml) and run the command from its editor');
}

/** The editor's text when the file is open (unsaved edits included), else the file on disk. */
export async function documentText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  return Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
}

async function pickDefinition(s: Services, uri: vscode.Uri, text: string, index?: number): Promise<Definition> {
  const parsed = s.etl.parseEtlFile(uri.fsPath, text);
  const file = basename(uri.fsPath);
  if (parsed.kind === 'dockerfile') throw new UserError(`${file} is a Dockerfile`, 'deploy the pod spec (YAML) next to it; the local cluster builds this Dockerfile first');
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    const e = errors[0];
    throw new UserError(`${file}:${e.range.start.line + 1}: ${e.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`, 'fix the problems shown in the editor, then deploy again');
  }
  if (parsed.definitions.length === 0) throw new UserError(`${file} is not an ETL file`, 'expected a Python file with `def transform(...)`, an io:// script reading stdin, a pod spec or a runtime spec');
  if (index !== undefined) {
    const d = parsed.definitions[index];
    if (!d) throw new UserError(`${file} has ${parsed.definitions.length} ETL definitions; index ${index} does not exist`);
    return d;
  }
  if (parsed.definitions.length === 1) return parsed.definitions[0];
  const pick = await vscode.window.showQuickPick(parsed.definitions.map((d, i) => ({ label: d.name ?? `${d.kind} #${i + 1}`, description: d.kind, i })), { title: 'Deploy ETL', placeHolder: 'Which ETL of this file?' });
  if (!pick) throw cancelled();
  return parsed.definitions[pick.i];
}

async function askName(s: Services, suggested: string): Promise<string> {
  const name = await vscode.window.showInputBox({
    title: 'Deploy ETL', prompt: 'ETL name', value: suggested,
    validateInput: (v) => s.etl.validateEtlName(v.trim()),
  });
  if (name === undefined) throw cancelled();
  return name.trim();
}

async function chooseCommType(s: Services, def: Definition, allowed: CommType[], given: string | undefined, interactive: boolean): Promise<CommType | undefined> {
  if (def.kind === 'io') return 'io://';
  if (given) {
    const ct = s.etl.normalizeCommType(given);
    if (!ct) throw new UserError(`Unknown comm type "${given}"`, 'use hpush://, hpull://, ws:// or io://');
    if (allowed.length && !allowed.includes(ct)) throw new UserError(`This cluster does not accept ${ct}`, `use one of ${allowed.join(', ')}`);
    return ct;
  }
  const choices: CommType[] = allowed.filter((c) => c !== 'io://');
  const preferred = def.commType && choices.includes(def.commType) ? def.commType : undefined;
  if (!interactive || choices.length <= 1) return preferred ?? choices[0];
  const order = preferred ? [preferred, ...choices.filter((c) => c !== preferred)] : choices;
  const pick = await vscode.window.showQuickPick(order.map((c) => ({ label: c, description: commTypeHelp[c] })), { title: 'Deploy ETL', placeHolder: 'Communication type' });
  if (!pick) throw cancelled();
  return pick.label as CommType;
}

const commTypeHelp: Record<CommType, string> = {
  'hpull://': 'the ETL GETs the object from its target (redirect)',
  'hpush://': 'the target PUTs the object to the ETL',
  'ws://': 'objects stream over a WebSocket',
  'io://': 'stdin → stdout per object',
};

async function askTimeouts(): Promise<{ initTimeout?: string; objTimeout?: string }> {
  const pick = await vscode.window.showQuickPick([{ label: 'Deploy', description: 'cluster default timeouts' }, { label: 'Set timeouts…' }], { title: 'Deploy ETL' });
  if (!pick) throw cancelled();
  if (pick.label === 'Deploy') return {};
  const dur = (v: string) => (v === '' || /^\d+(ms|s|m|h)$/.test(v.trim()) ? undefined : 'A duration such as 45s or 5m');
  const initTimeout = await vscode.window.showInputBox({ title: 'Deploy ETL', prompt: 'Init timeout (how long the ETL may take to start)', value: '5m', validateInput: dur });
  if (initTimeout === undefined) throw cancelled();
  const objTimeout = await vscode.window.showInputBox({ title: 'Deploy ETL', prompt: 'Object timeout (per object)', value: '45s', validateInput: dur });
  if (objTimeout === undefined) throw cancelled();
  return { initTimeout: initTimeout.trim() || undefined, objTimeout: objTimeout.trim() || undefined };
}

async function readIfExists(path: string): Promise<string | undefined> {
  try { return await readFile(path, 'utf8'); } catch { return undefined; }
}

/** The AIS error with its hint, what the workers say, and "Show logs". */
async function reportDeployFailure(s: Services, clusterId: string, name: string, err: unknown, podStatus?: string): Promise<void> {
  const { client } = await s.clientFor(clusterId);
  const health = podStatus ? [] : await client.etlHealth(name).catch(() => []);
  const status = podStatus ? ` Pod status: ${podStatus}` : health.length ? ` Workers: ${health.map((h) => `${h.targetId} ${h.status}`).join(', ')}.` : '';
  const text = `Deploy ETL ${name} failed: ${formatError(err).replace(/[.\s]+$/, '')}.${status}`;
  s.log.error(text);
  s.tree.refreshEtls(clusterId);
  void vscode.window.showErrorMessage(text, 'Show logs', 'Show log').then((a) => {
    if (a === 'Show logs') void vscode.commands.executeCommand('aistore.showEtlLogs', { cluster: clusterId, etl: name });
    if (a === 'Show log') s.log.show(true);
  });
}
