// hpush:// and hpull:// from a target to one worker: a keep-alive pool (undici sets TCP_NODELAY), bodies streamed.
import * as fs from 'node:fs';
import { Pool } from 'undici';
import { etlFqnParam, pullPath, pushPath, withQuery } from './paths';
import type { TransformInput, TransformOutput } from './types';

export interface HttpCommOptions {
  /** Send `etl_fqn` and an empty body (AIS ≥4.0 default) instead of the object bytes. */
  passFqn: boolean;
  connections?: number;
  /** 3.29 leniency for the tutorial's server.py (only `do_POST`): a 501 to PUT is retried with POST. */
  postFallback?: boolean;
  /** Called once per connection pool when the fallback switched this worker to POST. */
  onPostFallback?(): void;
}

type PushMethod = 'PUT' | 'POST';
/** Keep-alive connections a target keeps to one worker, unless told otherwise. */
export const WORKER_POOL_CONNECTIONS = 16;
const TRANSIENT_ATTEMPTS = 3;

export class HttpComm {
  private readonly pool: Pool;
  /** Decided by the first answered push; until then pushes wait, so no request races the switch. */
  private method: PushMethod | undefined;
  private deciding: Promise<unknown> | undefined;

  constructor(
    readonly origin: string,
    private readonly o: HttpCommOptions,
  ) {
    this.pool = new Pool(origin, {
      connections: o.connections ?? WORKER_POOL_CONNECTIONS,
      keepAliveTimeout: 30_000,
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    if (!o.postFallback) this.method = 'PUT'; // AIS always PUTs for hpush:// (3.2 … 5.0)
  }

  async push(input: TransformInput, signal?: AbortSignal): Promise<TransformOutput> {
    while (this.method === undefined) {
      if (!this.deciding) {
        const p = this.decide(input, signal);
        this.deciding = p.finally(() => {
          this.deciding = undefined;
        });
        return p;
      }
      await this.deciding.catch(() => undefined);
    }
    return this.withTransientRetry(() => this.pushOnce(input, this.method ?? 'PUT', signal));
  }

  /** 503 + `Ais-Etl-Retry-Reason` (a transient direct-put failure the server did not retry): AIS replays the PUT. */
  private async withTransientRetry(send: () => Promise<TransformOutput>): Promise<TransformOutput> {
    for (let attempt = 1; ; attempt++) {
      const out = await send();
      if (out.status !== 503 || !out.headers['ais-etl-retry-reason'] || attempt >= TRANSIENT_ATTEMPTS) return out;
      out.body.resume();
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }

  /** The first push: PUT, and on a 501 (or a connection the server dropped) POST; the answer fixes the method. */
  private async decide(input: TransformInput, signal?: AbortSignal): Promise<TransformOutput> {
    let first: TransformOutput | undefined;
    let firstErr: unknown;
    try {
      first = await this.pushOnce(input, 'PUT', signal);
      if (first.status !== 501) {
        this.method = 'PUT';
        return first;
      }
      first.body.resume();
    } catch (e) {
      if (signal?.aborted) throw e;
      firstErr = e; // http.server answers 501 and closes without reading the body: the PUT may fail instead
    }
    const retry = await this.pushOnce(input, 'POST', signal).catch((e: unknown) => {
      throw firstErr ?? e;
    });
    if (retry.status === 501 || retry.status === 405 || (firstErr !== undefined && retry.status >= 500)) {
      if (firstErr !== undefined) {
        retry.body.resume();
        throw firstErr;
      }
      this.method = 'PUT';
      return retry;
    }
    this.method = 'POST';
    this.o.onPostFallback?.();
    return retry;
  }

  private async pushOnce(input: TransformInput, method: PushMethod, signal?: AbortSignal): Promise<TransformOutput> {
    const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
    if (input.nodeUrl) headers['ais-node-url'] = input.nodeUrl;
    if (this.o.passFqn) {
      const q = { etl_fqn: etlFqnParam(input.fqn), etl_args: input.args };
      const path = withQuery(pushPath(input.bucket, input.objName), q);
      headers['content-length'] = '0';
      return this.request({ method, path, headers, signal });
    }
    headers['content-length'] = String(input.size);
    const path = withQuery(pushPath(input.bucket, input.objName), { etl_args: input.args });
    return this.request({ method, path, headers, body: fs.createReadStream(input.fqn), signal });
  }

  /** The target itself GETs the worker (offline hpull, or the redirect target): `pullPath` of the object. */
  pull(input: TransformInput, signal?: AbortSignal): Promise<TransformOutput> {
    // AIS issues hpull GETs itself for offline jobs and copies; ≥4.0 adds etl_fqn (§7.2)
    const headers: Record<string, string> = {};
    if (input.nodeUrl) headers['ais-node-url'] = input.nodeUrl;
    const q = { etl_fqn: this.o.passFqn ? etlFqnParam(input.fqn) : undefined, etl_args: input.args };
    return this.request({ method: 'GET', path: withQuery(pullPath(input.bucket, input.objName), q), headers, signal });
  }

  private async request(r: {
    method: 'GET' | 'PUT' | 'POST';
    path: string;
    headers: Record<string, string>;
    body?: fs.ReadStream;
    signal?: AbortSignal;
  }): Promise<TransformOutput> {
    const res = await this.pool.request({ ...r, signal: r.signal });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers))
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    return { status: res.statusCode, body: res.body, headers };
  }

  async close(): Promise<void> {
    await this.pool.destroy().catch(() => undefined);
  }
}
