// Parses and validates a `PUT /v1/etl` body as the AIS release the local cluster emulates would (ext/etl/api.go at
// v1.3.29 and v1.5.0: UnmarshalInitMsg and the Validate methods), and normalises it into a LocalEtlSpec.
// JSON keys are matched case-insensitively, as jsoniter does on the server.
import { parse as parseYaml } from 'yaml';
import { PYTHON_RUNTIMES } from '../../etl/runtimes';
import { badRequest, AisHttpError } from '../errors';
import { aisProfile, type AisProfile } from '../version';
import type { CommType, LocalEtlSpec } from '../worker-contract';
import { parseGoDuration } from '../../common/goDuration';
import { serverEtlNameError } from '../../etl/names';
import { leniency, type Leniency } from './leniency';

export type InitKind = 'code' | 'pod-spec' | 'runtime-spec';
export type InitDialect = 'v3.16' | 'v3.29' | 'v3.30' | 'v5.0';
export interface ParsedInit {
  spec: LocalEtlSpec;
  initMsg: Record<string, unknown>;
  kind: InitKind;
  dialect: InitDialect;
  notes: string[];
  /** What the emulated release would have refused but the local cluster (3.29 only) accepted for the tutorial. */
  leniencies: Leniency[];
}

export const DEFAULT_INIT_TIMEOUT_MS = 45_000;
export const DEFAULT_OBJ_TIMEOUT_MS = 10_000;
const MAX_CHUNK = 1 << 20;

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Case-insensitive key lookup (jsoniter semantics). */
function get(o: Obj, key: string): unknown {
  if (Object.prototype.hasOwnProperty.call(o, key)) return o[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(o)) if (k.toLowerCase() === lower) return o[k];
  return undefined;
}

class InitError extends Error {}
const fail = (msg: string): never => {
  throw new InitError(msg);
};

function str(o: Obj, key: string, what = key): string {
  const v = get(o, key);
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') fail(`json: cannot unmarshal ${typeOf(v)} into Go struct field ${what} of type string`);
  return v as string;
}
const typeOf = (v: unknown) =>
  Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v === 'object' ? 'object' : typeof v;

function duration(o: Obj, key: string, def: number): number {
  const v = get(o, key);
  if (v === undefined || v === null || v === '') return def;
  if (typeof v !== 'string')
    return fail(`invalid ${key} ${JSON.stringify(v)}: durations are strings like "45s" or "5m"`);
  const ms = parseGoDuration(v);
  if (typeof ms === 'string') return fail(ms);
  if (ms < 0) return fail(`invalid ${key} "${v}": must not be negative`);
  return ms === 0 ? def : ms;
}

function base64Field(o: Obj, key: string): string | undefined {
  const v = get(o, key);
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string')
    return fail(`json: cannot unmarshal ${typeOf(v)} into Go struct field ${key} of type []uint8`);
  const s = (v as string).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 === 1) return fail(`${key}: illegal base64 data`);
  return Buffer.from(s, 'base64').toString('utf8');
}

function envList(v: unknown, where: string, notes: string[]): { name: string; value: string }[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) return fail(`${where}: expected a list of {name, value}`);
  return v.map((e, i) => {
    if (!isObj(e) || typeof get(e, 'name') !== 'string' || get(e, 'name') === '')
      return fail(`${where}[${i}]: every env entry needs a non-empty "name"`);
    const value = get(e, 'value');
    if (get(e, 'valueFrom') !== undefined)
      notes.push(
        `env ${String(get(e, 'name'))}: valueFrom is not supported by the local cluster; using an empty value`,
      );
    if (value !== undefined && value !== null && typeof value !== 'string')
      return fail(`${where}[${i}].value: must be a string`);
    return { name: get(e, 'name') as string, value: (value as string | undefined) ?? '' };
  });
}

function stringList(v: unknown, where: string): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' && typeof x !== 'number'))
    return fail(`${where}: expected a list of strings`);
  return (v as unknown[]).map(String);
}

interface Base {
  name: string;
  commType: CommType;
  initTimeoutMs: number;
  objTimeoutMs: number;
  supportDirectPut: boolean;
  env: { name: string; value: string }[];
}

function base(o: Obj, kind: string, allowed: CommType[], notes: string[], fallbackName = '', idKey = false): Base {
  const name = str(o, idKey ? 'id' : 'name') || fallbackName;
  const comm = str(o, 'communication');
  const label = `[init-${kind}[${name}-${comm}]]`;
  const nameErr = serverEtlNameError(name);
  if (nameErr) fail(`${nameErr} ${label}`);
  if (comm !== '' && !allowed.includes(comm as CommType)) {
    fail(`[etl="${name}"] unknown comm-type "${comm}" ${label}`);
  }
  const sdp = get(o, 'support_direct_put');
  if (sdp !== undefined && sdp !== null && typeof sdp !== 'boolean')
    fail(`json: cannot unmarshal ${typeOf(sdp)} into Go struct field support_direct_put of type bool`);
  const initKey = idKey ? 'timeout' : 'init_timeout';
  return {
    name,
    commType: (comm || 'hpush://') as CommType,
    initTimeoutMs: duration(o, initKey, DEFAULT_INIT_TIMEOUT_MS),
    objTimeoutMs: duration(o, 'obj_timeout', DEFAULT_OBJ_TIMEOUT_MS),
    supportDirectPut: sdp === true,
    env: envList(get(o, 'env'), 'env', notes),
  };
}

function wsNeedsDirectPut(b: Base): void {
  if (b.commType === 'ws://' && !b.supportDirectPut) {
    fail(
      'WebSocket without direct put is not supported yet. Ensure that the `metadata.annotations.support_direct_put` annotation is set to `true` and that your ETL server properly implements the direct put mechanism',
    );
  }
}

/** What one parse collects besides the spec, and the release it answers for. */
interface Ctx {
  notes: string[];
  leniencies: Leniency[];
  ais: AisProfile;
}

function parseCode(o: Obj, c: Ctx): ParsedInit {
  const idKey = get(o, 'name') === undefined && get(o, 'id') !== undefined;
  const b = base(o, 'code', c.ais.commTypes, c.notes, '', idKey);
  const code = base64Field(o, 'code');
  const runtime = str(o, 'runtime');
  const pfx = `[etl="${b.name}"] `;
  if (!code) fail(`${pfx}source code is empty (runtime ${JSON.stringify(runtime)})`);
  if (!runtime) fail(`${pfx}runtime is not specified (comm-type "${b.commType}")`);
  if (!PYTHON_RUNTIMES.includes(runtime))
    fail(`${pfx}unsupported runtime "${runtime}" (supported: [${PYTHON_RUNTIMES.join(' ')}])`);
  const funcs = get(o, 'funcs');
  if (funcs !== undefined && funcs !== null && !isObj(funcs)) {
    fail(`json: cannot unmarshal ${typeOf(funcs)} into Go struct field funcs of type map[string]string`);
  }
  const fn = isObj(funcs) ? get(funcs, 'transform') : undefined;
  if (fn !== undefined && (typeof fn !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(fn))) {
    fail(`${pfx}funcs.transform ${JSON.stringify(fn)} is not a Python function name`);
  }
  const chunk = get(o, 'chunk_size') ?? 0;
  if (typeof chunk !== 'number' || !Number.isInteger(chunk) || chunk < 0 || chunk > MAX_CHUNK) {
    fail(`${pfx}chunk-size ${JSON.stringify(chunk)} is invalid, expecting 0 <= chunk-size <= MiB`);
  }
  const arg = str(o, 'argument');
  if (!['', 'url', 'fqn'].includes(arg))
    fail(`${pfx}unsupported argument type "${arg}" (expecting "", "url" or "fqn")`);
  if (arg === 'url' && b.commType !== 'hpull://') fail(`${pfx}argument type "url" requires hpull:// communication`);
  const source: LocalEtlSpec['source'] =
    b.commType === 'io://'
      ? { type: 'io', code: code as string, runtime }
      : {
          type: 'code',
          code: code as string,
          dependencies: base64Field(o, 'dependencies'),
          runtime,
          functionName: (fn as string | undefined) ?? 'transform',
          chunkSize: (chunk as number) || undefined,
          argType: arg || undefined,
        };
  return {
    spec: { ...b, source },
    initMsg: o,
    kind: 'code',
    dialect: idKey ? 'v3.16' : 'v3.29',
    notes: c.notes,
    leniencies: c.leniencies,
  };
}

function parseRuntime(o: Obj, rt: Obj, c: Ctx, dialect: InitDialect, fallbackName = ''): ParsedInit {
  const b = base(o, 'etl-spec', c.ais.commTypes, c.notes, fallbackName);
  const image = get(rt, 'image');
  if (typeof image !== 'string' || image.trim() === '') fail(`[etl="${b.name}"] runtime.image must be specified`);
  wsNeedsDirectPut(b);
  const source: LocalEtlSpec['source'] = {
    type: 'container',
    image: image as string,
    command: stringList(get(rt, 'command'), 'runtime.command'),
    env: envList(get(rt, 'env'), 'runtime.env', c.notes),
    port: 8000,
    readinessPath: '/health',
    origin: 'runtime-spec',
  };
  return {
    spec: { ...b, source },
    initMsg: o,
    kind: 'runtime-spec',
    dialect,
    notes: c.notes,
    leniencies: c.leniencies,
  };
}

/** The YAML/JSON document inside `spec`: a Pod, or (3.29, InitSpecMsg.parseAsETLSpec) a runtime spec. */
function specDocument(o: Obj, specText: string): Obj {
  const preName = str(o, 'name');
  let doc: unknown;
  try {
    doc = parseYaml(specText);
  } catch (e) {
    fail(`[etl="${preName}"] failed to parse pod spec: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!isObj(doc))
    return fail(`[etl="${preName}"] failed to parse pod spec: Object 'Kind' is missing in '${specText.trim()}'`);
  return doc;
}

/** The InitMsgBase of a Pod spec: JSON fields, with the CLI's annotation fallbacks, and the direct-put annotation. */
function podBase(o: Obj, doc: Obj, c: Ctx): Base {
  const meta = isObj(get(doc, 'metadata')) ? (get(doc, 'metadata') as Obj) : {};
  const ann = isObj(get(meta, 'annotations')) ? (get(meta, 'annotations') as Obj) : {};
  // The server reads only support_direct_put from annotations; the CLI maps name/communication_type/wait_timeout.
  // Accept those as fallbacks so a raw REST client can send the tutorial's spec as-is.
  const withFallbacks: Obj = { ...o };
  if (!get(o, 'communication') && typeof get(ann, 'communication_type') === 'string')
    withFallbacks.communication = get(ann, 'communication_type');
  if (!get(o, 'init_timeout') && typeof get(ann, 'wait_timeout') === 'string')
    withFallbacks.init_timeout = get(ann, 'wait_timeout');
  const metaName = typeof get(meta, 'name') === 'string' ? (get(meta, 'name') as string) : '';
  const b = base(withFallbacks, 'spec', c.ais.commTypes, c.notes, metaName);
  const sdpAnn = get(ann, 'support_direct_put');
  if (sdpAnn !== undefined) {
    const v = String(sdpAnn);
    const yes = ['1', 't', 'T', 'TRUE', 'true', 'True'];
    if (![...yes, '0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v))
      fail(`strconv.ParseBool: parsing "${v}": invalid syntax`);
    b.supportDirectPut = yes.includes(v);
  }
  return b;
}

/** The single container and its single `default` port, as InitSpecMsg.Validate checks them. */
function podContainer(doc: Obj, pfx: string): { c: Obj; podSpec: Obj; containerPort: number } {
  const podSpec = get(doc, 'spec');
  if (!isObj(podSpec)) return fail(`${pfx}unsupported number of containers (0), expected: 1`);
  const containers = get(podSpec, 'containers');
  const n = Array.isArray(containers) ? containers.length : 0;
  if (n !== 1) fail(`${pfx}unsupported number of containers (${n}), expected: 1`);
  const c = (containers as unknown[])[0];
  if (!isObj(c)) return fail(`${pfx}failed to parse pod spec: container is not an object`);
  const ports = get(c, 'ports');
  const np = Array.isArray(ports) ? ports.length : 0;
  if (np !== 1) fail(`${pfx}unsupported number of container ports (${np}), expected: 1`);
  const port = (ports as unknown[])[0];
  if (!isObj(port)) return fail(`${pfx}failed to parse pod spec: port is not an object`);
  if (get(port, 'name') !== 'default')
    fail(`${pfx}expected port name: "default", got: "${String(get(port, 'name') ?? '')}"`);
  const containerPort = get(port, 'containerPort');
  if (
    typeof containerPort !== 'number' ||
    !Number.isInteger(containerPort) ||
    containerPort < 1 ||
    containerPort > 65535
  ) {
    fail(`${pfx}containerPort must be an integer between 1 and 65535`);
  }
  return { c, podSpec, containerPort: containerPort as number };
}

/** readinessProbe checks; a missing probe is accepted only on 3.29, as a recorded leniency. */
function readinessPath(container: Obj, pfx: string, c: Ctx): string | undefined {
  const probe = get(container, 'readinessProbe');
  if (probe === undefined || probe === null) {
    if (!c.ais.seedLeniencies) return fail(`${pfx}readinessProbe section is required in a container spec`);
    c.leniencies.push(leniency('pod-spec-no-readiness-probe'));
    return undefined;
  }
  if (!isObj(probe)) return fail(`${pfx}readinessProbe section is required in a container spec`);
  const hg = get(probe, 'httpGet');
  if (!isObj(hg)) return fail(`${pfx}httpGet missing in the readinessProbe`);
  const p = get(hg, 'path');
  if (typeof p !== 'string' || p === '') fail(`${pfx}expected non-empty path for readinessProbe`);
  if (get(hg, 'port') !== 'default') fail(`${pfx}readinessProbe port must be the "default" port`);
  return p as string;
}

function parsePodSpec(o: Obj, specText: string, c: Ctx): ParsedInit {
  const doc = specDocument(o, specText);
  if (isObj(get(doc, 'runtime'))) {
    if (c.ais.topLevelRuntimeSpec)
      fail(`[etl="${str(o, 'name')}"] failed to parse pod spec: Object 'Kind' is missing in '${specText.trim()}'`);
    // 3.29 accepted a runtime-spec YAML inside `spec` (InitSpecMsg.parseAsETLSpec).
    const merged: Obj = {
      ...doc,
      ...Object.fromEntries(Object.entries(o).filter(([k, v]) => k !== 'spec' && v !== undefined && v !== '')),
    };
    return parseRuntime(
      merged,
      get(doc, 'runtime') as Obj,
      c,
      'v3.29',
      typeof get(doc, 'name') === 'string' ? (get(doc, 'name') as string) : '',
    );
  }
  const kind = get(doc, 'kind');
  if (kind !== 'Pod')
    fail(
      `[etl="${str(o, 'name')}"] failed to parse pod spec: expected pod spec, got: ${kind === undefined ? '' : String(kind)}`,
    );
  const b = podBase(o, doc, c);
  const pfx = `[etl="${b.name}"] `;
  const { c: container, podSpec, containerPort } = podContainer(doc, pfx);
  const probePath = readinessPath(container, pfx, c);
  const aff = get(podSpec, 'affinity');
  if (isObj(aff) && get(aff, 'nodeAffinity'))
    fail('error in YAML spec: pod should not have any NodeAffinities defined');
  if (isObj(aff) && get(aff, 'podAntiAffinity'))
    fail('error in YAML spec, pod should not have any NodeAntiAffinities defined');
  const image = get(container, 'image');
  if (typeof image !== 'string' || image.trim() === '')
    fail(`${pfx}the container has no image; set spec.containers[0].image`);
  wsNeedsDirectPut(b);
  if (c.ais.podSpecDeprecated)
    c.notes.push('Pod specs are deprecated in AIS 5.0 (removal planned for 5.1): prefer a runtime spec');
  const source: LocalEtlSpec['source'] = {
    type: 'container',
    image: image as string,
    command: stringList(get(container, 'command'), 'command'),
    args: stringList(get(container, 'args'), 'args'),
    env: envList(get(container, 'env'), 'env', c.notes),
    port: containerPort,
    readinessPath: probePath,
    origin: 'pod-spec',
  };
  const dialect: InitDialect =
    get(o, 'init_timeout') !== undefined || get(o, 'obj_timeout') !== undefined
      ? c.ais.version === '3.29'
        ? 'v3.29'
        : 'v5.0'
      : 'v3.16';
  return { spec: { ...b, source }, initMsg: o, kind: 'pod-spec', dialect, notes: c.notes, leniencies: c.leniencies };
}

function asHttpError(e: unknown): never {
  if (e instanceof InitError) throw new AisHttpError(400, e.message, 'ErrETL');
  throw e;
}

/** Go's `%+v` of a map[string]json.RawMessage: keys sorted, values as byte lists. */
function goRawMap(o: Obj): string {
  const entries = Object.keys(o)
    .sort()
    .map((k) => `${k}:[${[...Buffer.from(JSON.stringify(o[k]))].join(' ')}]`);
  return `map[${entries.join(' ')}]`;
}

/** 3.29: `code` → InitCodeMsg, `spec` → InitSpecMsg (exact, case-sensitive keys), anything else is refused. */
function parse329(o: Obj, c: Ctx): ParsedInit {
  const hasCode = Object.prototype.hasOwnProperty.call(o, 'code');
  const hasSpec = Object.prototype.hasOwnProperty.call(o, 'spec');
  if (hasCode && hasSpec) throw badRequest("invalid etl.InitMsg: both 'code' and 'spec' fields are present");
  if (!hasCode && !hasSpec) throw badRequest(`invalid etl.InitMsg: ${goRawMap(o)}`);
  const envKey = Object.keys(o).find((k) => k.toLowerCase() === 'env');
  if (envKey) {
    c.notes.push(
      'AIS 3.29 has no top-level "env" in init messages: it is ignored (put env into the Pod spec or runtime.env)',
    );
    o = Object.fromEntries(Object.entries(o).filter(([k]) => k !== envKey));
  }
  try {
    if (hasCode) return parseCode(o, c);
    const spec = base64Field(o, 'spec') ?? '';
    return parsePodSpec(o, spec, c);
  } catch (e) {
    return asHttpError(e);
  }
}

/** 3.30+: try ETLSpecMsg, then InitSpecMsg; both errors are reported, as UnmarshalInitMsg does. */
function parse50(o: Obj, c: Ctx): ParsedInit {
  let e1 = '';
  const rt = get(o, 'runtime');
  const name = String(get(o, 'name') ?? '');
  if (isObj(rt)) {
    try {
      return parseRuntime(o, rt, c, 'v5.0');
    } catch (e) {
      if (!(e instanceof InitError)) throw e;
      e1 = e.message;
    }
  } else {
    e1 =
      rt === undefined || rt === null
        ? `[etl="${name}"] runtime.image must be specified`
        : `json: cannot unmarshal ${typeOf(rt)} into Go struct field ETLSpecMsg.runtime of type etl.RuntimeSpec`;
  }
  let e2: string;
  try {
    const spec = base64Field(o, 'spec') ?? '';
    if (spec === '') fail(`[etl="${name}"] failed to parse pod spec: Object 'Kind' is missing in ''\n""`);
    return parsePodSpec(o, spec, c);
  } catch (e) {
    if (!(e instanceof InitError)) throw e;
    e2 = e.message;
  }
  throw badRequest(`invalid etl.InitMsg: ETLSpecMsg error: ${e1}; InitSpecMsg error: ${e2}`);
}

/** Parses a PUT /v1/etl body; throws AisHttpError(400) with the emulated release's wording on any problem. */
export function parseInitMsg(body: Buffer | string, ais: AisProfile = aisProfile()): ParsedInit {
  const c: Ctx = { notes: [], leniencies: [], ais };
  let o: unknown;
  try {
    o = JSON.parse(body.toString());
  } catch (e) {
    const m = (e as Error).message;
    throw badRequest(
      ais.topLevelRuntimeSpec ? `invalid etl.InitMsg: ETLSpecMsg error: ${m}; InitSpecMsg error: ${m}` : m,
    );
  }
  if (!isObj(o)) {
    throw badRequest(
      `invalid etl.InitMsg: ETLSpecMsg error: json: cannot unmarshal ${typeOf(o)} into Go value of type ` +
        `etl.ETLSpecMsg; InitSpecMsg error: json: cannot unmarshal ${typeOf(o)} into Go value of type etl.InitSpecMsg`,
    );
  }
  return ais.codeInit ? parse329(o, c) : parse50(o, c);
}
