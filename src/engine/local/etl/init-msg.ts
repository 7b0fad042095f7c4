// Parses and validates a `PUT /v1/etl` body in any dialect the local cluster accepts (3.16 … 5.0) and normalises it
// into a LocalEtlSpec. Messages follow the server of the dialect the body came in (ext/etl/api.go at 3.29 and 5.0).
// JSON keys are matched case-insensitively, as jsoniter does on the server.
import { parse as parseYaml } from 'yaml';
import { badRequest, AisHttpError } from '../errors';
import type { CommType, LocalEtlSpec } from '../worker-contract';
import { parseGoDuration } from '../../common/goDuration';
import { serverEtlNameError } from '../../etl/names';

export type InitKind = 'code' | 'pod-spec' | 'runtime-spec';
export type InitDialect = 'v3.16' | 'v3.29' | 'v3.30' | 'v5.0';
export interface ParsedInit { spec: LocalEtlSpec; initMsg: Record<string, unknown>; kind: InitKind; dialect: InitDialect; notes: string[] }

export const DEFAULT_INIT_TIMEOUT_MS = 45_000;
export const DEFAULT_OBJ_TIMEOUT_MS = 10_000;
export const CODE_RUNTIMES = ['python3.8v2', 'python3.9v2', 'python3.10v2', 'python3.11v2', 'python3.12v2', 'python3.13v2'];
const SPEC_COMM_TYPES: CommType[] = ['hpush://', 'hpull://', 'ws://', 'io://'];
const CODE_COMM_TYPES: CommType[] = ['hpush://', 'hpull://', 'io://', 'ws://'];
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
const fail = (msg: string): never => { throw new InitError(msg); };

function str(o: Obj, key: string, what = key): string {
  const v = get(o, key);
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') fail(`json: cannot unmarshal ${typeOf(v)} into Go struct field ${what} of type string`);
  return v as string;
}
const typeOf = (v: unknown) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v === 'object' ? 'object' : typeof v);

function duration(o: Obj, key: string, def: number): number {
  const v = get(o, key);
  if (v === undefined || v === null || v === '') return def;
  if (typeof v !== 'string') return fail(`invalid ${key} ${JSON.stringify(v)}: durations are strings like "45s" or "5m"`);
  const ms = parseGoDuration(v);
  if (typeof ms === 'string') return fail(ms);
  if (ms < 0) return fail(`invalid ${key} "${v}": must not be negative`);
  return ms === 0 ? def : ms;
}

function base64Field(o: Obj, key: string): string | undefined {
  const v = get(o, key);
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') return fail(`json: cannot unmarshal ${typeOf(v)} into Go struct field ${key} of type []uint8`);
  const s = (v as string).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 === 1) return fail(`${key}: illegal base64 data`);
  return Buffer.from(s, 'base64').toString('utf8');
}

function envList(v: unknown, where: string, notes: string[]): { name: string; value: string }[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) return fail(`${where}: expected a list of {name, value}`);
  return v.map((e, i) => {
    if (!isObj(e) || typeof get(e, 'name') !== 'string' || get(e, 'name') === '') return fail(`${where}[${i}]: every env entry needs a non-empty "name"`);
    const value = get(e, 'value');
    if (get(e, 'valueFrom') !== undefined) notes.push(`env ${String(get(e, 'name'))}: valueFrom is not supported by the local cluster; using an empty value`);
    if (value !== undefined && value !== null && typeof value !== 'string') return fail(`${where}[${i}].value: must be a string`);
    return { name: get(e, 'name') as string, value: (value as string | undefined) ?? '' };
  });
}

function stringList(v: unknown, where: string): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' && typeof x !== 'number')) return fail(`${where}: expected a list of strings`);
  return (v as unknown[]).map(String);
}

interface Base { name: string; commType: CommType; initTimeoutMs: number; objTimeoutMs: number; supportDirectPut: boolean; env: { name: string; value: string }[] }

function base(o: Obj, kind: string, allowed: CommType[], notes: string[], fallbackName = '', idKey = false): Base {
  const name = str(o, idKey ? 'id' : 'name') || fallbackName;
  const comm = str(o, 'communication');
  const label = `[init-${kind}[${name}-${comm}]]`;
  const nameErr = serverEtlNameError(name);
  if (nameErr) fail(`${nameErr} ${label}`);
  if (comm !== '' && !allowed.includes(comm as CommType)) {
    const hint = allowed.includes(`${comm}://` as CommType) ? ` (did you mean "${comm}://"?)` : ` (expecting one of ${allowed.join(', ')})`;
    fail(`[etl="${name}"] unknown comm-type "${comm}"${hint}`);
  }
  const sdp = get(o, 'support_direct_put');
  if (sdp !== undefined && sdp !== null && typeof sdp !== 'boolean') fail(`json: cannot unmarshal ${typeOf(sdp)} into Go struct field support_direct_put of type bool`);
  const initKey = idKey ? 'timeout' : 'init_timeout';
  return {
    name, commType: (comm || 'hpush://') as CommType,
    initTimeoutMs: duration(o, initKey, DEFAULT_INIT_TIMEOUT_MS),
    objTimeoutMs: duration(o, 'obj_timeout', DEFAULT_OBJ_TIMEOUT_MS),
    supportDirectPut: sdp === true,
    env: envList(get(o, 'env'), 'env', notes),
  };
}

function wsNeedsDirectPut(b: Base): void {
  if (b.commType === 'ws://' && !b.supportDirectPut) {
    fail('WebSocket without direct put is not supported yet. Ensure that the `metadata.annotations.support_direct_put` annotation is set to `true` and that your ETL server properly implements the direct put mechanism');
  }
}

function parseCode(o: Obj, notes: string[]): ParsedInit {
  const idKey = get(o, 'name') === undefined && get(o, 'id') !== undefined;
  const b = base(o, 'code', CODE_COMM_TYPES, notes, '', idKey);
  const code = base64Field(o, 'code');
  const runtime = str(o, 'runtime');
  if (!code) fail(`[etl="${b.name}"] source code is empty (runtime ${JSON.stringify(runtime)})`);
  if (!runtime) fail(`[etl="${b.name}"] runtime is not specified (comm-type "${b.commType}")`);
  if (!CODE_RUNTIMES.includes(runtime)) fail(`[etl="${b.name}"] unsupported runtime "${runtime}" (supported: [${CODE_RUNTIMES.join(' ')}])`);
  const deps = base64Field(o, 'dependencies');
  const funcs = get(o, 'funcs');
  if (funcs !== undefined && funcs !== null && !isObj(funcs)) fail(`json: cannot unmarshal ${typeOf(funcs)} into Go struct field funcs of type map[string]string`);
  const fn = isObj(funcs) ? get(funcs, 'transform') : undefined;
  if (fn !== undefined && (typeof fn !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(fn))) fail(`[etl="${b.name}"] funcs.transform ${JSON.stringify(fn)} is not a Python function name`);
  const chunk = get(o, 'chunk_size') ?? 0;
  if (typeof chunk !== 'number' || !Number.isInteger(chunk) || chunk < 0 || chunk > MAX_CHUNK) fail(`[etl="${b.name}"] chunk-size ${JSON.stringify(chunk)} is invalid, expecting 0 <= chunk-size <= MiB`);
  const arg = str(o, 'argument');
  if (!['', 'url', 'fqn'].includes(arg)) fail(`[etl="${b.name}"] unsupported argument type "${arg}" (expecting "", "url" or "fqn")`);
  if (arg === 'url' && b.commType !== 'hpull://') fail(`[etl="${b.name}"] argument type "url" requires hpull:// communication`);
  const source: LocalEtlSpec['source'] = b.commType === 'io://'
    ? { type: 'io', code: code as string, runtime }
    : { type: 'code', code: code as string, dependencies: deps, runtime, functionName: (fn as string | undefined) ?? 'transform', chunkSize: chunk as number || undefined, argType: arg || undefined };
  return { spec: { ...b, source }, initMsg: o, kind: 'code', dialect: idKey ? 'v3.16' : 'v3.29', notes };
}

function parseRuntime(o: Obj, rt: Obj, notes: string[], dialect: InitDialect, fallbackName = ''): ParsedInit {
  const b = base(o, 'etl-spec', SPEC_COMM_TYPES, notes, fallbackName);
  const image = get(rt, 'image');
  if (typeof image !== 'string' || image.trim() === '') fail(`[etl="${b.name}"] runtime.image must be specified`);
  wsNeedsDirectPut(b);
  const spec: LocalEtlSpec = {
    ...b,
    source: { type: 'container', image: image as string, command: stringList(get(rt, 'command'), 'runtime.command'), env: envList(get(rt, 'env'), 'runtime.env', notes), port: 8000, readinessPath: '/health', origin: 'runtime-spec' },
  };
  return { spec, initMsg: o, kind: 'runtime-spec', dialect, notes };
}

function parsePodSpec(o: Obj, specText: string, notes: string[]): ParsedInit {
  let doc: unknown;
  const preName = str(o, 'name');
  try { doc = parseYaml(specText); } catch (e) { fail(`[etl="${preName}"] failed to parse pod spec: ${(e as Error).message.split('\n')[0]}`); }
  if (isObj(doc) && isObj(get(doc, 'runtime'))) {
    // 3.29 accepted a runtime-spec YAML inside `spec` (InitSpecMsg.parseAsETLSpec).
    const merged: Obj = { ...doc, ...Object.fromEntries(Object.entries(o).filter(([k, v]) => k !== 'spec' && v !== undefined && v !== '')) };
    return parseRuntime(merged, get(doc, 'runtime') as Obj, notes, 'v3.29', typeof get(doc, 'name') === 'string' ? get(doc, 'name') as string : '');
  }
  if (!isObj(doc)) return fail(`[etl="${preName}"] failed to parse pod spec: not a YAML/JSON object`);
  const kind = get(doc, 'kind');
  if (kind !== 'Pod') fail(`[etl="${preName}"] expected pod spec, got: ${kind === undefined ? '' : String(kind)}`);
  const meta = isObj(get(doc, 'metadata')) ? get(doc, 'metadata') as Obj : {};
  const ann = isObj(get(meta, 'annotations')) ? get(meta, 'annotations') as Obj : {};
  // The server reads only support_direct_put from annotations; the CLI maps name/communication_type/wait_timeout.
  // Accept those as fallbacks so a raw REST client can send the tutorial's spec as-is.
  const withFallbacks: Obj = { ...o };
  if (!get(o, 'communication') && typeof get(ann, 'communication_type') === 'string') withFallbacks.communication = get(ann, 'communication_type');
  if (!get(o, 'init_timeout') && typeof get(ann, 'wait_timeout') === 'string') withFallbacks.init_timeout = get(ann, 'wait_timeout');
  const b = base(withFallbacks, 'spec', SPEC_COMM_TYPES, notes, typeof get(meta, 'name') === 'string' ? get(meta, 'name') as string : '');
  const pfx = `[etl="${b.name}"] `;
  const sdpAnn = get(ann, 'support_direct_put');
  if (sdpAnn !== undefined) {
    const s = String(sdpAnn);
    if (!['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) fail(`strconv.ParseBool: parsing "${s}": invalid syntax`);
    b.supportDirectPut = ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s);
  }
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
  if (get(port, 'name') !== 'default') fail(`${pfx}expected port name: "default", got: "${String(get(port, 'name') ?? '')}"`);
  const containerPort = get(port, 'containerPort');
  if (typeof containerPort !== 'number' || !Number.isInteger(containerPort) || containerPort < 1 || containerPort > 65535) fail(`${pfx}containerPort must be an integer between 1 and 65535`);
  let readinessPath: string | undefined;
  const probe = get(c, 'readinessProbe');
  if (probe === undefined || probe === null) {
    notes.push('the pod spec has no readinessProbe (AIS ≥3.30 requires one); the local cluster probes the "default" port instead');
  } else {
    if (!isObj(probe)) return fail(`${pfx}readinessProbe section is required in a container spec`);
    const hg = get(probe, 'httpGet');
    if (!isObj(hg)) return fail(`${pfx}httpGet missing in the readinessProbe`);
    const p = get(hg, 'path');
    if (typeof p !== 'string' || p === '') fail(`${pfx}expected non-empty path for readinessProbe`);
    if (get(hg, 'port') !== 'default') fail(`${pfx}readinessProbe port must be the "default" port`);
    readinessPath = p as string;
  }
  const aff = get(podSpec, 'affinity');
  if (isObj(aff) && get(aff, 'nodeAffinity')) fail('error in YAML spec: pod should not have any NodeAffinities defined');
  if (isObj(aff) && get(aff, 'podAntiAffinity')) fail('error in YAML spec, pod should not have any NodeAntiAffinities defined');
  const image = get(c, 'image');
  if (typeof image !== 'string' || image.trim() === '') fail(`${pfx}the container has no image; set spec.containers[0].image`);
  wsNeedsDirectPut(b);
  const spec: LocalEtlSpec = {
    ...b,
    source: {
      type: 'container', image: image as string, command: stringList(get(c, 'command'), 'command'), args: stringList(get(c, 'args'), 'args'),
      env: envList(get(c, 'env'), 'env', notes), port: containerPort as number, readinessPath, origin: 'pod-spec',
    },
  };
  return { spec, initMsg: o, kind: 'pod-spec', dialect: get(o, 'init_timeout') !== undefined || get(o, 'obj_timeout') !== undefined ? 'v5.0' : 'v3.16', notes };
}

/** Parses a PUT /v1/etl body; throws AisHttpError(400) with the server's wording on any problem. */
export function parseInitMsg(body: Buffer | string): ParsedInit {
  const notes: string[] = [];
  let o: unknown;
  try { o = JSON.parse(body.toString()); } catch (e) {
    throw badRequest(`invalid etl.InitMsg: ETLSpecMsg error: ${(e as Error).message}; InitSpecMsg error: ${(e as Error).message}`);
  }
  if (!isObj(o)) throw badRequest(`invalid etl.InitMsg: ETLSpecMsg error: json: cannot unmarshal ${typeOf(o)} into Go value of type etl.ETLSpecMsg; InitSpecMsg error: json: cannot unmarshal ${typeOf(o)} into Go value of type etl.InitSpecMsg`);
  try {
    const code = get(o, 'code');
    if (code !== undefined && code !== null && code !== '') return parseCode(o, notes);
  } catch (e) {
    if (e instanceof InitError) throw new AisHttpError(400, e.message, 'ErrETL');
    throw e;
  }
  let e1 = '';
  const rt = get(o, 'runtime');
  if (isObj(rt)) {
    try { return parseRuntime(o, rt, notes, 'v5.0'); } catch (e) { if (!(e instanceof InitError)) throw e; e1 = e.message; }
  } else {
    e1 = rt === undefined || rt === null ? `[etl="${String(get(o, 'name') ?? '')}"] runtime.image must be specified` : `json: cannot unmarshal ${typeOf(rt)} into Go struct field ETLSpecMsg.runtime of type etl.RuntimeSpec`;
  }
  let e2: string;
  try {
    const spec = base64Field(o, 'spec');
    if (spec === undefined) fail(`[etl="${String(get(o, 'name') ?? '')}"] failed to parse pod spec: empty spec (send the Pod YAML base64-encoded in "spec", or code in "code")`);
    return parsePodSpec(o, spec as string, notes);
  } catch (e) { if (!(e instanceof InitError)) throw e; e2 = e.message; }
  throw badRequest(`invalid etl.InitMsg: ETLSpecMsg error: ${e1}; InitSpecMsg error: ${e2}`);
}
