// Objects: head, get (streamed, ranges, inline ETL), put (streams; redirect resolved before the body), delete,
// and the single-object transform-copy.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { AisError, type ErrorContext } from './errors';
import { objectPath, parseBucket, uname } from './paths';
import type { SendRequest, Transport } from './transport';
import type { CallOptions, EtlRef, GetObjectOptions, ObjectStream, ObjProps, PutBody, PutObjectOptions } from './types';

/** etl_name / etl_args / etl_pipeline query; "a>>b" in the name is the same as pipeline ["b"]. */
export function etlQuery(etl: EtlRef | undefined): Record<string, string | undefined> {
  if (!etl) return {};
  const [first, ...rest] = etl.name
    .split('>>')
    .map((s) => s.trim())
    .filter(Boolean);
  const pipeline = [...rest, ...(etl.pipeline ?? [])];
  return { etl_name: first, etl_args: etl.args, etl_pipeline: pipeline.length ? pipeline.join(',') : undefined };
}

function objCtx(call: string, bucket: string, name: string, etl?: EtlRef): ErrorContext {
  return { call, bucket, object: name, ...(etl ? { etl: etl.name } : {}) };
}

export async function headObject(t: Transport, bucket: string, name: string, o?: CallOptions): Promise<ObjProps> {
  const b = parseBucket(bucket);
  const h = await t.empty({
    method: 'HEAD',
    path: objectPath(b, name),
    query: { provider: b.provider },
    ctx: objCtx(`read properties of ${bucket}/${name}`, bucket, name),
    opts: o,
  });
  return propsFromHeaders(h);
}

export function propsFromHeaders(h: Record<string, string>): ObjProps {
  const p: ObjProps = { size: Number(h['content-length'] ?? h['ais-size'] ?? 0) || 0, headers: h };
  if (h['ais-checksum-type']) p.checksumType = h['ais-checksum-type'];
  if (h['ais-checksum-value']) p.checksumValue = h['ais-checksum-value'];
  if (h['ais-atime']) p.atime = h['ais-atime'];
  if (h['ais-version']) p.version = h['ais-version'];
  if (h['ais-present'] !== undefined) p.present = h['ais-present'] === 'true';
  if (h['ais-custom-md']) p.customMd = parseCustomMd(h['ais-custom-md']);
  return p;
}

/** "k1=v1,k2=v2" (cos.StrKVs joined by ",") */
function parseCustomMd(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of s.split(',')) {
    const i = kv.indexOf('=');
    if (i > 0) out[kv.slice(0, i).trim()] = kv.slice(i + 1).trim();
  }
  return out;
}

export async function getObject(
  t: Transport,
  bucket: string,
  name: string,
  o: GetObjectOptions = {},
): Promise<ObjectStream> {
  const b = parseBucket(bucket);
  const headers: Record<string, string> = {};
  if (o.range) headers.range = `bytes=${o.range.start}-${o.range.end ?? ''}`;
  const what = o.etl ? `transform ${bucket}/${name} with ${o.etl.name}` : `read ${bucket}/${name}`;
  const res = await t.stream({
    method: 'GET',
    path: objectPath(b, name),
    query: { provider: b.provider, ...etlQuery(o.etl) },
    headers,
    ctx: objCtx(what, bucket, name, o.etl),
    opts: o,
  });
  const len = res.headers['content-length'];
  return {
    body: res.stream,
    status: res.status,
    headers: res.headers,
    ...(len !== undefined && len !== '' ? { size: Number(len) } : {}),
  };
}

export async function deleteObject(t: Transport, bucket: string, name: string, o?: CallOptions): Promise<void> {
  const b = parseBucket(bucket);
  await t.empty({
    method: 'DELETE',
    path: objectPath(b, name),
    query: { provider: b.provider },
    ctx: objCtx(`delete ${bucket}/${name}`, bucket, name),
    opts: o,
  });
}

/**
 * PUT an object. Buffers and strings are simply re-sent on a redirect. Streams and files are large and a stream
 * cannot be replayed, so we first ask the proxy where the object goes (PUT without body, redirects not followed)
 * and then send the body straight to that target. A server that answers the probe itself (no redirect) gets the
 * body in a second PUT to the same URL.
 */
export async function putObject(
  t: Transport,
  bucket: string,
  name: string,
  body: PutBody,
  o: PutObjectOptions = {},
): Promise<void> {
  const b = parseBucket(bucket);
  const base: SendRequest = {
    method: 'PUT',
    path: objectPath(b, name),
    query: { provider: b.provider },
    ctx: objCtx(`upload ${bucket}/${name}`, bucket, name),
    opts: o,
  };
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    await t.empty({ ...base, body });
    return;
  }
  const source = await bodySource(body, base, t, o.size);
  const target = await resolvePutTarget(t, base);
  await t.empty({ ...base, path: target, query: undefined, body: source.body, headers: source.headers });
}

async function bodySource(
  body: Readable | { file: string },
  base: SendRequest,
  t: Transport,
  size?: number,
): Promise<{ body: Readable | (() => Readable); headers: Record<string, string> }> {
  if (body instanceof Readable) return { body, headers: size !== undefined ? { 'content-length': String(size) } : {} };
  const st = await stat(body.file).catch((e: NodeJS.ErrnoException) => {
    throw new AisError({
      method: 'PUT',
      url: t.url(base.path),
      call: base.ctx.call,
      code: e.code,
      aisMessage: `cannot read ${body.file}: ${e.message}`,
      hint: 'check that the file exists and is readable',
    });
  });
  return { body: () => createReadStream(body.file), headers: { 'content-length': String(st.size) } };
}

/** The URL the object's body must go to: the proxy's 307 Location, or the original URL if it does not redirect. */
async function resolvePutTarget(t: Transport, base: SendRequest): Promise<string> {
  const res = await t.send({ ...base, headers: { 'content-length': '0' }, redirects: 'manual' });
  try {
    await t.throwIfError(res, base);
    await res.body.dump();
    const location = res.headers.location;
    return res.status >= 300 && res.status < 400 && location ? new URL(location, res.url).toString() : res.url;
  } catch (e) {
    throw t.mapError(e, res.scope, base, res.url);
  } finally {
    res.scope.dispose();
  }
}

/** PUT …?object_to=<dst uname>&etl_name=…: the cluster transforms one object into another bucket (sync). */
export async function transformObjectTo(
  t: Transport,
  bucket: string,
  name: string,
  dstBucket: string,
  dstName: string,
  etl: EtlRef,
  o?: CallOptions,
): Promise<void> {
  const b = parseBucket(bucket);
  await t.empty({
    method: 'PUT',
    path: objectPath(b, name),
    query: { provider: b.provider, object_to: uname(parseBucket(dstBucket), dstName), ...etlQuery(etl) },
    ctx: objCtx(`transform ${bucket}/${name} into ${dstBucket}/${dstName}`, bucket, name, etl),
    opts: o,
  });
}
