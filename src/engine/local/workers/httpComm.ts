// hpush:// and hpull:// from a target to one worker: a keep-alive pool (undici sets TCP_NODELAY), bodies streamed.
import * as fs from 'node:fs';
import { Pool } from 'undici';
import { pullPath, pushPath, withQuery } from './paths';
import type { TransformInput, TransformOutput } from './types';

export interface HttpCommOptions {
  /** Send `etl_fqn` and an empty body (AIS ≥4.0 default) instead of the object bytes. */
  passFqn: boolean;
  connections?: number;
  /** Called once when a container answers PUT with 501 and we switch to POST. */
  onNote?(line: string): void;
}

export class HttpComm {
  private readonly pool: Pool;
  private pushMethod: 'PUT' | 'POST' = 'PUT';

  constructor(readonly origin: string, private readonly o: HttpCommOptions) {
    this.pool = new Pool(origin, { connections: o.connections ?? 16, keepAliveTimeout: 30_000, headersTimeout: 0, bodyTimeout: 0 });
  }

  async push(input: TransformInput, signal?: AbortSignal): Promise<TransformOutput> {
    const first = await this.pushOnce(input, this.pushMethod, signal);
    // AIS always PUT (3.2 … 5.0), but the tutorial's server.py implements only do_POST: answer its 501 with a POST.
    if (first.status === 501 && this.pushMethod === 'PUT') {
      first.body.resume();
      const retry = await this.pushOnce(input, 'POST', signal);
      if (retry.status !== 501 && retry.status !== 405) {
        this.pushMethod = 'POST';
        this.o.onNote?.('note: the ETL server answered PUT with 501 (not implemented); AIS sends PUT for hpush://, ' +
          'the local cluster retried with POST and will keep using POST. Implement do_PUT to run on a real cluster.');
      }
      return retry;
    }
    return first;
  }

  private async pushOnce(input: TransformInput, method: 'PUT' | 'POST', signal?: AbortSignal): Promise<TransformOutput> {
    const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
    if (input.nodeUrl) headers['ais-node-url'] = input.nodeUrl;
    if (this.o.passFqn) {
      const path = withQuery(pushPath(input.bucket, input.objName), { etl_fqn: input.fqn, etl_args: input.args });
      headers['content-length'] = '0';
      return this.request({ method, path, headers, signal });
    }
    headers['content-length'] = String(input.size);
    const path = withQuery(pushPath(input.bucket, input.objName), { etl_args: input.args });
    return this.request({ method, path, headers, body: fs.createReadStream(input.fqn), signal });
  }

  /** The target itself GETs the worker (offline hpull, or the redirect target): `pullPath` of the object. */
  pull(input: TransformInput, signal?: AbortSignal): Promise<TransformOutput> {
    const headers: Record<string, string> = {};
    if (input.nodeUrl) headers['ais-node-url'] = input.nodeUrl;
    const q = { etl_fqn: this.o.passFqn ? input.fqn : undefined, etl_args: input.args };
    return this.request({ method: 'GET', path: withQuery(pullPath(input.bucket, input.objName), q), headers, signal });
  }

  private async request(r: { method: 'GET' | 'PUT' | 'POST'; path: string; headers: Record<string, string>; body?: fs.ReadStream; signal?: AbortSignal }): Promise<TransformOutput> {
    const res = await this.pool.request({ ...r, signal: r.signal });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    return { status: res.statusCode, body: res.body, headers };
  }

  async close(): Promise<void> {
    await this.pool.destroy().catch(() => undefined);
  }
}
