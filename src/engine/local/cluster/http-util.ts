// Small HTTP helpers shared by the gateway and the targets.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, AisHttpError } from '../errors';

/** Control-plane bodies (ActMsg, init messages) are small; cap them so a bad client cannot exhaust memory. */
export const MAX_CONTROL_BODY = 64 << 20;

export async function readBody(req: IncomingMessage, limit = MAX_CONTROL_BODY): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of req) {
    n += (c as Buffer).length;
    if (n > limit)
      throw new AisHttpError(413, `request body is larger than ${limit} bytes; control messages must be small`);
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Parses an optional JSON body (ActMsg, xaction query). Empty body → undefined. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const buf = await readBody(req);
  if (buf.length === 0) return undefined;
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch (e) {
    throw badRequest(`failed to parse the JSON request body: ${(e as Error).message}`);
  }
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status = 200): void {
  res.writeHead(status, { 'Content-Length': 0 });
  res.end();
}

/** Decodes a percent-encoded path segment, turning malformed escapes into a 400. */
export function decodePath(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw badRequest(`invalid URL path: malformed percent-encoding in "${s}"`);
  }
}

export interface ParsedUrl {
  parts: string[] /* raw, still escaped */;
  rawPath: string;
  query: URLSearchParams;
  rawQuery: string;
}

export function parseUrl(req: IncomingMessage): ParsedUrl {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q >= 0 ? url.slice(0, q) : url;
  const rawQuery = q >= 0 ? url.slice(q + 1) : '';
  return { parts: rawPath.split('/').slice(1), rawPath, query: new URLSearchParams(rawQuery), rawQuery };
}

/** Case-insensitive property read (Go's JSON decoding of ActMsg/QueryMsg matches keys case-insensitively). */
export function prop(o: unknown, key: string): unknown {
  if (typeof o !== 'object' || o === null) return undefined;
  const rec = o as Record<string, unknown>;
  if (key in rec) return rec[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(rec)) if (k.toLowerCase() === lower) return rec[k];
  return undefined;
}
