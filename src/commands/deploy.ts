// Deploy ETL: the path of a file to a running ETL. Detect and validate the file (engine/etl), choose name, comm type
// and timeouts (prompted, or given), build the init message for the cluster's version, build the local image for
// spec ETLs on the local cluster, then init with a cancellable progress notification fed by the pods' progress.
//
// Plain arguments: `aistore.deployEtl({ uri, cluster?, name, commType?, initTimeout?, objTimeout?, definition? })` —
// with a name given nothing is prompted. Returns `{ cluster, name, xid, commType, notes }`.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { ClusterInfo, CommType } from '../engine/ais';
import { isGoDuration, type EtlDefinition, type InitChoices } from '../engine/etl';
import { runCli } from '../services/cli';
import type { ClusterEntry } from '../services/clusterSources';
import type { ClusterClient } from '../services/engine';
import { CancelledError, formatError, isCancellation, UiError } from '../services/errors';
import { etlNameFromFile } from './args';
import type { CommandContext } from './context';
import { watchDeployPods, type DeployPodsWatch } from './deployPods';
import { showEtlLogs } from './logs';
import { declareCommand } from './table';
import { transformObject } from './transformObject';
import { askText, execute, pickCluster, withCancellableProgress, type ProgressReport } from './ui';

export interface DeployArgs {
  uri?: vscode.Uri | string; cluster?: string; name?: string; commType?: string; initTimeout?: string; objTimeout?: string;
  /** Which ETL of a file that defines several (index into the parse). */
  definition?: number;
}
export interface DeployResult { cluster: string; name: string; xid: string; commType?: CommType; notes: string[] }

/** Everything known before the init call. */
interface DeployPlan {
  uri: vscode.Uri; def: EtlDefinition; entry: ClusterEntry; client: ClusterClient; info: ClusterInfo; choices: InitChoices;
  /** The name is taken on the cluster and the user chose to replace that ETL. */
  replace: boolean;
}

export const deployEtl = declareCommand<vscode.Uri | DeployArgs, DeployResult>('aistore.deployEtl', 'Deploy ETL', async (s, arg) => {
  const plan = await planDeploy(s, arg instanceof vscode.Uri ? { uri: arg } : arg ?? {});
  const { entry, choices: { name } } = plan;
  const built = s.etl.buildInitMessage(plan.def, plan.choices, plan.info);
  for (const n of built.notes) s.log.info(`deploy ${name}: ${n}`);
  const xid = await initOnCluster(s, plan, built.body);
  s.log.info(`deployed ETL ${name} on ${entry.id} (xaction ${xid})`);
  s.tree.refreshEtls(entry.id);
  void vscode.window.showInformationMessage(`ETL ${name} is running on ${entry.id}`, 'Transform object…').then((a) => {
    if (a) void execute(transformObject, { cluster: entry.id, etl: name });
  });
  return { cluster: entry.id, name, xid, commType: plan.choices.commType, notes: built.notes };
});

async function planDeploy(s: CommandContext, args: DeployArgs): Promise<DeployPlan> {
  const interactive = !args.name;
  const uri = resolveFileUri(args.uri);
  const def = await pickDefinition(s, uri, await documentText(uri), args.definition);
  const cluster = await pickCluster(s, args.cluster, 'Deploy ETL to cluster');
  const { client, entry } = await s.clientFor(cluster);
  const info = await client.cluster();
  const name = args.name ?? await askName(s, def.name ?? etlNameFromFile(uri.fsPath));
  const nameErr = s.etl.validateEtlName(name);
  if (nameErr) {
    const message = nameErr.includes(name) ? nameErr : `Invalid ETL name "${name}": ${nameErr}`;
    throw new UiError(message, { hint: 'names are lowercase letters, digits and "-"' });
  }
  const replace = interactive && (await confirmReplace(client, name, entry.id));
  const commType = await chooseCommType(s, def, info.commTypes, args.commType, interactive);
  const timeouts = interactive ? await askTimeouts() : { initTimeout: args.initTimeout, objTimeout: args.objTimeout };
  const dependencies = def.kind === 'code' ? await readIfExists(join(dirname(uri.fsPath), 'requirements.txt')) : undefined;
  return { uri, def, entry, client, info, replace, choices: { name, commType, ...timeouts, dependencies } };
}

/** The blocking init, with the local image build first when needed; a failure says what the workers say. */
async function initOnCluster(s: CommandContext, plan: DeployPlan, body: Record<string, unknown>): Promise<string> {
  const { entry, client, choices: { name } } = plan;
  let pods: DeployPodsWatch | undefined;
  try {
    return await withCancellableProgress(`Deploying ETL ${name}`, async (signal, report) => {
      await buildLocalImage(s, plan, signal, report);
      if (plan.replace) await client.deleteEtl(name, { signal });
      report(`initializing on ${entry.id}`);
      pods = watchPods(s, plan, report);
      // Let the tree show the ETL as Initializing while the workers start.
      const showInit = setTimeout(() => s.tree.refreshEtls(entry.id), 1500);
      try { return await client.initEtl(body, { signal, timeoutMs: 15 * 60_000 }); } finally { clearTimeout(showInit); pods?.stop(); }
    });
  } catch (err) {
    if (isCancellation(err)) throw err;
    s.tree.refreshEtls(entry.id);
    throw await deployFailure(s, plan, err, await pods?.explainFailure().catch(() => undefined));
  }
}

/** Spec ETLs on the local cluster run the image built from the Dockerfile next to the spec. */
async function buildLocalImage(s: CommandContext, plan: DeployPlan, signal: AbortSignal, report: ProgressReport): Promise<void> {
  const image = plan.def.kind === 'pod-spec' || plan.def.kind === 'runtime-spec' ? plan.def.image : undefined;
  const dir = dirname(plan.uri.fsPath);
  if (!plan.info.local || !image || !existsSync(join(dir, 'Dockerfile'))) return;
  report(`building ${image} from ${basename(dir)}/Dockerfile`);
  await runCli(s.cliPath, ['build', '-t', image, dir], { log: (l) => s.log.info(`[build] ${l}`), signal });
}

/**
 * Clusters other than our local one run ETLs as pods (as the tree shows them): the pods per target feed the progress
 * message while the blocking init runs. Without a working kubeconfig this only logs one line.
 */
function watchPods(s: CommandContext, plan: DeployPlan, report: ProgressReport): DeployPodsWatch | undefined {
  const { entry, client, choices: { name } } = plan;
  if (entry.source === 'local') return undefined;
  const targets = async () => (await client.clusterMap().catch(() => undefined))?.targets.map((t) => t.id) ?? 0;
  return watchDeployPods(() => s.k8s.forCluster(entry), name, targets, (m) => report(m), (m) => s.log.info(m));
}

/** The AIS error with its hint, what the pods or workers say, and "Show logs". */
async function deployFailure(s: CommandContext, plan: DeployPlan, err: unknown, podStatus: string | undefined): Promise<UiError> {
  const { entry, client, choices: { name } } = plan;
  const health = podStatus ? [] : await client.etlHealth(name).catch(() => []);
  const status = podStatus ? ` Pod status: ${podStatus}`
    : health.length ? ` Workers: ${health.map((h) => `${h.targetId} ${h.status}`).join(', ')}.` : '';
  const showLogs = { title: 'Show logs', run: () => execute(showEtlLogs, { cluster: entry.id, etl: name }) };
  return new UiError(`ETL ${name} did not start: ${formatError(err).replace(/[.\s]+$/, '')}.${status}`,
    { cause: err, actions: [showLogs] });
}

export function resolveFileUri(u: vscode.Uri | string | undefined): vscode.Uri {
  if (u instanceof vscode.Uri) return u;
  if (typeof u === 'string' && u) return u.includes('://') ? vscode.Uri.parse(u) : vscode.Uri.file(u);
  const doc = vscode.window.activeTextEditor?.document;
  if (doc && doc.uri.scheme === 'file') return doc.uri;
  throw new UiError('No ETL file to deploy',
    { hint: 'open a transform (.py) or an ETL spec (.yaml) and run the command from its editor' });
}

/** The editor's text when the file is open (unsaved edits included), else the file on disk. */
export async function documentText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  return Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
}

async function pickDefinition(s: CommandContext, uri: vscode.Uri, text: string, index?: number): Promise<EtlDefinition> {
  const parsed = s.etl.parseEtlFile(uri.fsPath, text);
  const file = basename(uri.fsPath);
  if (parsed.kind === 'dockerfile') {
    throw new UiError(`${file} is a Dockerfile`, { hint: 'deploy the pod spec (YAML) next to it; the local cluster builds this Dockerfile first' });
  }
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    throw new UiError(`${file}:${errors[0].range.start.line + 1}: ${errors[0].message}${more}`,
      { hint: 'fix the problems shown in the editor, then deploy again' });
  }
  const defs = parsed.definitions;
  if (defs.length === 0) {
    throw new UiError(`${file} is not an ETL file`,
      { hint: 'expected a Python file with `def transform(...)`, an io:// script reading stdin, a pod spec or a runtime spec' });
  }
  if (index !== undefined) {
    if (!defs[index]) throw new UiError(`${file} has ${defs.length} ETL definitions; index ${index} does not exist`);
    return defs[index];
  }
  if (defs.length === 1) return defs[0];
  const items = defs.map((d, i) => ({ label: d.name ?? `${d.kind} #${i + 1}`, description: d.kind, def: d }));
  const pick = await vscode.window.showQuickPick(items, { title: 'Deploy ETL', placeHolder: 'Which ETL of this file?' });
  if (!pick) throw new CancelledError();
  return pick.def;
}

/** A name already taken on the cluster: replacing it is the user's call (AIS would refuse the init). */
async function confirmReplace(client: ClusterClient, name: string, cluster: string): Promise<boolean> {
  const existing = (await client.listEtls()).find((e) => e.name === name);
  if (!existing) return false;
  const question = `ETL ${name} already exists on ${cluster} (${existing.stage}). Replace it with this file?`;
  const answer = await vscode.window.showWarningMessage(question, { modal: true }, 'Replace');
  if (answer !== 'Replace') throw new CancelledError();
  return true;
}

async function askName(s: CommandContext, suggested: string): Promise<string> {
  const name = await askText({ title: 'Deploy ETL', prompt: 'ETL name', value: suggested, validateInput: (v) => s.etl.validateEtlName(v.trim()) });
  return name.trim();
}

const COMM_TYPE_HELP: Record<CommType, string> = {
  'hpull://': 'the ETL GETs the object from its target (redirect)',
  'hpush://': 'the target PUTs the object to the ETL',
  'ws://': 'objects stream over a WebSocket',
  'io://': 'stdin → stdout per object',
};

async function chooseCommType(s: CommandContext, def: EtlDefinition, allowed: CommType[], given: string | undefined,
  interactive: boolean): Promise<CommType | undefined> {
  if (def.kind === 'io') return 'io://';
  if (given) {
    const ct = s.etl.normalizeCommType(given);
    if (!ct) throw new UiError(`Unknown comm type "${given}"`, { hint: 'use hpush://, hpull://, ws:// or io://' });
    if (allowed.length && !allowed.includes(ct)) throw new UiError(`This cluster does not accept ${ct}`, { hint: `use one of ${allowed.join(', ')}` });
    return ct;
  }
  const choices: CommType[] = allowed.filter((c) => c !== 'io://');
  const preferred = def.commType && choices.includes(def.commType) ? def.commType : undefined;
  if (!interactive || choices.length <= 1) return preferred ?? choices[0];
  const order = preferred ? [preferred, ...choices.filter((c) => c !== preferred)] : choices;
  const items = order.map((c) => ({ label: c, description: COMM_TYPE_HELP[c], commType: c }));
  const pick = await vscode.window.showQuickPick(items, { title: 'Deploy ETL', placeHolder: 'Communication type' });
  if (!pick) throw new CancelledError();
  return pick.commType;
}

/** Why a typed timeout is not usable; '' means "the cluster's default". The engine's Go-duration rule decides. */
export function timeoutProblem(v: string): string | undefined {
  return v.trim() === '' || isGoDuration(v.trim()) ? undefined : 'A duration such as 45s, 5m or 1h30m';
}

async function askTimeouts(): Promise<{ initTimeout?: string; objTimeout?: string }> {
  const items = [{ label: 'Deploy', description: 'cluster default timeouts' }, { label: 'Set timeouts…' }];
  const pick = await vscode.window.showQuickPick(items, { title: 'Deploy ETL' });
  if (!pick) throw new CancelledError();
  if (pick.label === 'Deploy') return {};
  const ask = (prompt: string, value: string) => askText({ title: 'Deploy ETL', prompt, value, validateInput: timeoutProblem });
  const initTimeout = await ask('Init timeout (how long the ETL may take to start)', '5m');
  const objTimeout = await ask('Object timeout (per object)', '45s');
  return { initTimeout: initTimeout.trim() || undefined, objTimeout: objTimeout.trim() || undefined };
}

async function readIfExists(path: string): Promise<string | undefined> {
  try { return await readFile(path, 'utf8'); } catch { return undefined; }
}
