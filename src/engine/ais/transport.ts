// HTTP plumbing for one AIS endpoint: an undici Agent (keep-alive pool per host, TLS), manual redirects,
// per-call timeout + AbortSignal, and error mapping. Everything above this file speaks in paths and JSON.
import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { Agent, request, type Dispatcher } from 'undici';
import { CallScope, isScopeReason } from './call-scope';
import { AisError, abortedError, httpError, networkError, timeoutError, type ErrorContext } from './errors';
import { ResponseStream } from './response-stream';
import type { AisClientOptions, CallOptions } from './types';

export type Method = 'GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD';
/** A function body is re-created for every hop (files); a bare Readable can be sent only once. */
export type BodySource = string | Buffer | Readable | (() => Readable);

export interface SendRequest {
  method: Method;
  /** "/v1/…" relative to the endpoint, or an absolute URL (a target we were redirected to) */
  path: string;
  query?: Record<string, string | undefined>;
  headers?: Record<string, string>;
  body?: BodySource;
  /** JSON body (ActMsg etc.); sets Content-Type */
  json?: unknown;
  ctx: ErrorContext;
  opts?: CallOptions;
  /** overrides the call/client default, e.g. ETL init waits for pods */
  timeoutMs?: number;
  /** 'manual' returns 3xx answers to the caller */
  redirects?: 'follow' | 'manual';
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  /** the URL that answered (after redirects) */
  url: string;
  body: Dispatcher.ResponseData['body'];
  scope: CallScope;
}

export const DEFAULT_TIMEOUT_MS = 60_000;
export const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 307, 308]);
const ERROR_BODY_LIMIT = 64 * 1024;

export class Transport {
  readonly endpoint: string;
  private readonly origin: string;
  private dispatcher: Promise<Agent> | undefined;

  constructor(private readonly opts: AisClientOptions) {
    this.endpoint = normalizeEndpoint(opts.endpoint);
    this.origin = new URL(this.endpoint).origin;
  }

  /** Send and return the answer whatever its status; the caller must consume `body` and dispose `scope`. */
  async send(r: SendRequest): Promise<RawResponse> {
    const timeoutMs = r.timeoutMs ?? r.opts?.timeoutMs ?? this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const scope = new CallScope(r.opts?.signal, timeoutMs);
    let url = this.url(r.path, r.query);
    const dispatcher = await this.getDispatcher(r, url).catch((e) => {
      scope.dispose();
      throw e;
    });
    const baseHeaders = this.headers(r);
    try {
      for (let hop = 0; ; hop++) {
        const res = await request(url, {
          method: r.method,
          headers: this.withAuth(baseHeaders, url),
          body: bodyFor(r),
          signal: scope.signal,
          dispatcher,
          headersTimeout: timeoutMs > 0 ? timeoutMs + 1000 : 0,
          bodyTimeout: timeoutMs,
        });
        const location = headerValue(res.headers.location);
        if (!REDIRECTS.has(res.statusCode) || !location || r.redirects === 'manual') {
          return { status: res.statusCode, headers: flattenHeaders(res.headers), url, body: res.body, scope };
        }
        await res.body.dump().catch(() => undefined);
        if (hop + 1 >= MAX_REDIRECTS) {
          throw new AisError({
            method: r.method,
            url,
            call: r.ctx.call,
            code: 'EREDIRECTS',
            aisMessage: `more than ${MAX_REDIRECTS} redirects starting at ${this.endpoint}`,
            hint: 'the cluster map may be changing: try again',
          });
        }
        if (isOneShot(r.body)) {
          throw new AisError({
            method: r.method,
            url,
            call: r.ctx.call,
            code: 'EREDIRECT_STREAM',
            aisMessage: `${new URL(url).origin} redirected a streamed upload that cannot be replayed`,
            hint: 'upload from a file or a buffer instead',
          });
        }
        url = new URL(location, url).toString();
      }
    } catch (e) {
      scope.dispose();
      throw this.mapError(e, scope, r, url);
    }
  }

  /** Expect 2xx; return the parsed JSON body (null for an empty body). */
  async json<T>(r: SendRequest): Promise<T> {
    const text = await this.text(r);
    if (text.trim() === '') return null as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new AisError({
        method: r.method,
        url: this.url(r.path, r.query),
        call: r.ctx.call,
        code: 'EBADJSON',
        aisMessage: `${this.endpoint} answered ${r.method} ${r.path} with something that is not JSON: "${text.slice(0, 120).split('\n')[0]}"`,
        hint: 'check that the endpoint is an AIStore proxy (e.g. http://host:8080)',
      });
    }
  }

  /** Expect 2xx; return the body as text. */
  async text(r: SendRequest): Promise<string> {
    const res = await this.send(r);
    try {
      await this.throwIfError(res, r);
      return await res.body.text();
    } catch (e) {
      throw this.mapError(e, res.scope, r, res.url);
    } finally {
      res.scope.dispose();
    }
  }

  /** Expect 2xx; drop the body, return the headers. */
  async empty(r: SendRequest): Promise<Record<string, string>> {
    const res = await this.send(r);
    try {
      await this.throwIfError(res, r);
      await res.body.dump();
      return res.headers;
    } catch (e) {
      throw this.mapError(e, res.scope, r, res.url);
    } finally {
      res.scope.dispose();
    }
  }

  /** Expect 2xx; hand the body over as a stream. The call's timer stops here: the caller reads at its own pace. */
  async stream(r: SendRequest): Promise<RawResponse & { stream: Readable }> {
    const res = await this.send(r);
    try {
      await this.throwIfError(res, r);
    } catch (e) {
      res.scope.dispose();
      throw this.mapError(e, res.scope, r, res.url);
    }
    res.scope.stopTimer();
    const stream = new ResponseStream(
      res.body,
      (e) => this.mapError(e, res.scope, r, res.url, 'data'),
      () => res.scope.dispose(),
    );
    return { ...res, stream };
  }

  /** Throw an AisError for a ≥400 answer (reads at most 64 KiB of the error body). */
  async throwIfError(res: RawResponse, r: SendRequest): Promise<void> {
    if (res.status < 400) return;
    // a server that echoes the request (a proxy, a buggy node) must not put the token into the user's error
    const tok = this.opts.token;
    const scrub = (x: string): string => (tok ? x.split(tok).join('<token>') : x);
    const bodyText = scrub(await readLimited(res.body, ERROR_BODY_LIMIT).catch(() => ''));
    const hdr = res.headers['hdr-error'] ?? res.headers['ais-error'];
    throw httpError({
      status: res.status,
      bodyText,
      method: r.method,
      url: res.url,
      ctx: r.ctx,
      errorHeader: typeof hdr === 'string' ? scrub(hdr) : hdr,
    });
  }

  mapError(e: unknown, scope: CallScope, r: SendRequest, url: string, phase: 'answer' | 'data' = 'answer'): AisError {
    if (e instanceof AisError) return e;
    const code = (e as { code?: string } | undefined)?.code;
    const origin = safeOrigin(url);
    if (scope.cancelled) return abortedError({ method: r.method, url, call: r.ctx.call });
    if (scope.timedOut || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || isScopeReason(e)) {
      return timeoutError({
        method: r.method,
        url,
        origin,
        call: r.ctx.call,
        timeoutMs: scope.timeoutMs,
        phase: code === 'UND_ERR_BODY_TIMEOUT' ? 'data' : phase,
      });
    }
    if (code === 'UND_ERR_ABORTED' || (e as Error | undefined)?.name === 'AbortError')
      return abortedError({ method: r.method, url, call: r.ctx.call });
    return networkError(e, { method: r.method, url, origin, endpoint: this.origin, call: r.ctx.call });
  }

  url(path: string, query?: Record<string, string | undefined>): string {
    const u = /^https?:\/\//i.test(path) ? new URL(path) : new URL(this.endpoint + path);
    // form encoding (space → "+"), which Go's url.ParseQuery on the AIS side decodes
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, v);
    return u.toString();
  }

  async close(): Promise<void> {
    const d = this.dispatcher;
    this.dispatcher = undefined;
    if (d) await (await d.catch(() => undefined))?.close();
  }

  private headers(r: SendRequest): Record<string, string> {
    const h: Record<string, string> = { 'user-agent': this.opts.userAgent ?? 'aistore-etl-vscode', ...r.headers };
    if (r.json !== undefined) h['content-type'] = 'application/json';
    return h;
  }

  /**
   * The bearer token goes to AIS nodes only: the endpoint's origin and anything under /v1/ (targets).
   * An hpull:// redirect lands on the user's ETL container, which must not receive the cluster token.
   */
  private withAuth(h: Record<string, string>, url: string): Record<string, string> {
    if (!this.opts.token) return h;
    const u = new URL(url);
    if (u.origin !== this.origin && !u.pathname.startsWith('/v1/')) return h;
    return { ...h, authorization: `Bearer ${this.opts.token}` };
  }

  private getDispatcher(r: SendRequest, url: string): Promise<Agent> {
    if (!this.dispatcher) {
      this.dispatcher = createAgent(this.opts);
      this.dispatcher.catch(() => {
        this.dispatcher = undefined;
      });
    }
    return this.dispatcher.catch((e: unknown) => {
      throw new AisError({
        method: r.method,
        url,
        call: r.ctx.call,
        code: 'ETLSCONFIG',
        aisMessage: `cannot read the TLS files for ${this.endpoint}: ${(e as Error).message}`,
        hint: 'fix the CA / certificate / key paths in the cluster settings',
      });
    });
  }
}

async function createAgent(o: AisClientOptions): Promise<Agent> {
  const t = o.tls ?? {};
  const [ca, cert, key] = await Promise.all(
    [t.caFile, t.certFile, t.keyFile].map((f) => (f ? readFile(f) : Promise.resolve(undefined))),
  );
  return new Agent({
    keepAliveTimeout: 30_000,
    connect: { ca, cert, key, rejectUnauthorized: !t.skipVerify, timeout: 10_000 },
  });
}

function bodyFor(r: SendRequest): string | Buffer | Readable | undefined {
  if (r.json !== undefined) return JSON.stringify(r.json);
  return typeof r.body === 'function' ? r.body() : r.body;
}

const isOneShot = (b: BodySource | undefined): boolean =>
  b !== undefined && typeof b !== 'string' && !Buffer.isBuffer(b) && typeof b !== 'function';

export function normalizeEndpoint(endpoint: string): string {
  const e = endpoint.trim().replace(/\/+$/, '').replace(/\/v1$/, '');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(e) ? e : `http://${e}`;
  try {
    new URL(withScheme);
  } catch {
    throw new AisError({
      method: '',
      url: endpoint,
      code: 'ERR_INVALID_URL',
      aisMessage: `"${endpoint}" is not a valid endpoint`,
      hint: 'use a URL like http://host:8080',
    });
  }
  return withScheme;
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function flattenHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h))
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

async function readLimited(body: Readable, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of body) {
    const b = c as Buffer;
    chunks.push(b);
    n += b.length;
    if (n >= limit) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}
