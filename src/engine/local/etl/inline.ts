// Target side of the ETL data path: inline transform on GET (etl_name/etl_args/etl_pipeline), single-object
// transform-copy (PUT ?object_to=), and the worker-facing object endpoint /v1/etl/_object/<name>/<secret>/<uname>.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { AisHttpError, badRequest, bucketNotFound, notFound } from '../errors';
import { ownerOf, type ClusterContext, type TargetNode } from '../cluster/context';
import { decodePath, sendEmpty } from '../cluster/http-util';
import { assertObjName } from '../storage/names';
import { objNotFound } from '../storage/target-store';
import type { EtlWorker, TransformInput, TransformOutput } from '../worker-contract';
import { directPutUrl } from '../workers/paths';
import type { EtlManager, RunningEtl } from './manager';
import { readErrorBody, runChain } from './chain';

export interface EtlObjectHooks {
  onDirectPut(jobId: string, targetId: string, bytes: number): void;
}

function abortOnClose(req: IncomingMessage, res: ServerResponse, timeoutMs: number): AbortSignal {
  const ac = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) ac.abort(new Error('the client closed the connection'));
  });
  return AbortSignal.any([ac.signal, AbortSignal.timeout(timeoutMs)]);
}

/** The chain of workers for etl_name + etl_pipeline on this target, with AIS's errors. */
export function resolveChain(
  etls: EtlManager,
  targetId: string,
  name: string,
  pipelineCsv: string | null,
): { rts: RunningEtl[]; workers: EtlWorker[] } {
  const names = [
    name,
    ...(pipelineCsv
      ? pipelineCsv
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : []),
  ];
  const rts: RunningEtl[] = [];
  const workers: EtlWorker[] = [];
  names.forEach((n, i) => {
    if (i > 0 && !etls.runningEtl(n)?.workers.get(targetId)) {
      throw new AisHttpError(400, `[t[${targetId}],etl="${n}"] entry not found in the target`, 'ErrETL');
    }
    const { rt, worker } = etls.worker(n, targetId);
    rts.push(rt);
    workers.push(worker);
  });
  return { rts, workers };
}

const cname = (bucket: string, obj: string) => `ais://${bucket}/${obj}`;

/** An object request to a target that names an ETL (inline GET, transform-and-copy PUT), as its handlers see it. */
export interface ObjectEtlCall {
  ctx: ClusterContext;
  etls: EtlManager;
  t: TargetNode;
  req: IncomingMessage;
  res: ServerResponse;
  bucket: string;
  objName: string;
  query: URLSearchParams;
}

export async function inlineGet(o: ObjectEtlCall): Promise<void> {
  const { ctx, etls, t, req, res, bucket, objName, query } = o;
  const etlName = query.get('etl_name') ?? '';
  const pipelineCsv = query.get('etl_pipeline');
  const { rts, workers } = resolveChain(etls, t.id, etlName, pipelineCsv);
  const head = rts[0];
  const st = await t.store.stat(bucket, objName);
  if (!st) throw objNotFound(t.id, bucket, objName);
  const args = query.get('etl_args') ?? undefined;
  const input: TransformInput = { bucket, objName, fqn: t.store.objPath(bucket, objName), size: st.size, args };
  if (head.spec.commType === 'hpull://') {
    if (workers.length > 1) throw badRequest('inline transform pipeline not supported for hpull://');
    head.counters.objCount++;
    head.counters.inBytes += st.size;
    res.writeHead(307, { Location: workers[0].pullUrl(input), 'Content-Length': 0 });
    res.end();
    return;
  }
  const signal = abortOnClose(req, res, Math.max(...rts.map((r) => r.spec.objTimeoutMs)));
  let chain;
  try {
    chain = await runChain(workers, input, join(ctx.dataDir, t.id, '.spool'), signal);
    etls.noteWorkerCall(head, t.id, false);
  } catch (e) {
    const timedOut = signal.aborted && !res.destroyed && (signal.reason as Error)?.name === 'TimeoutError';
    etls.noteWorkerCall(head, t.id, timedOut);
    const msg = timedOut
      ? `ETL error: no answer within obj_timeout (${head.spec.objTimeoutMs / 1000}s)`
      : `ETL error: ${(e as Error).message}`;
    head.inlineErrors.get(t.id)?.add({ obj_name: cname(bucket, objName), msg, ecode: 500 });
    throw new AisHttpError(500, msg, 'ErrETL');
  }
  try {
    await sendTransformed(head, t.id, res, cname(bucket, objName), st.size, chain.out);
  } finally {
    await chain.cleanup();
  }
}

/** Streams the last worker's answer to the client and counts it; a worker error (≥400) becomes AIS's ErrETL. */
async function sendTransformed(
  head: RunningEtl,
  targetId: string,
  res: ServerResponse,
  objUname: string,
  inSize: number,
  out: TransformOutput,
): Promise<void> {
  if (out.status >= 400) {
    const body = await readErrorBody(out);
    const msg = `ETL error: ${body}`;
    head.inlineErrors.get(targetId)?.add({ obj_name: objUname, msg, ecode: out.status });
    throw new AisHttpError(out.status, msg, 'ErrETL');
  }
  head.counters.objCount++;
  head.counters.inBytes += inSize;
  const headers: Record<string, string> = {
    'Content-Type': out.headers['content-type'] ?? 'application/octet-stream',
  };
  if (out.headers['content-length']) headers['Content-Length'] = out.headers['content-length'];
  res.writeHead(out.status === 204 ? 200 : out.status, headers);
  let n = 0;
  out.body.on('data', (c: Buffer) => {
    n += c.length;
  });
  await pipeline(out.body, res).catch(() => res.destroy());
  head.counters.outBytes += n;
}

/** Parses an AIS uname "ais/@#/bucket/obj" (namespace optional) into bucket + object. */
export function parseUname(u: string): { bucket: string; objName: string } {
  let s = u;
  const m = /^(ais|aws|gcp|azure|oci)\//.exec(s);
  if (m && m[1] !== 'ais') throw badRequest(`"${u}": only ais:// buckets exist in the local cluster`);
  if (m) s = s.slice(m[0].length);
  if (s.startsWith('@')) {
    const slash = s.indexOf('/');
    if (slash < 0) throw badRequest(`invalid uname "${u}": expecting "ais/@#/<bucket>/<object>"`);
    s = s.slice(slash + 1);
  }
  const slash = s.indexOf('/');
  if (slash <= 0) throw badRequest(`invalid uname "${u}": expecting "ais/@#/<bucket>/<object>"`);
  return { bucket: s.slice(0, slash), objName: s.slice(slash + 1) };
}

/** PUT /v1/objects/<src>/<obj>?object_to=<uname>&etl_name=… — transform one object and store the result. */
export async function transformCopy(o: ObjectEtlCall): Promise<void> {
  const { ctx, etls, t, req, res, bucket, objName, query } = o;
  const { bucket: dstBucket, objName: dstName } = parseUname(query.get('object_to') ?? '');
  assertObjName(dstBucket, dstName);
  if (!ctx.bmd.has(dstBucket)) throw bucketNotFound(dstBucket);
  const st = await t.store.stat(bucket, objName);
  if (!st) throw objNotFound(t.id, bucket, objName);
  const etlName = query.get('etl_name');
  const dst = ownerOf(ctx, dstBucket, dstName);
  if (!etlName) {
    await dst.store.put(dstBucket, dstName, t.store.openRead(bucket, objName));
    sendEmpty(res, 200);
    return;
  }
  const { rts, workers } = resolveChain(etls, t.id, etlName, query.get('etl_pipeline'));
  // ≥4.0: when another target owns the destination, the container is told to direct-put there (Ais-Node-Url, owt=4
  // = OwtCopy) and answers 204; our workers' AIS_TARGET_URL endpoint on that target stores it
  const direct = ctx.ais.fqnToContainers && workers.length === 1 && dst.id !== t.id;
  const input: TransformInput = {
    bucket,
    objName,
    fqn: t.store.objPath(bucket, objName),
    size: st.size,
    args: query.get('etl_args') ?? undefined,
    nodeUrl: direct ? directPutUrl(dst.url, dstBucket, dstName, { owt: '4' }) : undefined,
  };
  const signal = abortOnClose(req, res, Math.max(...rts.map((r) => r.spec.objTimeoutMs)));
  const chain = await runChain(workers, input, join(ctx.dataDir, t.id, '.spool'), signal).catch((e: Error) => {
    throw new AisHttpError(500, `ETL error: ${e.message}`, 'ErrETL');
  });
  try {
    if (chain.out.status >= 400) {
      const msg = `ETL error: ${await readErrorBody(chain.out)}`;
      rts[0].inlineErrors.get(t.id)?.add({ obj_name: cname(bucket, objName), msg, ecode: chain.out.status });
      throw new AisHttpError(chain.out.status, msg, 'ErrETL');
    }
    if (chain.out.status !== 204) await dst.store.put(dstBucket, dstName, chain.out.body, signal);
    else chain.out.body.resume();
    rts[0].counters.objCount++;
    rts[0].counters.inBytes += st.size;
  } finally {
    await chain.cleanup();
  }
  sendEmpty(res, 200);
}

/** GET|HEAD|PUT /v1/etl/_object/<name>/<secret>/<escaped uname>: what AIS_TARGET_URL points ETL workers at. */
export async function etlObjectEndpoint(
  ctx: ClusterContext,
  etls: EtlManager,
  t: TargetNode,
  req: IncomingMessage,
  res: ServerResponse,
  parts: string[],
  query: URLSearchParams,
  hooks: EtlObjectHooks,
): Promise<void> {
  // parts = ['v1','etl','_object', name, secret, ...uname segments (raw)]
  const name = decodePath(parts[3] ?? '');
  const secret = parts[4] ?? '';
  const rt = etls.runningEtl(name);
  if (!rt || rt.secret !== secret)
    throw notFound(
      `t[${t.id}]: etl job ${name} is not running here or the secret in AIS_TARGET_URL is stale; restart the ETL`,
    );
  const { bucket, objName } = parseUname(decodePath(parts.slice(5).join('/')));
  assertObjName(bucket, objName);
  if (!ctx.bmd.has(bucket)) throw bucketNotFound(bucket);
  const owner = ownerOf(ctx, bucket, objName);
  if (req.method === 'PUT') {
    const r = await owner.store.put(bucket, objName, req);
    const jobId = query.get('uuid');
    if (jobId) hooks.onDirectPut(jobId, owner.id, r.size);
    sendEmpty(res, 200);
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD')
    throw new AisHttpError(
      405,
      `${req.method} is not supported on ${parts.slice(0, 3).join('/')}; use GET, HEAD or PUT`,
    );
  const st = await owner.store.stat(bucket, objName);
  if (!st) throw objNotFound(owner.id, bucket, objName);
  res.writeHead(200, { 'Content-Length': String(st.size), 'Content-Type': 'application/octet-stream' });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await pipeline(owner.store.openRead(bucket, objName), res).catch(() => res.destroy());
}
