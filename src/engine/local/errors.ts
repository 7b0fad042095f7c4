// AIS's ErrHTTP error shape (cmn/err.go): JSON body, or the `Ais-Error` header for HEAD requests.
import type { IncomingMessage, ServerResponse } from 'node:http';

export class AisHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly tcode?: string,
  ) {
    super(message);
  }
}

export const notFound = (msg: string, tcode = 'ErrNotFound') => new AisHttpError(404, msg, tcode);
export const badRequest = (msg: string, tcode?: string) => new AisHttpError(400, msg, tcode);
export const conflict = (msg: string, tcode?: string) => new AisHttpError(409, msg, tcode);

export const bucketNotFound = (bucket: string) =>
  new AisHttpError(404, `bucket "ais://${bucket}" does not exist`, 'ErrBckNotFound');

/** Writes `err` in AIS's shape; `node` is the daemon label like "p[KkVpVrAa]". Never throws. */
export function writeAisError(req: IncomingMessage, res: ServerResponse, err: unknown, node: string): void {
  const code = (err as NodeJS.ErrnoException)?.code;
  const e =
    err instanceof AisHttpError
      ? err
      : code === 'ENOSPC' || code === 'EDQUOT'
        ? new AisHttpError(
            507,
            `out of space: the local cluster's disk is full (${(err as Error).message}); free some space and retry`,
            'ErrCapExceeded',
          )
        : new AisHttpError(500, `internal error: ${(err as Error)?.message ?? String(err)}; see the local cluster log`);
  const body: Record<string, unknown> = {};
  if (e.tcode) body.tcode = e.tcode;
  Object.assign(body, {
    message: e.message,
    method: req.method ?? '',
    url_path: (req.url ?? '').split('?')[0],
    // the socket is gone when the client hung up before the error was ready
    remote_addr: `${req.socket?.remoteAddress ?? ''}:${req.socket?.remotePort ?? ''}`,
    caller: '',
    node,
    status: e.status,
  });
  const json = JSON.stringify(body);
  if (res.headersSent || res.destroyed) {
    res.destroy(e);
    return;
  }
  if (req.method === 'HEAD') {
    // Header values must be latin1 without newlines; AIS puts the same JSON into Ais-Error.
    res.writeHead(e.status, { 'Ais-Error': json.replace(/[^\x20-\x7e]/g, '?') });
    res.end();
    return;
  }
  res.writeHead(e.status, {
    'Content-Type': 'application/json',
    'X-Content-Type-Options': 'nosniff',
    'Content-Length': Buffer.byteLength(json),
  });
  res.end(json);
}
