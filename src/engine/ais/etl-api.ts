// ETL lifecycle: init, list, details, stop/start/delete, logs, health, metrics (etl-api.md §2).
import { goDurationToMs } from '../common/goDuration';
import { etlPath } from './paths';
import type { Transport } from './transport';
import type { CallOptions, EtlDetails, EtlHealth, EtlInfo, EtlLog, EtlObjError, LocalLeniency } from './types';

/** Server default when the body has no init timeout (ext/etl/api.go DefaultInitTimeout). */
const SERVER_DEFAULT_INIT_MS = 45_000;
/** The HTTP call must outlive the server's own wait for pods. */
const INIT_MARGIN_MS = 10_000;
/** Start re-runs init with the stored message, whose timeout we don't know: assume the SDK's 5m. */
const START_TIMEOUT_MS = 5 * 60_000 + INIT_MARGIN_MS;
/** Stop/delete wait for pod deletion on every target (≤45 s each, in parallel). */
const STOP_TIMEOUT_MS = 2 * 60_000;

/**
 * HTTP timeout for PUT /v1/etl: init_timeout (3.29+), timeout (≤3.28) or wait_timeout (3.7/3.8) from the body, else
 * the server default, plus 10 s — but never below the caller's own timeout.
 */
export function initTimeoutMs(msg: Record<string, unknown>, callTimeoutMs: number): number {
  const raw = [msg.init_timeout, msg.timeout, msg.wait_timeout].find((v) => typeof v === 'string' && v !== '') as
    string | undefined;
  const parsed = raw !== undefined ? goDurationToMs(raw) : undefined;
  const serverWait = parsed !== undefined && parsed > 0 ? parsed : SERVER_DEFAULT_INIT_MS;
  return Math.max(callTimeoutMs, serverWait + INIT_MARGIN_MS);
}

const etlNameOf = (msg: Record<string, unknown>): string | undefined =>
  [msg.name, msg.id].find((v): v is string => typeof v === 'string' && v !== '');

export async function initEtl(
  t: Transport,
  msg: Record<string, unknown>,
  callTimeoutMs: number,
  o?: CallOptions,
): Promise<string> {
  const name = etlNameOf(msg);
  const text = await t.text({
    method: 'PUT',
    path: '/v1/etl',
    json: msg,
    timeoutMs: initTimeoutMs(msg, o?.timeoutMs ?? callTimeoutMs),
    ctx: { call: `deploy ETL ${name ?? ''}`.trim(), etl: name, init: true },
    opts: o,
  });
  return text.trim();
}

interface WireInfo {
  id?: string;
  name?: string;
  stage?: string;
  xaction_id?: string;
  obj_count?: number;
  in_bytes?: number;
  out_bytes?: number;
  local_leniencies?: unknown;
}

/** `local_leniencies` of the local cluster (never sent by a real AIS). */
function leniencies(v: unknown): { localLeniencies?: LocalLeniency[] } {
  if (!Array.isArray(v)) return {};
  const out = v
    .filter((x): x is { id: string; note: string } => typeof x?.id === 'string' && typeof x?.note === 'string')
    .map((x) => ({ id: x.id, note: x.note }));
  return out.length > 0 ? { localLeniencies: out } : {};
}

export async function listEtls(t: Transport, o?: CallOptions): Promise<EtlInfo[]> {
  const list = await t.json<WireInfo[] | null>({ method: 'GET', path: '/v1/etl', ctx: { call: 'list ETLs' }, opts: o });
  return (list ?? []).map((w) => ({
    name: w.id ?? w.name ?? '',
    // ≤3.27 listed running ETLs only and had no stage
    stage: w.stage ?? 'Running',
    ...(w.xaction_id ? { xactionId: w.xaction_id } : {}),
    ...(w.obj_count !== undefined ? { objCount: Number(w.obj_count) } : {}),
    ...(w.in_bytes !== undefined ? { inBytes: Number(w.in_bytes) } : {}),
    ...(w.out_bytes !== undefined ? { outBytes: Number(w.out_bytes) } : {}),
    ...leniencies(w.local_leniencies),
  }));
}

interface WireObjErr {
  obj_name?: string;
  msg?: string;
  ecode?: number;
}

/** ≥3.30 answers {init_msg, obj_errors}; ≤3.29 the raw init message. */
export async function etlDetails(
  t: Transport,
  name: string,
  jobId: string | undefined,
  o?: CallOptions,
): Promise<EtlDetails> {
  const raw =
    (await t.json<Record<string, unknown> | null>({
      method: 'GET',
      path: etlPath(name),
      query: { uuid: jobId ?? '' } /* always sent, like the 5.0 CLI: ≥3.30 answers {init_msg, obj_errors} */,
      ctx: { call: `read ETL ${name}`, etl: name },
      opts: o,
    })) ?? {};
  const wrapped = raw.init_msg !== undefined && typeof raw.init_msg === 'object' && raw.init_msg !== null;
  const initMsg = (wrapped ? raw.init_msg : raw) as Record<string, unknown>;
  const errs = (wrapped && Array.isArray(raw.obj_errors) ? raw.obj_errors : []) as WireObjErr[];
  return {
    initMsg,
    kind: sniffInitKind(initMsg),
    objErrors: errs.map(toObjError),
    ...(wrapped ? leniencies(raw.local_leniencies) : {}),
  };
}

export function sniffInitKind(m: Record<string, unknown>): EtlDetails['kind'] {
  if (m.runtime && typeof m.runtime === 'object') return 'runtime-spec';
  if (typeof m.spec === 'string' && m.spec !== '') return 'pod-spec';
  if (typeof m.code === 'string' && m.code !== '') return 'code';
  return 'unknown';
}

function toObjError(e: WireObjErr): EtlObjError {
  return { objName: e.obj_name ?? '', message: e.msg ?? '', ...(e.ecode !== undefined ? { ecode: e.ecode } : {}) };
}

export async function stopEtl(t: Transport, name: string, callTimeoutMs: number, o?: CallOptions): Promise<void> {
  await t.empty({
    method: 'POST',
    path: etlPath(name, 'stop'),
    timeoutMs: Math.max(o?.timeoutMs ?? callTimeoutMs, STOP_TIMEOUT_MS),
    ctx: { call: `stop ETL ${name}`, etl: name },
    opts: o,
  });
}

export async function startEtl(t: Transport, name: string, callTimeoutMs: number, o?: CallOptions): Promise<string> {
  const text = await t.text({
    method: 'POST',
    path: etlPath(name, 'start'),
    timeoutMs: Math.max(o?.timeoutMs ?? callTimeoutMs, START_TIMEOUT_MS),
    ctx: { call: `start ETL ${name}`, etl: name },
    opts: o,
  });
  return text.trim();
}

export async function deleteEtl(t: Transport, name: string, callTimeoutMs: number, o?: CallOptions): Promise<void> {
  await t.empty({
    method: 'DELETE',
    path: etlPath(name),
    timeoutMs: Math.max(o?.timeoutMs ?? callTimeoutMs, STOP_TIMEOUT_MS),
    ctx: { call: `delete ETL ${name}`, etl: name },
    opts: o,
  });
}

export async function etlLogs(
  t: Transport,
  name: string,
  targetId: string | undefined,
  o?: CallOptions,
): Promise<EtlLog[]> {
  const path = targetId ? etlPath(name, 'logs', targetId) : etlPath(name, 'logs');
  const list = await t.json<{ target_id?: string; logs?: string }[] | null>({
    method: 'GET',
    path,
    ctx: { call: `read logs of ETL ${name}`, etl: name },
    opts: o,
  });
  // []byte fields are base64 on the wire
  return (list ?? []).map((l) => ({
    targetId: l.target_id ?? '',
    logs: Buffer.from(l.logs ?? '', 'base64').toString('utf8'),
  }));
}

export async function etlHealth(t: Transport, name: string, o?: CallOptions): Promise<EtlHealth[]> {
  const list = await t.json<{ target_id?: string; health_status?: string; status?: string }[] | null>({
    method: 'GET',
    path: etlPath(name, 'health'),
    ctx: { call: `check health of ETL ${name}`, etl: name },
    opts: o,
  });
  return (list ?? []).map((h) => ({ targetId: h.target_id ?? '', status: h.health_status ?? h.status ?? '' }));
}

export async function etlMetrics(t: Transport, name: string, o?: CallOptions): Promise<unknown[]> {
  const list = await t.json<unknown[] | null>({
    method: 'GET',
    path: etlPath(name, 'metrics'),
    ctx: { call: `read metrics of ETL ${name}`, etl: name },
    opts: o,
  });
  return Array.isArray(list) ? list : [];
}

/** One target's debugpy, as the local cluster answers `POST /v1/etl/<name>/debug`. */
export interface EtlDebugTarget {
  targetId: string;
  host: string;
  port: number;
  workDir: string;
  codeFile?: string;
}

/**
 * Restarts the ETL's workers under debugpy (`enable`) or back to normal: an aisetl local-cluster extension, not AIS
 * API (a real AIS answers 4xx). Answers the per-target debug ports (empty when disabled).
 */
export async function setEtlDebug(
  t: Transport,
  name: string,
  enable: boolean,
  callTimeoutMs: number,
): Promise<EtlDebugTarget[]> {
  const a = await t.json<{
    targets?: { target_id: string; host: string; port: number; work_dir: string; code_file?: string }[];
  }>({
    method: 'POST',
    path: etlPath(name, 'debug'),
    json: { enable },
    timeoutMs: Math.max(callTimeoutMs, STOP_TIMEOUT_MS),
    ctx: { call: `${enable ? 'debug' : 'end debugging of'} ETL ${name}`, etl: name },
  });
  return (a.targets ?? []).map((x) => ({
    targetId: x.target_id,
    host: x.host,
    port: x.port,
    workDir: x.work_dir,
    ...(x.code_file && { codeFile: x.code_file }),
  }));
}
