// Object data path on a target: GET (with Range), HEAD, PUT (streamed, atomic), DELETE.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Stats } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { AisHttpError, bucketNotFound } from '../errors';
import { assertObjName } from '../storage/names';
import { objNotFound } from '../storage/target-store';
import type { ClusterContext, TargetNode } from './context';
import { sendEmpty } from './http-util';

export function assertBucket(ctx: ClusterContext, bucket: string): void {
  if (!ctx.bmd.has(bucket)) throw bucketNotFound(bucket);
}

/** Parses a single `bytes=` range (AIS supports one); undefined = whole object. */
export function parseRange(h: string | undefined, size: number): { start: number; end: number } | undefined {
  if (!h) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(h.trim());
  const bad = () => new AisHttpError(416, `invalid range "${h}" for an object of ${size} bytes; use "bytes=START-END" (inclusive) with START < ${size}`);
  if (!m || (m[1] === '' && m[2] === '')) throw bad();
  let start: number, end: number;
  if (m[1] === '') { const n = Number(m[2]); start = Math.max(0, size - n); end = size - 1; }
  else { start = Number(m[1]); end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1); }
  if (start >= size || start > end) throw bad();
  return { start, end };
}

export async function propHeaders(t: TargetNode, bucket: string, name: string, st: Stats, computeCksum: boolean): Promise<Record<string, string>> {
  const md5 = await t.store.checksum(t.store.objPath(bucket, name), st, computeCksum);
  return {
    ...(md5 ? { 'Ais-Checksum-Type': 'md5', 'Ais-Checksum-Value': md5 } : { 'Ais-Checksum-Type': 'none' }),
    'Ais-Atime': String(BigInt(Math.round(st.atimeMs)) * 1_000_000n),
    'Ais-Version': '1', 'Ais-Present': 'true', 'Ais-Name': name, 'Ais-Location': `t[${t.id}]:mp[${t.store.root}]`,
    'Ais-Bucket-Name': bucket, 'Ais-Bucket-Provider': 'ais',
    'Last-Modified': st.mtime.toUTCString(), ETag: `"${md5 ?? `${st.size}-${Math.round(st.mtimeMs)}`}"`,
  };
}

export async function getObject(ctx: ClusterContext, t: TargetNode, req: IncomingMessage, res: ServerResponse, bucket: string, name: string): Promise<void> {
  const st = await t.store.stat(bucket, name);
  if (!st) throw objNotFound(t.id, bucket, name);
  const range = parseRange(req.headers.range, st.size);
  const headers = await propHeaders(t, bucket, name, st, false);
  const len = range ? range.end - range.start + 1 : st.size;
  res.writeHead(range ? 206 : 200, {
    ...headers, 'Content-Type': 'application/octet-stream', 'Content-Length': String(len), 'Accept-Ranges': 'bytes',
    ...(range && { 'Content-Range': `bytes ${range.start}-${range.end}/${st.size}` }),
  });
  if (req.method === 'HEAD') { res.end(); return; }
  await pipeline(t.store.openRead(bucket, name, range), res).catch(() => res.destroy());
}

export async function headObject(t: TargetNode, res: ServerResponse, bucket: string, name: string, query: URLSearchParams): Promise<void> {
  const st = await t.store.stat(bucket, name);
  if (!st) {
    // `sln` (silent) asks for a bare 404 without logging; either way the error goes into Ais-Error.
    throw objNotFound(t.id, bucket, name);
  }
  void query;
  res.writeHead(200, { ...(await propHeaders(t, bucket, name, st, true)), 'Content-Length': String(st.size) });
  res.end();
}

export async function putObject(t: TargetNode, req: IncomingMessage, res: ServerResponse, bucket: string, name: string): Promise<void> {
  const ac = new AbortController();
  req.once('aborted', () => ac.abort());
  res.once('close', () => { if (!res.writableFinished) ac.abort(); });
  await t.store.put(bucket, name, req, ac.signal);
  sendEmpty(res, 200);
}

export async function deleteObject(t: TargetNode, res: ServerResponse, bucket: string, name: string): Promise<void> {
  if (!(await t.store.delete(bucket, name))) throw objNotFound(t.id, bucket, name);
  sendEmpty(res, 200);
}

export function validateObj(bucket: string, name: string): void { assertObjName(bucket, name); }
