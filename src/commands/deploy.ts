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
import type { ClusterInfo, CommType, EtlInfo } from '../engine/ais';
import { isEtlRunning } from '../engine/ais/etl-stage';
import { isGoDuration, wsServerProblem, type BuiltInit, type EtlDefinition, type InitChoices } from '../engine/etl';
import { markAsEtlDocument } from '../language/etlIntent';
import { runCli } from '../services/cli';
import type { ClusterEntry } from '../services/clusterSources';
import type { ClusterClient } from '../services/engine';
import { DeployedEtls } from '../services/deployedEtls';
import { CancelledError, formatError, isCancellation, UiError } from '../services/errors';
import type { CommandContext } from './context';
import { watchDeployPods, type DeployPodsWatch } from './deployPods';
import { checkEtlName, nameFromPath, uniqueEtlName } from './etlNames';
import { showEtlLogs } from './logs';
import { askInput, pickOne } from './prompts';
import { declareCommand } from './table';
import { transformObject } from './transformObject';
import { execute, pickCluster, withCancellableProgress, type ProgressReport } from './ui';

export interface DeployArgs {
  uri?: vscode.Uri | string;
  cluster?: string;
  name?: string;
  commType?: string;
  initTimeout?: string;
  objTimeout?: string;
  /** Which ETL of a file that defines several (index into the parse). */
  definition?: number;
  /** With a name given: an ETL of that name is stopped and deleted first (otherwise that is an error). */
  replace?: boolean;
  /** A short-lived deployment (Test on object): no "is running" message. */
  temporary?: boolean;
}
export interface DeployResult {
  cluster: string;
  name: string;
  xid: string;
  commType?: CommType;
  notes: string[];
  /** The same text was already running under this name: nothing was deployed. */
  alreadyDeployed?: boolean;
  /** An ETL of this name was stopped and deleted first. */
  replaced: boolean;
}

/** Everything known before the init call. */
interface DeployPlan {
  uri: vscode.Uri;
  def: EtlDefinition;
  entry: ClusterEntry;
  client: ClusterClient;
  info: ClusterInfo;
  choices: InitChoices;
  /** The name is taken on the cluster and the user chose to replace that ETL. */
  replace: boolean;
  /** The same text already runs under the name. */
  already: boolean;
  hash: string;
  temporary?: boolean;
}

export const deployEtl = declareCommand<vscode.Uri | DeployArgs, DeployResult>(
  'aistore.deployEtl',
  'Deploy ETL',
  async (s, arg) => {
    const plan = await planDeploy(s, arg instanceof vscode.Uri ? { uri: arg } : (arg ?? {}));
    const {
      entry,
      choices: { name },
    } = plan;
    if (plan.already) return alreadyDeployed(s, plan);
    const built = await buildInit(s, plan);
    for (const n of new Set(built.notes)) s.log.info(`deploy ${name}: ${n}`);
    const xid = await initOnCluster(s, plan, built.body);
    s.deployed.remember(entry.id, name, { file: plan.uri.fsPath, hash: plan.hash });
    s.log.info(`deployed ETL ${name} on ${entry.id} (xaction ${xid})`);
    s.tree.refreshEtls(entry.id);
    if (plan.temporary)
      return { cluster: entry.id, name, xid, commType: plan.choices.commType, notes: built.notes, replaced: false };
    void vscode.window
      .showInformationMessage(`ETL ${name} is running on ${entry.id}`, 'Transform object…')
      .then((a) => {
        if (a) void execute(transformObject, { cluster: entry.id, etl: name });
      });
    return {
      cluster: entry.id,
      name,
      xid,
      commType: plan.choices.commType,
      notes: built.notes,
      replaced: plan.replace,
    };
  },
);

/** Init message for the cluster; an ETLServer class is first pickled by the user's Python, as init_class does. */
async function buildInit(s: CommandContext, plan: DeployPlan): Promise<BuiltInit> {
  const { def, choices, info, uri } = plan;
  if (def.kind !== 'etl-class') return s.etl.buildInitMessage(def, choices, info);
  try {
    return await withCancellableProgress(`Deploying ETL ${choices.name}`, (signal, report) => {
      report(`pickling ${def.className} with the ETL Python, as the SDK's init_class does`);
      return s.etl.buildInitClassMessage(uri.fsPath, def, choices, info, { signal });
    });
  } catch (err) {
    if (isCancellation(err) || !(err instanceof Error)) throw err;
    // The first line says what to do; a traceback (import errors) goes to the log.
    const [first, ...rest] = err.message.split('\n');
    if (rest.length) s.log.error(`deploy ${choices.name}: ${err.message}`);
    throw new UiError(first, { cause: err, ...(rest.length ? { hint: 'the traceback is in the AIStore log' } : {}) });
  }
}

/** The same text already runs under this name: nothing to deploy. */
function alreadyDeployed(s: CommandContext, plan: DeployPlan): DeployResult {
  const {
    entry,
    choices: { name },
  } = plan;
  const message = `ETL ${name} is already deployed on ${entry.id} with this content`;
  s.log.info(message);
  void vscode.window.showInformationMessage(message, 'Transform object…').then((a) => {
    if (a) void execute(transformObject, { cluster: entry.id, etl: name });
  });
  return { cluster: entry.id, name, xid: '', notes: [], alreadyDeployed: true, replaced: false };
}

async function planDeploy(s: CommandContext, args: DeployArgs): Promise<DeployPlan> {
  const interactive = !args.name;
  const uri = resolveFileUri(args.uri);
  // Whatever the outcome, this file is meant as an ETL: the editor explains what is missing if it is not one yet.
  markAsEtlDocument(uri.toString());
  const text = await documentText(uri);
  const def = await pickDefinition(s, uri, text, args.definition);
  const cluster = await pickCluster(s, args.cluster, 'Deploy ETL to cluster');
  const { client, entry } = await s.clientFor(cluster);
  const [info, existing] = await Promise.all([client.cluster(), client.listEtls()]);
  const title = `Deploy ${basename(uri.fsPath)} to ${entry.name}`;
  const name = args.name ?? (await askName(title, suggestName(s, uri, def, existing, entry.id), existing, entry.id));
  const nameErr = s.etl.validateEtlName(name);
  if (nameErr) {
    const message = nameErr.includes(name) ? nameErr : `Invalid ETL name "${name}": ${nameErr}`;
    throw new UiError(message, { hint: 'names are lowercase letters, digits and "-"' });
  }
  const hash = DeployedEtls.hash(text);
  const taken = existing.find((e) => e.name === name);
  const already = !!taken && isEtlRunning(taken.stage) && s.deployed.get(entry.id, name)?.hash === hash;
  const replace =
    !!taken && !already && (await decideReplace(taken, entry.id, interactive ? undefined : (args.replace ?? false)));
  const base = { uri, def, entry, client, info, replace, already, hash, temporary: args.temporary };
  if (already) return { ...base, choices: { name } };
  const commType = await chooseCommType(s, def, info.commTypes, args.commType, interactive ? title : undefined);
  const timeouts = interactive
    ? await askTimeouts(title)
    : { initTimeout: args.initTimeout, objTimeout: args.objTimeout };
  const dependencies =
    def.kind === 'code' || def.kind === 'etl-class'
      ? await readIfExists(join(dirname(uri.fsPath), 'requirements.txt'))
      : undefined;
  return { ...base, choices: { name, commType, ...timeouts, dependencies } };
}

/** The definition's own name, else one from the file or folder that is free on the cluster. */
function suggestName(
  s: CommandContext,
  uri: vscode.Uri,
  def: EtlDefinition,
  existing: EtlInfo[],
  cluster: string,
): string {
  if (def.name) return def.name;
  const own = s.deployed.namesOf(cluster, uri.fsPath);
  return uniqueEtlName(
    nameFromPath(uri.fsPath),
    existing.map((e) => e.name),
    own,
  );
}

/** The blocking init, with the local image build first when needed; a failure says what the workers say. */
async function initOnCluster(s: CommandContext, plan: DeployPlan, body: Record<string, unknown>): Promise<string> {
  const {
    entry,
    client,
    choices: { name },
  } = plan;
  let pods: DeployPodsWatch | undefined;
  try {
    return await withCancellableProgress(`Deploying ETL ${name}`, async (signal, report) => {
      await buildLocalImage(s, plan, signal, report);
      if (plan.replace) await removeExisting(s, plan, signal, report);
      report(`initializing on ${entry.id}`);
      pods = watchPods(s, plan, report);
      // Let the tree show the ETL as Initializing while the workers start.
      const showInit = setTimeout(() => s.tree.refreshEtls(entry.id), 1500);
      try {
        return await client.initEtl(body, { signal, timeoutMs: 15 * 60_000 });
      } finally {
        clearTimeout(showInit);
        pods?.stop();
      }
    });
  } catch (err) {
    if (isCancellation(err)) throw err;
    s.tree.refreshEtls(entry.id);
    throw await deployFailure(s, plan, err, await pods?.explainFailure().catch(() => undefined));
  }
}

/** Replace = stop, delete, then the init of the new text under the same name. */
async function removeExisting(
  s: CommandContext,
  plan: DeployPlan,
  signal: AbortSignal,
  report: ProgressReport,
): Promise<void> {
  const {
    entry,
    client,
    choices: { name },
  } = plan;
  report(`stopping and deleting the ETL ${name} it replaces`);
  try {
    await client.stopEtl(name, { signal });
  } catch (err) {
    if (isCancellation(err)) throw err;
    s.log.info(`stop ${name} before replacing: ${formatError(err)}`); // delete stops it too
  }
  await client.deleteEtl(name, { signal });
  s.deployed.forget(entry.id, name);
}

/** Spec ETLs on the local cluster run the image built from the Dockerfile next to the spec. */
async function buildLocalImage(
  s: CommandContext,
  plan: DeployPlan,
  signal: AbortSignal,
  report: ProgressReport,
): Promise<void> {
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
  const {
    entry,
    client,
    choices: { name },
  } = plan;
  if (entry.source === 'local') return undefined;
  const targets = async () => (await client.clusterMap().catch(() => undefined))?.targets.map((t) => t.id) ?? 0;
  return watchDeployPods(
    () => s.k8s.forCluster(entry),
    name,
    targets,
    (m) => report(m),
    (m) => s.log.info(m),
  );
}

/** The AIS error with its hint, what the pods or workers say, and "Show logs". */
async function deployFailure(
  s: CommandContext,
  plan: DeployPlan,
  err: unknown,
  podStatus: string | undefined,
): Promise<UiError> {
  const {
    entry,
    client,
    choices: { name },
  } = plan;
  const health = podStatus ? [] : await client.etlHealth(name).catch(() => []);
  const status = podStatus
    ? ` Pod status: ${podStatus}`
    : health.length
      ? ` Workers: ${health.map((h) => `${h.targetId} ${h.status}`).join(', ')}.`
      : '';
  const showLogs = { title: 'Show logs', run: () => execute(showEtlLogs, { cluster: entry.id, etl: name }) };
  return new UiError(`ETL ${name} did not start: ${formatError(err).replace(/[.\s]+$/, '')}.${status}`, {
    cause: err,
    actions: [showLogs],
  });
}

export function resolveFileUri(u: vscode.Uri | string | undefined): vscode.Uri {
  if (u instanceof vscode.Uri) return u;
  if (typeof u === 'string' && u) return u.includes('://') ? vscode.Uri.parse(u) : vscode.Uri.file(u);
  const doc = vscode.window.activeTextEditor?.document;
  if (doc && doc.uri.scheme === 'file') return doc.uri;
  throw new UiError('No ETL file to deploy', {
    hint: 'open a transform (.py) or an ETL spec (.yaml) and run the command from its editor',
  });
}

/** The editor's text when the file is open (unsaved edits included), else the file on disk. */
export async function documentText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  return Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
}

async function pickDefinition(
  s: CommandContext,
  uri: vscode.Uri,
  text: string,
  index?: number,
): Promise<EtlDefinition> {
  const parsed = s.etl.parseEtlFile(uri.fsPath, text);
  const file = basename(uri.fsPath);
  if (parsed.kind === 'dockerfile') {
    throw new UiError(`${file} is a Dockerfile`, {
      hint: 'deploy the pod spec (YAML) next to it; the local cluster builds this Dockerfile first',
    });
  }
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    throw new UiError(`${file}:${errors[0].range.start.line + 1}: ${errors[0].message}${more}`, {
      hint: 'fix the problems shown in the editor, then deploy again',
    });
  }
  const defs = parsed.definitions;
  if (defs.length === 0) {
    throw new UiError(`${file} is not an ETL file`, {
      hint:
        'expected a Python file with `def transform(...)` or an ETLServer class, an io:// script reading stdin, ' +
        'a pod spec or a runtime spec',
    });
  }
  if (index !== undefined) {
    if (!defs[index]) throw new UiError(`${file} has ${defs.length} ETL definitions; index ${index} does not exist`);
    return defs[index];
  }
  if (defs.length === 1) return defs[0];
  const label = (d: EtlDefinition, i: number) =>
    d.name ?? (d.kind === 'etl-class' ? d.className : `${d.kind} #${i + 1}`);
  const items = defs.map((d, i) => ({ label: label(d, i), description: d.kind, def: d }));
  const pick = await vscode.window.showQuickPick(items, {
    title: 'Deploy ETL',
    placeHolder: 'Which ETL of this file?',
  });
  if (!pick) throw new CancelledError();
  return pick.def;
}

/**
 * A name already taken on the cluster: Replace (stop, delete, deploy) or Cancel, asked once. Plain calls decide with
 * `replace` and get one clear message instead of the cluster's 409.
 */
async function decideReplace(taken: EtlInfo, cluster: string, given: boolean | undefined): Promise<boolean> {
  if (given === true) return true;
  if (given === false) {
    throw new UiError(`ETL ${taken.name} already exists on ${cluster} (${taken.stage})`, {
      hint: 'pick another name, or pass replace: true to stop and delete it first',
    });
  }
  const question = `ETL ${taken.name} already exists on ${cluster} (${taken.stage}). Replace it with this file?`;
  const detail = 'Replace stops and deletes the running ETL, then deploys this file under the same name.';
  const answer = await vscode.window.showWarningMessage(question, { modal: true, detail }, 'Replace');
  if (answer !== 'Replace') throw new CancelledError();
  return true;
}

function askName(title: string, suggested: string, existing: EtlInfo[], cluster: string): Promise<string> {
  return askInput({
    title,
    step: 1,
    totalSteps: 3,
    prompt: 'ETL name (lowercase letters, digits and "-")',
    value: suggested,
    check: (v) => checkEtlName(v, existing, cluster),
  }).then((v) => v.trim());
}

const COMM_TYPE_HELP: Record<CommType, string> = {
  'hpull://': 'the ETL GETs the object from its target (redirect)',
  'hpush://': 'the target PUTs the object to the ETL',
  'ws://': 'objects stream over a WebSocket',
  'io://': 'stdin → stdout per object',
};

async function chooseCommType(
  s: CommandContext,
  def: EtlDefinition,
  allowed: CommType[],
  given: string | undefined,
  title: string | undefined,
): Promise<CommType | undefined> {
  if (def.kind === 'io') return 'io://';
  if (given) {
    const ct = s.etl.normalizeCommType(given);
    if (!ct) throw new UiError(`Unknown comm type "${given}"`, { hint: 'use hpush://, hpull://, ws:// or io://' });
    if (allowed.length && !allowed.includes(ct))
      throw new UiError(`This cluster does not accept ${ct}`, { hint: `use one of ${allowed.join(', ')}` });
    return ct;
  }
  // a class whose server has no /ws endpoint is not offered ws:// (the engine refuses it, saying why)
  const served = (c: CommType) => def.kind !== 'etl-class' || !wsServerProblem(def.server, c);
  const choices: CommType[] = allowed.filter((c) => c !== 'io://' && served(c));
  const preferred = def.commType && choices.includes(def.commType) ? def.commType : undefined;
  if (!title || choices.length <= 1) return preferred ?? choices[0];
  const order = preferred ? [preferred, ...choices.filter((c) => c !== preferred)] : choices;
  const items = order.map((c) => ({ label: c, description: COMM_TYPE_HELP[c], commType: c }));
  return (await pickOne({ title, step: 2, totalSteps: 3, items, placeholder: 'Communication type' })).commType;
}

/** Why a typed timeout is not usable; '' means "the cluster's default". The engine's Go-duration rule decides. */
export function timeoutProblem(v: string): string | undefined {
  return v.trim() === '' || isGoDuration(v.trim()) ? undefined : 'A duration such as 45s, 5m or 1h30m';
}

async function askTimeouts(title: string): Promise<{ initTimeout?: string; objTimeout?: string }> {
  const items = [{ label: 'Deploy', description: 'cluster default timeouts' }, { label: 'Set timeouts…' }];
  const pick = await pickOne({ title, step: 3, totalSteps: 3, items, placeholder: 'Timeouts' });
  if (pick.label === 'Deploy') return {};
  const ask = (prompt: string, value: string) =>
    askInput({
      title,
      step: 3,
      totalSteps: 3,
      prompt,
      value,
      check: (v) => {
        const p = timeoutProblem(v);
        return p ? { error: p } : undefined;
      },
    });
  const initTimeout = await ask('Init timeout (how long the ETL may take to start)', '5m');
  const objTimeout = await ask('Object timeout (per object)', '45s');
  return { initTimeout: initTimeout.trim() || undefined, objTimeout: objTimeout.trim() || undefined };
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}
