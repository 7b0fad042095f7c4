// One error type for everything the AIS client can fail with: HTTP answers, network trouble, timeouts, aborts.
// The message is for people (what happened + what to do); the fields are for code.

/** What the failing call was; the message is composed from it, the fields are kept for code. */
export class AisError extends Error {
  declare readonly status?: number;
  /** The server's own words (or ours for network failures), without hint. */
  declare readonly aisMessage: string;
  declare readonly tcode?: string;
  declare readonly method: string;
  declare readonly url: string;
  declare readonly hint?: string;
  /** ECONNREFUSED, ENOTFOUND, ETIMEDOUT, ABORTED, ECONNRESET, TLS codes … */
  declare readonly code?: string;

  constructor(init: AisErrorInit) {
    super(composeMessage(init), init.cause === undefined ? undefined : { cause: init.cause });
    const { call: _call, cause: _cause, ...fields } = init;
    Object.assign(this, fields);
    this.name = 'AisError';
  }
}

export type AisErrorInit = Pick<AisError, 'status' | 'aisMessage' | 'tcode' | 'method' | 'url' | 'hint' | 'code'> & {
  /** what the user asked for, e.g. "init ETL": used only to build the message */
  call?: string;
  cause?: unknown;
};

function composeMessage(i: AisErrorInit): string {
  const what = i.call ? `${i.call} failed: ` : '';
  const where = i.status !== undefined ? ` (HTTP ${i.status}, ${i.method} ${i.url})` : '';
  const hint = i.hint ? ` ${capitalize(i.hint)}${/[.!?]$/.test(i.hint) ? '' : '.'}` : '';
  return `${what}${stripDot(i.aisMessage)}${where}.${hint}`;
}

const stripDot = (s: string): string => s.replace(/[.\s]+$/, '');
const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

export function isAbortError(e: unknown): boolean {
  return e instanceof AisError && e.code === 'ABORTED';
}

/** What the failing call was about; the hints depend on it. */
export interface ErrorContext {
  call: string;
  etl?: string;
  bucket?: string;
  object?: string;
  /** PUT /v1/etl or start: 409 means the name is taken */
  init?: boolean;
}

export const HINT_NO_ETL_BUILD = 'this cluster was built without ETL; deploy the -etl image';
export const HINT_NEEDS_K8S = 'ETL needs AIS on Kubernetes; use the local cluster to try ETLs';
export const HINT_ETL_EXISTS = 'an ETL with this name exists (maybe Aborted): start or delete it';

/** Short advice for an HTTP error, or undefined when we have nothing better than the server's message. */
export function hintFor(status: number, aisMessage: string, ctx: ErrorContext): string | undefined {
  const msg = aisMessage.toLowerCase();
  if (status === 501)
    return ctx.etl !== undefined || msg.includes('etl')
      ? HINT_NO_ETL_BUILD
      : 'this cluster does not support the operation';
  if (msg.includes('requires kubernetes')) return HINT_NEEDS_K8S;
  if (status === 401) return 'the cluster requires authentication: set a token for this cluster';
  if (status === 403)
    return 'the token was refused for this operation: set a token with enough permissions (ETL needs admin)';
  if (status === 409 && ctx.init) return HINT_ETL_EXISTS;
  // the stored init message no longer parses (e.g. a code ETL of AIS ≤3.29 after an upgrade to 5.0)
  if (status === 400 && ctx.etl !== undefined && !ctx.init && msg.includes('invalid etl.initmsg'))
    return `this cluster no longer accepts how ETL "${ctx.etl}" was deployed: delete it and deploy it again from its file`;
  if (status === 404) return notFoundHint(msg, ctx);
  if (status === 503 && aisMessage === '') return 'the cluster is starting up or unavailable: try again shortly';
  return undefined;
}

function notFoundHint(msg: string, ctx: ErrorContext): string | undefined {
  // "etl job X does not exist" (proxy), "X does not exist - try starting new ETL" (target), [etl="X"] (ErrETL)
  const etlMentioned =
    ctx.etl !== undefined && (msg.includes(ctx.etl.toLowerCase()) || /etl job|new etl|etl=/.test(msg));
  if (etlMentioned || (ctx.etl !== undefined && !ctx.bucket))
    return `no running ETL named "${ctx.etl}": deploy it first, or start it if it is stopped (Aborted)`;
  if (ctx.object !== undefined && ctx.bucket !== undefined && !bucketMissing(msg)) {
    return `object "${ctx.object}" does not exist in bucket "${ctx.bucket}": check the name or upload it`;
  }
  if (ctx.bucket !== undefined) return `bucket "${ctx.bucket}" does not exist: create it or check the name`;
  return undefined;
}

const bucketMissing = (msg: string): boolean => /bucket\s+"[^"]*"\s+does not exist/.test(msg);

/** Fields of AIS's ErrHTTP we use. */
interface ErrHttpBody {
  message?: unknown;
  tcode?: unknown;
  status?: unknown;
}

/** Turn an error body (JSON ErrHTTP, plain text or HTML) into a message and tcode. */
export function parseErrorBody(text: string): { message: string; tcode?: string } {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const j = JSON.parse(trimmed) as ErrHttpBody;
      if (typeof j.message === 'string')
        return { message: j.message, tcode: typeof j.tcode === 'string' && j.tcode ? j.tcode : undefined };
    } catch {
      /* not JSON after all: fall through to text */
    }
  }
  return { message: firstLine(trimmed) };
}

/** First meaningful line; for HTML the <title> or the first text line, without tags. */
export function firstLine(text: string): string {
  let t = text;
  if (/^\s*</.test(t) && /<\/?[a-z!][^>]*>/i.test(t)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(t)?.[1]?.trim();
    if (title) return decodeEntities(title);
    t = t.replace(/<(script|style)[\s\S]*?<\/\1>/gi, '\n').replace(/<[^>]+>/g, '\n');
    t = decodeEntities(t);
  }
  const line =
    t
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find((l) => l.length > 0) ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

const decodeEntities = (s: string): string =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

export function httpError(args: {
  status: number;
  bodyText: string;
  method: string;
  url: string;
  ctx: ErrorContext;
  errorHeader?: string;
}): AisError {
  const source = args.errorHeader ?? args.bodyText;
  const parsed = parseErrorBody(source);
  const aisMessage =
    parsed.message || (args.status === 503 ? '' : `the server answered ${args.status} without a message`);
  const hint = hintFor(args.status, aisMessage, args.ctx);
  return new AisError({
    status: args.status,
    aisMessage: aisMessage || 'the cluster is unavailable (503)',
    tcode: parsed.tcode,
    method: args.method,
    url: args.url,
    hint,
    call: args.ctx.call,
  });
}

const TLS_CODES =
  /^(ERR_TLS|ERR_SSL|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|ERR_OSSL|HOSTNAME_MISMATCH)/;

/**
 * Network-level failures (no HTTP answer). `origin` is the host that failed; `endpoint` the configured one:
 * they differ after a redirect (a target or an ETL pod), and saying so helps with hpull:// node IPs.
 */
export function networkError(
  err: unknown,
  a: { method: string; url: string; origin: string; endpoint: string; call: string },
): AisError {
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e?.code ?? e?.cause?.code;
  const raw = e?.message ?? String(err);
  const via = a.origin === a.endpoint ? '' : ` (redirected there by ${a.endpoint})`;
  const base = { method: a.method, url: a.url, code, call: a.call, cause: err };
  if (code === 'ECONNREFUSED') {
    return new AisError({
      ...base,
      aisMessage: `cannot connect to ${a.origin}${via}: connection refused`,
      hint: via
        ? 'the node is not reachable from this machine: check the network path to cluster nodes'
        : 'check that the cluster is running and that the endpoint (host and port) is right',
    });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new AisError({
      ...base,
      aisMessage: `cannot resolve host of ${a.origin}${via}`,
      hint: 'check the host name in the endpoint and your DNS',
    });
  }
  if (code && TLS_CODES.test(code)) {
    return new AisError({
      ...base,
      aisMessage: `TLS handshake with ${a.origin}${via} failed: ${raw}`,
      hint: 'set the cluster CA file, a client certificate if the cluster requires one, or enable skip-verify for a test cluster',
    });
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') {
    return new AisError({
      ...base,
      code: 'ETIMEDOUT',
      aisMessage: `cannot connect to ${a.origin}${via}: connection timed out`,
      hint: 'check the endpoint and any firewall between you and the cluster',
    });
  }
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
    return new AisError({
      ...base,
      code: code === 'UND_ERR_SOCKET' ? 'ECONNRESET' : code,
      aisMessage: `connection to ${a.origin}${via} was closed unexpectedly: ${raw}`,
      hint: 'the node may have restarted or a proxy cut the connection: try again',
    });
  }
  if (code === 'ERR_INVALID_URL' || err instanceof TypeError) {
    return new AisError({
      ...base,
      aisMessage: `invalid request to ${a.origin}: ${raw}`,
      hint: 'check the endpoint URL (e.g. http://host:8080)',
    });
  }
  return new AisError({ ...base, aisMessage: `request to ${a.origin}${via} failed: ${raw}` });
}

export function timeoutError(a: {
  method: string;
  url: string;
  origin: string;
  call: string;
  timeoutMs: number;
  phase: 'answer' | 'data';
}): AisError {
  const secs = a.timeoutMs >= 1000 ? `${Math.round(a.timeoutMs / 100) / 10} s` : `${a.timeoutMs} ms`;
  const what = a.phase === 'answer' ? 'no answer' : 'no data';
  return new AisError({
    method: a.method,
    url: a.url,
    code: 'ETIMEDOUT',
    call: a.call,
    aisMessage: `${what} from ${a.origin} within ${secs} for ${a.method} ${new URL(a.url).pathname}`,
    hint: 'the cluster may be busy or unreachable: check it, or raise the timeout',
  });
}

export function abortedError(a: { method: string; url: string; call: string }): AisError {
  return new AisError({ method: a.method, url: a.url, code: 'ABORTED', call: a.call, aisMessage: 'cancelled' });
}
