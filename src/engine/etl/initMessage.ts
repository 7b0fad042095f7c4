// Definition + user choices → the init body the target cluster's version understands (etl-api.md §2.2, §4, §5.2, §6.2).
import { stringify } from 'yaml';
import {
  EtlDefinitionError,
  type BuiltInit,
  type ClusterEtlCapabilities,
  type CommType,
  type EnvVar,
  type EtlDefinition,
  type EtlDialect,
  type InitChoices,
} from './types';
import { describeCommTypes, normalizeCommType, validateEtlName } from './names';
import { durationProblem } from '../common/goDuration';
import { ioScriptToTransform } from './python';
import { isKnownPythonRuntime, PYTHON_RUNTIMES } from './runtimes';
import { RUNTIME_CONTAINER_PORT } from './runtimeSpec';
import { buildPythonWrapper, runtimeImageFor, wrapperCommand, wrapperEnv } from './wrapper';

/** Client-side defaults, as the Python SDK sends them (the server's own 45s/10s are too short for pip installs). */
export const DEFAULT_INIT_TIMEOUT = '5m';
export const DEFAULT_OBJ_TIMEOUT = '45s';

type Def<K extends EtlDefinition['kind']> = Extract<EtlDefinition, { kind: K }>;
type Cluster = ClusterEtlCapabilities;

interface Common {
  name: string;
  initTimeout: string;
  objTimeout: string;
  notes: string[];
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

function checkCluster(cluster: Cluster): void {
  if (cluster.local) return;
  if (cluster.etl === 'not-built') {
    throw new EtlDefinitionError(
      'This cluster was built without ETL support (the default AIS 5.0 images have none): redeploy it with the "-etl" image (e.g. aistorage/aisnode:latest-etl), or use the local cluster.',
    );
  }
  if (cluster.etl === 'no-k8s') {
    throw new EtlDefinitionError(
      'ETL needs AIS running on Kubernetes and this cluster is not ("the operation requires Kubernetes"): deploy AIS on Kubernetes (ais-k8s operator) or use the local cluster.',
    );
  }
}

function common(def: EtlDefinition, choices: InitChoices): Common {
  const nameProblem = validateEtlName(choices.name ?? '');
  if (nameProblem)
    throw new EtlDefinitionError(`${nameProblem}. Choose a name of 6–32 characters [a-z0-9-], starting with a letter.`);
  const initTimeout =
    choices.initTimeout ?? ('initTimeout' in def ? def.initTimeout : undefined) ?? DEFAULT_INIT_TIMEOUT;
  const objTimeout =
    choices.objTimeout ?? (def.kind === 'runtime-spec' ? def.objTimeout : undefined) ?? DEFAULT_OBJ_TIMEOUT;
  for (const [v, what] of [
    [initTimeout, 'init timeout'],
    [objTimeout, 'object timeout'],
  ] as const) {
    const p = durationProblem(v, what);
    if (p) throw new EtlDefinitionError(p);
  }
  return { name: choices.name, initTimeout, objTimeout, notes: [] };
}

function requireCommType(ct: CommType, cluster: Cluster): void {
  if (cluster.commTypes.length > 0 && !cluster.commTypes.includes(ct)) {
    const removed =
      ct === 'io://' ? ' (io:// was removed in AIS 5.0)' : ct === 'ws://' ? ' (ws:// needs AIS 3.28 or later)' : '';
    throw new EtlDefinitionError(
      `This cluster does not accept communication "${ct}"${removed}: choose one of ${describeCommTypes(cluster.commTypes)}.`,
    );
  }
}

/** ws:// only works with direct put; fill it in when the user did not say, refuse when they said no. */
function directPut(ct: CommType, wanted: boolean | undefined, c: Common): boolean | undefined {
  if (ct !== 'ws://') return wanted;
  if (wanted === false)
    throw new EtlDefinitionError(
      'ws:// requires support_direct_put: true (AIS rejects WebSocket ETLs without direct put): enable direct put or choose hpush://.',
    );
  if (wanted === undefined) c.notes.push('ws:// requires direct put, so support_direct_put is set to true.');
  return true;
}

function envList(env: Record<string, string> | undefined): EnvVar[] {
  return Object.entries(env ?? {}).map(([name, value]) => ({ name, value }));
}

function ignoredEnv(choices: InitChoices, c: Common, what: string): void {
  if (Object.keys(choices.env ?? {}).length > 0)
    c.notes.push(`Environment variables are ignored: ${what} has no env field.`);
}

function withOptional(body: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined || v === false || (Array.isArray(v) && v.length === 0)) continue;
    body[k] = v;
  }
  return body;
}

function checkRuntime(runtime: string, dialect: EtlDialect, c: Common): void {
  if (!isKnownPythonRuntime(runtime)) {
    throw new EtlDefinitionError(`Unsupported runtime "${runtime}": use one of ${PYTHON_RUNTIMES.join(', ')}.`);
  }
  if (dialect === 'v3.16' && !['python3.10v2', 'python3.11v2'].includes(runtime)) {
    c.notes.push(
      `Runtime ${runtime} exists only on AIS 3.26 and later (3.16–3.25 offer python3.8v2, python3.10v2, python3.11v2).`,
    );
  }
}

// ---- InitCodeMsg (≤3.29, the local cluster included when it emulates 3.29) ----

/** What both InitCodeMsg dialects carry; only the field names and the timeouts differ. */
interface CodeInit {
  def: Def<'code'> | Def<'io'>;
  ct: CommType;
  deps: string;
  c: Common;
  sdp: boolean | undefined;
}

function transformFunction(def: CodeInit['def']): string {
  return def.kind === 'code' ? def.functionName : 'transform';
}

function initCode316({ def, ct, deps, c, sdp }: CodeInit): Record<string, unknown> {
  c.notes.push('AIS 3.16–3.28 have a single timeout: the object timeout is not sent.');
  return withOptional(
    {
      id: c.name,
      communication: ct,
      argument: '',
      timeout: c.initTimeout,
      code: b64(def.code),
      dependencies: b64(deps),
      runtime: def.runtime,
      Funcs: { transform: transformFunction(def) },
      chunk_size: 0,
      flags: 0,
    },
    { support_direct_put: sdp },
  );
}

function initCode329({ def, ct, deps, c, sdp }: CodeInit): Record<string, unknown> {
  return withOptional(
    {
      name: c.name,
      runtime: def.runtime,
      communication: ct,
      init_timeout: c.initTimeout,
      obj_timeout: c.objTimeout,
      funcs: { transform: transformFunction(def) },
      code: b64(def.code),
      dependencies: b64(deps),
      argument: '',
    },
    { support_direct_put: sdp },
  );
}

function initCodeBody(dialect: 'v3.16' | 'v3.29', init: CodeInit): Record<string, unknown> {
  return dialect === 'v3.16' ? initCode316(init) : initCode329(init);
}

// ---- ETLSpecMsg with the Python wrapper (≥3.30) ----

function wrappedCode(
  userCode: string,
  functionName: string,
  runtime: string,
  ct: CommType,
  deps: string,
  choices: InitChoices,
  c: Common,
): Record<string, unknown> {
  const wrapper = buildPythonWrapper({ userCode, functionName, server: ct === 'ws://' ? 'fastapi' : 'http' });
  c.notes.push(
    `AIS 3.30+ has no code-init API: the code runs on ${runtimeImageFor(runtime)} through a small wrapper (source in env ETL_SRC) that serves ${functionName}() with the SDK web server on port 8000.`,
  );
  if (deps.trim())
    c.notes.push('Dependencies are pip-installed when the pod starts; allow for it in the init timeout.');
  return {
    name: c.name,
    communication: ct,
    init_timeout: c.initTimeout,
    obj_timeout: c.objTimeout,
    // The SDK web servers implement direct put, which offline jobs use between targets.
    support_direct_put: true,
    runtime: {
      image: runtimeImageFor(runtime),
      command: wrapperCommand(deps),
      env: [...wrapperEnv(wrapper), ...envList(choices.env)],
    },
  };
}

function buildCode(def: Def<'code'>, choices: InitChoices, cluster: Cluster, c: Common): BuiltInit {
  const ct = choices.commType ?? def.commType ?? 'hpush://';
  if (ct === 'io://')
    throw new EtlDefinitionError(
      'io:// runs a stdin→stdout script, not a transform() function: choose hpush://, hpull:// or ws://.',
    );
  requireCommType(ct, cluster);
  const deps = choices.dependencies ?? def.dependencies ?? '';
  if ((cluster.dialect === 'v3.16' || cluster.dialect === 'v3.29') && cluster.codeInit) {
    const dialect = cluster.dialect;
    checkRuntime(def.runtime, dialect, c);
    const sdp = directPut(ct, choices.supportDirectPut, c);
    ignoredEnv(choices, c, 'the code init message');
    const body = initCodeBody(dialect, { def, ct, deps, c, sdp });
    return { body, dialect, notes: c.notes };
  }
  if (cluster.dialect === 'v3.16' || cluster.dialect === 'v3.29') {
    throw new EtlDefinitionError(
      'This cluster does not accept code ETLs: build an image with your code and deploy a Pod spec instead.',
    );
  }
  checkRuntime(def.runtime, cluster.dialect, c);
  if (choices.supportDirectPut === false)
    c.notes.push("support_direct_put stays true: the wrapper's SDK server implements direct put.");
  return {
    body: wrappedCode(def.code, def.functionName, def.runtime, ct, deps, choices, c),
    dialect: cluster.dialect,
    notes: c.notes,
  };
}

function buildIo(def: Def<'io'>, choices: InitChoices, cluster: Cluster, c: Common): BuiltInit {
  const deps = choices.dependencies ?? '';
  if ((cluster.dialect === 'v3.16' || cluster.dialect === 'v3.29') && cluster.codeInit) {
    requireCommType('io://', cluster);
    const dialect = cluster.dialect;
    checkRuntime(def.runtime, dialect, c);
    if (choices.commType && choices.commType !== 'io://')
      c.notes.push(`An io:// script always runs with io://; the chosen ${choices.commType} is not used.`);
    ignoredEnv(choices, c, 'the code init message');
    const body = initCodeBody(dialect, { def, ct: 'io://', deps, c, sdp: undefined });
    return { body, dialect, notes: c.notes };
  }
  if (cluster.dialect === 'v5.0') {
    throw new EtlDefinitionError(
      'io:// was removed in AIS 5.0; convert it to a transform(bytes) function — the extension can do that for you.',
    );
  }
  if (cluster.dialect !== 'v3.30')
    throw new EtlDefinitionError(
      'This cluster does not accept code ETLs: build an image with your script and deploy a Pod spec instead.',
    );
  checkRuntime(def.runtime, cluster.dialect, c);
  const ct = choices.commType && choices.commType !== 'io://' ? choices.commType : 'hpush://';
  requireCommType(ct, cluster);
  c.notes.push(
    `The official runtime image has no io:// server: the script is wrapped into transform(bytes) (run once per object, stdin → stdout) and deployed with ${ct}.`,
  );
  return {
    body: wrappedCode(ioScriptToTransform(def.code), 'transform', def.runtime, ct, deps, choices, c),
    dialect: cluster.dialect,
    notes: c.notes,
  };
}

// ---- Pod spec (InitSpecMsg) ----

function buildPodSpec(def: Def<'pod-spec'>, choices: InitChoices, cluster: Cluster, c: Common): BuiltInit {
  const ct = choices.commType ?? def.commType ?? 'hpush://';
  requireCommType(ct, cluster);
  const sdp = directPut(ct, choices.supportDirectPut ?? def.supportDirectPut, c);
  if (!/readinessProbe/.test(def.podYaml)) {
    c.notes.push(
      cluster.local && cluster.dialect === 'v3.29'
        ? 'The Pod spec has no readinessProbe: AIS 3.9+ rejects it; the local 3.29 cluster accepts it as a "works locally only" leniency — add an httpGet probe on /health, port "default" (quick fix in the editor).'
        : 'The Pod spec has no readinessProbe: AIS 3.9+ rejects it — add an httpGet probe on /health, port "default" (quick fix in the editor).',
    );
  }
  if (cluster.dialect === 'v5.0')
    c.notes.push('Pod specs are deprecated in AIS 5.0 (removal planned for 5.1); prefer a runtime spec.');
  if (cluster.dialect === 'v3.16') {
    ignoredEnv(choices, c, 'InitSpecMsg before 3.30');
    c.notes.push('AIS 3.16–3.28 have a single timeout: the object timeout is not sent.');
    return {
      body: withOptional(
        { id: c.name, communication: ct, timeout: c.initTimeout, spec: b64(def.podYaml) },
        { support_direct_put: sdp },
      ),
      dialect: 'v3.16',
      notes: c.notes,
    };
  }
  const dialect: EtlDialect = cluster.dialect;
  if (dialect === 'v3.29') ignoredEnv(choices, c, 'InitSpecMsg on AIS 3.29');
  const env = dialect === 'v3.29' ? [] : envList(choices.env);
  const body = withOptional(
    { name: c.name, communication: ct, init_timeout: c.initTimeout, obj_timeout: c.objTimeout, spec: b64(def.podYaml) },
    { support_direct_put: sdp, env },
  );
  return { body, dialect, notes: c.notes };
}

// ---- Runtime spec (ETLSpecMsg; InitSpecMsg on 3.29; a synthesized Pod on ≤3.28) ----

function runtimeFields(
  def: Def<'runtime-spec'>,
  choices: InitChoices,
): { runtime: Record<string, unknown>; env: EnvVar[] } {
  const env = [...(def.env ?? []), ...envList(choices.env)];
  return { runtime: withOptional({ image: def.image }, { command: def.command, env }), env };
}

function podFromRuntime(def: Def<'runtime-spec'>, choices: InitChoices, name: string): string {
  const { env } = runtimeFields(def, choices);
  const container = withOptional(
    {
      name,
      image: def.image,
      imagePullPolicy: 'Always',
      ports: [{ name: 'default', containerPort: RUNTIME_CONTAINER_PORT }],
      readinessProbe: { httpGet: { path: '/health', port: 'default' } },
    },
    { command: def.command, env, resources: def.resources },
  );
  return stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [container] } });
}

function buildRuntimeSpec(def: Def<'runtime-spec'>, choices: InitChoices, cluster: Cluster, c: Common): BuiltInit {
  if (!def.image)
    throw new EtlDefinitionError(
      'runtime.image must be specified: set the container image that serves the ETL on port 8000.',
    );
  const ct = choices.commType ?? def.commType ?? 'hpush://';
  requireCommType(ct, cluster);
  const sdp = directPut(ct, choices.supportDirectPut ?? def.supportDirectPut, c);
  if (cluster.dialect === 'v3.30' || cluster.dialect === 'v5.0') {
    const body = withOptional(
      { name: c.name, communication: ct, init_timeout: c.initTimeout, obj_timeout: c.objTimeout },
      { support_direct_put: sdp, runtime: runtimeFields(def, choices).runtime, resources: def.resources },
    );
    return { body, dialect: cluster.dialect, notes: c.notes };
  }
  if (cluster.dialect === 'v3.29') {
    // 3.29 reads a runtime spec given as the `spec` of an InitSpecMsg (InitSpecMsg.parseAsETLSpec).
    const yamlText = stringify(
      withOptional(
        { name: c.name, communication: ct, init_timeout: c.initTimeout, obj_timeout: c.objTimeout },
        { support_direct_put: sdp, runtime: runtimeFields(def, choices).runtime },
      ),
    );
    if (def.resources) c.notes.push('AIS 3.29 ignores resources in runtime specs.');
    const body = withOptional(
      { name: c.name, communication: ct, init_timeout: c.initTimeout, obj_timeout: c.objTimeout, spec: b64(yamlText) },
      { support_direct_put: sdp },
    );
    return { body, dialect: 'v3.29', notes: c.notes };
  }
  c.notes.push(
    'AIS before 3.29 has no runtime specs: sent as an equivalent Pod spec (one container, port 8000 named "default", readiness GET /health).',
  );
  c.notes.push('AIS 3.16–3.28 have a single timeout: the object timeout is not sent.');
  const body = withOptional(
    { id: c.name, communication: ct, timeout: c.initTimeout, spec: b64(podFromRuntime(def, choices, c.name)) },
    { support_direct_put: sdp },
  );
  return { body, dialect: 'v3.16', notes: c.notes };
}

// ---- ETLServer class: the ETLSpecMsg the SDK's init_class produced (runtime_python image, ETL_CLASS_PAYLOAD) ----

function buildEtlClass(def: Def<'etl-class'>, cluster: Cluster, c: Common): BuiltInit {
  const p = def.payload;
  if (!p) {
    throw new EtlDefinitionError(
      `Class ${def.className} has not been serialized yet: deploy it with ` +
        `buildInitClassMessage, which runs the SDK's init_class in your Python.`,
    );
  }
  const body: Record<string, unknown> = { ...p.body, name: c.name };
  const runtime = (body.runtime ?? {}) as { image?: string; command?: string[]; env?: EnvVar[] };
  const ct = normalizeCommType(String(body.communication ?? '')) ?? 'hpush://';
  requireCommType(ct, cluster);
  if (ct === 'ws://' && body.support_direct_put !== true) {
    throw new EtlDefinitionError(
      'ws:// requires support_direct_put: true (AIS rejects WebSocket ETLs without ' +
        'direct put): remove "direct_put = false" or choose hpush://.',
    );
  }
  c.notes.push(
    `Sent as the SDK's Etl.init_class sends it: ${def.className} cloudpickled by Python ${p.python} ` +
      `(aistore ${p.sdkVersion}) for ${runtime.image ?? 'the runtime image'}.`,
  );
  if (cluster.local || cluster.dialect === 'v3.30' || cluster.dialect === 'v5.0') {
    return { body, dialect: cluster.local ? 'v3.30' : cluster.dialect, notes: c.notes };
  }
  c.notes.push(
    'init_class targets AIS 3.30 and later; this older cluster gets the same runtime spec in the form ' + 'it reads.',
  );
  const spec: Def<'runtime-spec'> = {
    kind: 'runtime-spec',
    name: c.name,
    image: runtime.image ?? '',
    env: runtime.env,
    commType: ct,
    supportDirectPut: body.support_direct_put === true,
  };
  if (runtime.command) spec.command = runtime.command;
  return buildRuntimeSpec(spec, { name: c.name }, cluster, c);
}

/** Throws EtlDefinitionError with a message saying what to do when the cluster cannot run the definition. */
export function buildInitMessage(def: EtlDefinition, choices: InitChoices, cluster: Cluster): BuiltInit {
  checkCluster(cluster);
  const c = common(def, choices);
  switch (def.kind) {
    case 'code':
      return buildCode(def, choices, cluster, c);
    case 'io':
      return buildIo(def, choices, cluster, c);
    case 'pod-spec':
      return buildPodSpec(def, choices, cluster, c);
    case 'runtime-spec':
      return buildRuntimeSpec(def, choices, cluster, c);
    case 'etl-class':
      return buildEtlClass(def, cluster, c);
    default:
      throw new EtlDefinitionError(`Unknown ETL definition kind "${(def as { kind: string }).kind}".`);
  }
}
