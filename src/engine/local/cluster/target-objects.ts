// Object data path on a target: GET (with Range), HEAD, PUT (streamed, atomic), DELETE.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Stats } from 'node:fs';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AisHttpError, bucketNotFound } from '../errors';
import { assertObjName } from '../storage/names';
import { objNotFound } from '../storage/target-store';
import type { ClusterContext, TargetNode } from './context';
import { sendEmpty } from './http-util';

export function assertBucket(ctx: ClusterContext, bucket: string): void {
  if (!ctx.bmd.has(bucket)) throw bucketNotFound(bucket);
}

// Thrown when no range overlaps the object; AIS then also sends "Content-Range: bytes */SIZE" (RFC 7233 4.2).
export class RangeNotSatisfiable extends AisHttpError {
  constructor(
    message: string,
    readonly size: number,
  ) {
    super(416, message, 'ErrRangeNotSatisfiable');
  }
}

/**
 * Parses a `Range` header the way AIS does (ais/utils.go parseMultiRange + tgtobj.go rngToHeader): malformed → 416
 * without a tcode and AIS's text; no range overlapping the object → 416 ErrRangeNotSatisfiable
 * (`size=22: not satisfiable range [100-]`); more than one range → 416 ErrUnsupp. undefined = whole object.
 */
export function parseRange(
  h: string | undefined,
  size: number,
  cname = '',
): { start: number; end: number } | undefined {
  if (h === undefined || h === '') return undefined;
  const bad = (msg: string) => new AisHttpError(416, msg);
  if (!h.startsWith('bytes=')) throw bad(`read range ${JSON.stringify(h)} is invalid (prefix)`);
  const all = h.slice('bytes='.length).split(',');
  const ranges: { start: number; end: number }[] = [];
  let noOverlap = false;
  const int = (x: string): number => (/^[+-]?\d+$/.test(x) ? Number(x) : NaN);
  for (const raw of all) {
    const ra = raw.trim();
    if (ra === '') continue;
    const dash = ra.indexOf('-');
    if (dash < 0) throw bad(`read range ${JSON.stringify(h)} is invalid (-)`);
    const s = ra.slice(0, dash).trim();
    const e = ra.slice(dash + 1).trim();
    if (s === '') {
      if (e === '' || e.startsWith('-'))
        throw bad(`read range ${JSON.stringify(ra)} is invalid as per RFC 7233 Section 2.1`);
      let n = int(e);
      if (!(n >= 0)) throw bad(`read range ${JSON.stringify(ra)} is invalid (see RFC 7233 Section 2.1)`);
      if (n > size) n = size;
      ranges.push({ start: size - n, end: size - 1 });
      continue;
    }
    const start = int(s);
    if (!(start >= 0)) throw bad(`read range ${JSON.stringify(ra)} is invalid (start)`);
    if (start >= size) {
      noOverlap = true;
      continue;
    }
    let end = size - 1;
    if (e !== '') {
      const n = int(e);
      if (Number.isNaN(n) || start > n) throw bad(`read range ${JSON.stringify(ra)} is invalid (end)`);
      end = Math.min(n, size - 1);
    }
    ranges.push({ start, end });
  }
  if (noOverlap && ranges.length === 0) {
    throw new RangeNotSatisfiable(
      `size=${size}: not satisfiable range${all.length === 1 ? '' : 's'} [${all.join(' ')}]`,
      size,
    );
  }
  if (ranges.length === 0) return undefined;
  if (ranges.length > 1)
    throw new AisHttpError(416, `cannot multi-range read ${cname} - operation not supported`, 'ErrUnsupp');
  return ranges[0];
}

export async function propHeaders(
  t: TargetNode,
  bucket: string,
  name: string,
  st: Stats,
  computeCksum: boolean,
): Promise<Record<string, string>> {
  const md5 = await t.store.checksum(t.store.objPath(bucket, name), st, computeCksum);
  return {
    ...(md5 ? { 'Ais-Checksum-Type': 'md5', 'Ais-Checksum-Value': md5 } : { 'Ais-Checksum-Type': 'none' }),
    'Ais-Atime': String(BigInt(Math.round(st.atimeMs)) * 1_000_000n),
    'Ais-Version': '1',
    'Ais-Present': 'true',
    'Ais-Mirror-Copies': '1',
    'Ais-Mirror-Paths': `[${t.store.root}]`,
    // Go writes header values as raw bytes: the UTF-8 of the name, which node only sends given as latin1
    'Ais-Name': Buffer.from(name, 'utf8').toString('latin1'),
    'Ais-Location': `t[${t.id}]:mp[${t.store.root}]`,
    'Ais-Bucket-Name': bucket,
    'Ais-Bucket-Provider': 'ais',
    'Last-Modified': st.mtime.toUTCString(),
    ETag: `"${md5 ?? `${st.size}-${Math.round(st.mtimeMs)}`}"`,
  };
}

/** Objects up to this size are read into one buffer and sent with res.end(buf) instead of streamed. */
export const SMALL_OBJECT = 64 * 1024;

export async function getObject(
  ctx: ClusterContext,
  t: TargetNode,
  req: IncomingMessage,
  res: ServerResponse,
  bucket: string,
  name: string,
): Promise<void> {
  // a small object replaced (atomic rename) between stat and read is re-stat'ed: a couple of tries, then streamed
  for (let attempt = 0; ; attempt++) {
    const st = await t.store.stat(bucket, name);
    if (!st) throw objNotFound(t.id, bucket, name);
    let range;
    try {
      range = parseRange(req.headers.range, st.size, `ais://${bucket}/${name}`);
    } catch (e) {
      if (e instanceof RangeNotSatisfiable) res.setHeader('Content-Range', `bytes */${e.size}`);
      throw e;
    }
    const len = range ? range.end - range.start + 1 : st.size;
    const small = req.method !== 'HEAD' && len <= SMALL_OBJECT && attempt < 3;
    let buf: Buffer | undefined;
    if (small) {
      buf = len === 0 ? Buffer.alloc(0) : await t.store.readSmall(bucket, name, range ? range.start : 0, len);
      if (!buf) continue;
    }
    const headers = await propHeaders(t, bucket, name, st, false);
    headers['Content-Type'] = 'application/octet-stream';
    headers['Content-Length'] = String(len);
    headers['Accept-Ranges'] = 'bytes';
    if (range) headers['Content-Range'] = `bytes ${range.start}-${range.end}/${st.size}`;
    res.writeHead(range ? 206 : 200, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    if (buf) {
      res.end(buf);
      return;
    }
    await pipeline(t.store.openRead(bucket, name, range), res).catch(() => res.destroy());
    return;
  }
}

export async function headObject(
  t: TargetNode,
  res: ServerResponse,
  bucket: string,
  name: string,
  query: URLSearchParams,
): Promise<void> {
  const st = await t.store.stat(bucket, name);
  if (!st) {
    // `sln` (silent) asks for a bare 404 without logging; either way the error goes into Ais-Error.
    throw objNotFound(t.id, bucket, name);
  }
  void query;
  res.writeHead(200, { ...(await propHeaders(t, bucket, name, st, true)), 'Content-Length': String(st.size) });
  res.end();
}

/** PUT modes the local cluster does not implement: each would otherwise write the body as the whole object. */
const UNSUPPORTED_PUT: [param: string, what: string][] = [
  ['append_type', 'append (append_type)'],
  ['appendty', 'append (appendty)'],
  ['uploadId', 'multipart upload (uploadId)'],
  ['partNumber', 'multipart upload (partNumber)'],
];

/** Refuses, before reading the body, a PUT that asks for a mode the local cluster does not implement. */
export function refuseUnsupportedPut(query: URLSearchParams): void {
  const hit = UNSUPPORTED_PUT.find(([param]) => query.has(param));
  if (!hit) return;
  throw new AisHttpError(
    501,
    `${hit[1]} is not supported by the local cluster (it would overwrite the object): ` +
      'PUT the whole object instead, or use an AIS cluster for appends and multipart uploads',
    'ErrUnsupp',
  );
}

export async function putObject(
  t: TargetNode,
  req: IncomingMessage,
  res: ServerResponse,
  bucket: string,
  name: string,
): Promise<void> {
  const ac = new AbortController();
  req.once('aborted', () => ac.abort());
  res.once('close', () => {
    if (!res.writableFinished) ac.abort();
  });
  // through a PassThrough: a write that fails (disk full, name conflict) must not destroy the request, so the rest
  // of its body is drained, the client reads the error, and its keep-alive connection stays usable
  const body = new PassThrough();
  req.on('error', (e) => body.destroy(e));
  req.pipe(body);
  try {
    await t.store.put(bucket, name, body, ac.signal);
  } catch (e) {
    req.unpipe(body);
    if (!req.complete) req.resume();
    throw e;
  }
  sendEmpty(res, 200);
}

export async function deleteObject(t: TargetNode, res: ServerResponse, bucket: string, name: string): Promise<void> {
  // AIS (tgtobj.go delObject): 404 with a plain cos.ErrNotFound text, no node prefix and no tcode
  if (!(await t.store.delete(bucket, name))) throw new AisHttpError(404, `ais://${bucket}/${name} doesn't exist`);
  sendEmpty(res, 200);
}

export function validateObj(bucket: string, name: string): void {
  assertObjName(bucket, name);
}
