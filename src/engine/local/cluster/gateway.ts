// The gateway (AIS proxy): cluster info, buckets, object redirects to the HRW owner, the ETL API, and jobs.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AisHttpError, badRequest, bucketNotFound, conflict, notFound, writeAisError } from '../errors';
import type { EtlManager } from '../etl/manager';
import { etlDebugRequest } from '../etl/debug';
import type { JobManager } from '../jobs/manager';
import type { JobSpec } from '../jobs/job';
import { assertBucketName, assertObjName } from '../storage/names';
import { ownerOf, targetById, type ClusterContext } from './context';
import { nodeStatus, smap, snode } from './daemon-info';
import {
  decodePath,
  parseUrl,
  prop,
  readBody,
  readJson,
  sendEmpty,
  sendJson,
  sendText,
  type ParsedUrl,
} from './http-util';
import { encodeJson, encodeMsgpack, listPage } from './list-objects';
import { parseUname } from '../etl/inline';
import { assertAisBucketName } from './bucket-name';

export interface GatewayDeps {
  etls: EtlManager;
  jobs: JobManager;
  createBucket(name: string): Promise<void>;
  destroyBucket(name: string): Promise<void>;
}

export function gatewayHandler(ctx: ClusterContext, deps: GatewayDeps) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    handle(ctx, deps, req, res).catch((e) => writeAisError(req, res, e, `p[${ctx.proxyId}]`));
  };
}

/** One request as every handler below sees it: the cluster, its managers, the request and its parsed URL. */
interface GatewayCall extends ParsedUrl {
  ctx: ClusterContext;
  deps: GatewayDeps;
  req: IncomingMessage;
  res: ServerResponse;
}

async function handle(
  ctx: ClusterContext,
  deps: GatewayDeps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const call: GatewayCall = { ctx, deps, req, res, ...parseUrl(req) };
  const { parts, rawPath } = call;
  if (parts[0] !== 'v1') throw badRequest(`invalid URL path "${rawPath}": expecting /v1/...`);
  switch (parts[1]) {
    case 'health':
      return sendEmpty(res, 200);
    case 'daemon':
      return daemon(call);
    case 'reverse':
      return daemon(call, String(req.headers['ais-node-id'] ?? ''));
    case 'cluster':
      return cluster(call);
    case 'buckets':
      return buckets(call);
    case 'objects':
      return redirectObject(call);
    case 'etl':
      return etl(call);
  }
  throw badRequest(`invalid URL path "${rawPath}": unknown API "${parts[1]}"`);
}

function daemon({ ctx, req, res, query }: GatewayCall, nodeId = ''): void {
  const what = query.get('what');
  if (nodeId && nodeId !== ctx.proxyId && !targetById(ctx, nodeId))
    throw notFound(`node "${nodeId}" does not exist in the cluster map`);
  switch (what) {
    case 'smap':
      return sendJson(res, 200, smap(ctx));
    case 'node_status':
    case 'node_stats':
    case 'status':
      return sendJson(res, 200, nodeStatus(ctx, nodeId || ctx.proxyId));
    case 'snode':
      return sendJson(res, 200, snode(ctx.proxyId, 'proxy', ctx.host, ctx.port, 0));
    case 'software_version':
      if (ctx.ais.version !== '3.29') return sendText(res, 200, ctx.ais.reported);
      break; // 5.0+
    case 'bmd':
      return sendJson(res, 200, bmdJson(ctx));
  }
  throw badRequest(`invalid '${req.url?.split('?')[0]}' request: unrecognized 'what=${what}' query`);
}

function bmdJson(ctx: ClusterContext): Record<string, unknown> {
  const ais: Record<string, unknown> = {};
  for (const name of ctx.bmd.names())
    ais[name] = { provider: 'ais', created: String(BigInt(ctx.bmd.get(name)!.created) * 1_000_000n) };
  return { providers: { ais: { '': ais } }, version: String(ctx.bmd.version), uuid: `aisetl-${ctx.proxyId}` };
}

async function cluster(call: GatewayCall): Promise<void> {
  const { ctx, req, res, query } = call;
  if (req.method === 'PUT') return clusterAction(call);
  const what = query.get('what');
  if (what === 'smap') return sendJson(res, 200, smap(ctx));
  if (what === 'bmd') return sendJson(res, 200, bmdJson(ctx));
  if (what === 'status' || what === 'qryxstats' || what === 'status_all' || what === 'running_all')
    return jobsQuery(call, what);
  if (what === 'node_stats')
    return sendJson(res, 200, {
      proxy: nodeStatus(ctx, ctx.proxyId),
      target: Object.fromEntries(ctx.targets.map((t) => [t.id, nodeStatus(ctx, t.id)])),
    });
  throw badRequest(`invalid '/v1/cluster' request: unrecognized 'what=${what}' query`);
}

/** PUT /v1/cluster: the only supported action is aborting jobs by ID and/or kind. */
async function clusterAction({ deps, req, res }: GatewayCall): Promise<void> {
  const msg = await readJson(req);
  const action = prop(msg, 'action');
  if (action === 'stop' || action === 'stop-xaction') {
    const v = prop(msg, 'value');
    const id = String(prop(v, 'ID') ?? prop(v, 'id') ?? '') || undefined;
    const kind = String(prop(v, 'Kind') ?? prop(v, 'kind') ?? '') || undefined;
    if (!id && !kind)
      throw badRequest('stop: specify the job ID and/or kind in "value": {"ID": "...", "Kind": "etl-bck"}');
    deps.jobs.abort(id, kind);
    return sendEmpty(res, 200);
  }
  throw badRequest(
    `invalid cluster action ${JSON.stringify(action)}: the local cluster supports only "stop" (abort a job)`,
  );
}

/** GET /v1/cluster?what=status|qryxstats|status_all|running_all: job status in the shape each query expects. */
async function jobsQuery(
  { ctx, deps, req, res }: GatewayCall,
  what: 'status' | 'qryxstats' | 'status_all' | 'running_all',
): Promise<void> {
  const q = await readJson(req);
  const id = String(prop(q, 'id') ?? '') || undefined;
  const kind = String(prop(q, 'kind') ?? '') || undefined;
  const showActive = prop(q, 'show_active') === true;
  if (what === 'status') {
    if (!id) throw badRequest('what=status requires a JSON body {"id": "<job id>", "kind": "etl-bck"}');
    const j = deps.jobs.get(id);
    return sendJson(res, 200, j.status());
  }
  const jobs = deps.jobs.query({ id, kind, onlyRunning: showActive || what === 'running_all' });
  if (what === 'status_all')
    return sendJson(
      res,
      200,
      jobs.map((j) => j.status()),
    );
  if (what === 'running_all')
    return sendJson(
      res,
      200,
      jobs.map((j) => `${j.spec.kind}[${j.id}]`),
    );
  if (id && jobs.length === 0) throw notFound(`p[${ctx.proxyId}]: job "${id}" not found`);
  const snaps: Record<string, unknown[]> = {};
  for (const t of ctx.targets) snaps[t.id] = jobs.map((j) => j.snap(t.id));
  return sendJson(res, 200, snaps);
}

function assertProvider(query: URLSearchParams): void {
  const p = query.get('provider');
  if (p && p !== 'ais') throw badRequest(`provider "${p}" is not available in the local cluster (only ais:// buckets)`);
}

async function buckets(call: GatewayCall): Promise<void> {
  const { ctx, req, res, parts, query } = call;
  const name = decodePath(parts[2] ?? '');
  if (parts.length > 3 && parts[3] !== '')
    throw badRequest(`invalid URL path "/${parts.join('/')}": expecting /v1/buckets/<bucket>`);
  if (name === '') return listBuckets(call);
  assertProvider(query);
  assertAisBucketName(name);
  assertBucketName(name);
  switch (req.method) {
    case 'HEAD':
      return headBucket(ctx, res, name);
    case 'GET':
      return listObjects(call, name);
    case 'DELETE':
      return deleteBucket(call, name);
    case 'POST':
      return bucketAction(call, name);
  }
  throw new AisHttpError(405, `${req.method} is not allowed on /v1/buckets/${name}`);
}

/** GET /v1/buckets: every ais:// bucket (none when another provider is asked for). */
async function listBuckets({ ctx, req, res, query }: GatewayCall): Promise<void> {
  if (req.method !== 'GET') throw new AisHttpError(405, `${req.method} /v1/buckets requires a bucket name`);
  await readBody(req);
  const prov = query.get('provider');
  const list =
    prov && prov !== 'ais'
      ? []
      : ctx.bmd.names().map((n) => ({ name: n, provider: 'ais', namespace: { uuid: '', name: '' } }));
  return sendJson(res, 200, list);
}

/** HEAD /v1/buckets/<bucket>: bucket properties in headers. */
function headBucket(ctx: ClusterContext, res: ServerResponse, name: string): void {
  if (!ctx.bmd.has(name)) throw bucketNotFound(name);
  // `created` is a string of Unix nanoseconds, as AIS marshals it (json:",string"): the Go CLI cannot decode a number
  const created = String(BigInt(ctx.bmd.get(name)!.created) * 1_000_000n);
  const props = { provider: 'ais', versioning: { enabled: false }, checksum: { type: 'md5' }, created };
  res.writeHead(200, {
    'Ais-Bucket-Props': JSON.stringify(props),
    'Ais-Provider': 'ais',
    'Ais-Versioning-Enabled': 'false',
    'Content-Length': 0,
  });
  res.end();
}

/** GET /v1/buckets/<bucket>: one page of the object listing, in msgpack when the client accepts it. */
async function listObjects({ ctx, req, res }: GatewayCall, name: string): Promise<void> {
  const msg = await readJson(req);
  const action = prop(msg, 'action');
  if (action !== undefined && action !== 'list')
    throw badRequest(`invalid action ${JSON.stringify(action)} for GET /v1/buckets/${name}: expecting "list"`);
  if (!ctx.bmd.has(name)) throw bucketNotFound(name);
  const page = await listPage(ctx, name, prop(msg, 'value') ?? {});
  const msgpack = String(req.headers.accept ?? '').includes('application/msgpack');
  const body = msgpack ? encodeMsgpack(page) : encodeJson(page);
  res.writeHead(200, {
    'Content-Type': msgpack ? 'application/msgpack' : 'application/json',
    'Content-Length': body.length,
  });
  res.end(body);
}

/** DELETE /v1/buckets/<bucket>: destroy the bucket and its objects. */
async function deleteBucket({ ctx, deps, req, res }: GatewayCall, name: string): Promise<void> {
  const msg = await readJson(req);
  const action = prop(msg, 'action') ?? 'destroy-bck';
  if (action !== 'destroy-bck')
    throw badRequest(
      `invalid action ${JSON.stringify(action)} for DELETE /v1/buckets/${name}: expecting "destroy-bck"`,
    );
  if (!ctx.bmd.has(name)) throw bucketNotFound(name);
  await deps.destroyBucket(name);
  return sendEmpty(res, 200);
}

/** POST /v1/buckets/<bucket>: create the bucket, or start an offline ETL job from it. */
async function bucketAction({ ctx, deps, req, res, query }: GatewayCall, name: string): Promise<void> {
  const msg = await readJson(req);
  const action = prop(msg, 'action');
  if (action === 'create-bck') {
    // same error name as AIS's cmn.ErrBucketAlreadyExists
    if (ctx.bmd.has(name)) throw conflict(`bucket "ais://${name}" already exists`, 'ErrBucketAlreadyExists');
    await deps.createBucket(name);
    return sendEmpty(res, 200);
  }
  if (action === 'etl-bck' || action === 'etl-listrange') {
    const id = await deps.jobs.start(jobSpec(action, name, prop(msg, 'value'), query));
    return sendText(res, 200, id);
  }
  throw badRequest(
    `invalid action ${JSON.stringify(action)} for POST /v1/buckets/${name}: ` +
      'the local cluster supports create-bck, etl-bck and etl-listrange',
  );
}

function bucketFromUname(u: string): string {
  const s = u.replace(/\/$/, '');
  const { bucket } = parseUname(s.includes('/') ? s + '/x' : `ais/@#/${s}/x`);
  return bucket;
}

function jobSpec(kind: 'etl-bck' | 'etl-listrange', src: string, v: unknown, query: URLSearchParams): JobSpec {
  if (typeof v !== 'object' || v === null) throw badRequest(`${kind}: missing "value" with the ETL name in "id"`);
  const dst = jobDestination(kind, v, query);
  const etlName = String(prop(v, 'id') ?? prop(v, 'name') ?? '');
  if (!etlName) throw badRequest(`${kind}: missing the ETL name ("id") in the request`);
  const pipeline = prop(v, 'pipeline');
  const ext = prop(v, 'ext');
  const objnames = prop(v, 'objnames');
  const nw = numWorkers(v);
  assertJobLists(pipeline, objnames, ext);
  const prepend = String(prop(v, 'prepend') ?? '');
  if (prepend) assertObjName(dst, prepend + 'x');
  return {
    kind,
    src,
    dst,
    etlName,
    pipeline: (pipeline as string[] | undefined) ?? [],
    args: typeof prop(v, 'etl_args') === 'string' ? (prop(v, 'etl_args') as string) : undefined,
    prefix: String(prop(v, 'prefix') ?? '').replace(/\*$/, ''),
    prepend,
    ext: (ext as Record<string, string> | undefined) ?? {},
    dryRun: prop(v, 'dry_run') === true,
    coer: prop(v, 'coer') === true,
    numWorkers: nw,
    objnames: objnames as string[] | undefined,
    template:
      typeof prop(v, 'template') === 'string' && prop(v, 'template') !== ''
        ? (prop(v, 'template') as string)
        : undefined,
  };
}

/** The job's destination bucket: from the "bck_to" query (etl-bck) or the "tobck" field (etl-listrange). */
function jobDestination(kind: 'etl-bck' | 'etl-listrange', v: object, query: URLSearchParams): string {
  let dst: string;
  if (kind === 'etl-bck') {
    const to = query.get('bck_to');
    if (!to)
      throw badRequest('etl-bck: missing the destination bucket in the "bck_to" query parameter (e.g. "ais/@#/dst/")');
    dst = bucketFromUname(to);
  } else {
    const tobck = prop(v, 'tobck');
    dst = String(prop(tobck, 'name') ?? '');
    if (!dst) throw badRequest('etl-listrange: missing destination bucket "tobck": {"name": "...", "provider": "ais"}');
  }
  assertAisBucketName(dst);
  assertBucketName(dst);
  return dst;
}

function numWorkers(v: object): number {
  const nw = Number(prop(v, 'num-workers') ?? 0);
  if (!Number.isInteger(nw) || nw < -1 || nw > 1000)
    throw badRequest(
      `invalid num-workers ${JSON.stringify(prop(v, 'num-workers'))}: expecting -1 (serial), 0 (auto) or 1..1000`,
    );
  return nw;
}

/** Rejects "pipeline", "objnames" and "ext" values of the wrong shape (each may be absent). */
function assertJobLists(pipeline: unknown, objnames: unknown, ext: unknown): void {
  if (
    pipeline !== undefined &&
    pipeline !== null &&
    (!Array.isArray(pipeline) || pipeline.some((p) => typeof p !== 'string'))
  )
    throw badRequest('"pipeline" must be a list of ETL names');
  if (
    objnames !== undefined &&
    objnames !== null &&
    (!Array.isArray(objnames) || objnames.some((p) => typeof p !== 'string'))
  )
    throw badRequest('"objnames" must be a list of object names');
  if (ext !== undefined && ext !== null && (typeof ext !== 'object' || Array.isArray(ext)))
    throw badRequest('"ext" must be a map like {"jpg": "png"}');
}

/**
 * AIS's cmn.ParseURL for `/v1/objects/<bucket>/<object>` (split into at most 4 items, empty items dropped): fewer
 * than 4 → 400 `URL 'v1/objects/x' is too short: expected 4 items, got 3`. A client that sends `/v1/objects/B/../x`
 * has its path normalised to `/v1/objects/x` before it leaves (URL rules), and gets exactly that.
 */
export function checkObjectUrl(rawPath: string): void {
  let path = rawPath.replace(/^\/+/, '');
  try {
    path = decodeURIComponent(path);
  } catch {
    /* decodePath reports malformed escapes */
  }
  const split: string[] = [];
  let rest = path;
  while (split.length < 3) {
    const i = rest.indexOf('/');
    if (i < 0) break;
    split.push(rest.slice(0, i));
    rest = rest.slice(i + 1);
  }
  split.push(rest);
  const n = split.filter((x) => x !== '').length;
  if (n < 4) throw badRequest(`URL '${path}' is too short: expected 4 items, got ${n}`);
}

async function redirectObject({ ctx, deps, req, res, parts, query, rawPath, rawQuery }: GatewayCall): Promise<void> {
  checkObjectUrl(rawPath);
  const bucket = decodePath(parts[2] ?? '');
  const name = decodePath(parts.slice(3).join('/'));
  assertProvider(query);
  assertAisBucketName(bucket);
  assertBucketName(bucket);
  if (!ctx.bmd.has(bucket)) throw bucketNotFound(bucket);
  assertObjName(bucket, name);
  if (req.method === 'PUT' && query.get('object_to') && query.get('etl_name')) {
    const etlName = query.get('etl_name')!;
    deps.etls.assertName(etlName);
    if (!deps.etls.runningEtl(etlName)) throw badRequest(`etl job ${etlName} does not exist or is not running`);
  }
  if (!['GET', 'HEAD', 'PUT', 'DELETE'].includes(req.method ?? ''))
    throw new AisHttpError(405, `${req.method} is not allowed on /v1/objects`);
  const t = ownerOf(ctx, bucket, name);
  const sep = rawQuery ? '&' : '';
  const location = `${t.url}${rawPath}?${rawQuery}${sep}pid=${ctx.proxyId}`;
  // AIS: GET → 301 (clients may cache the target), PUT/HEAD/DELETE → 307 (method and body preserved)
  res.writeHead(req.method === 'GET' ? 301 : 307, { Location: location, 'Content-Length': 0 });
  res.end();
  if (req.method === 'PUT') req.resume(); // discard a body sent without Expect: 100-continue
}

async function etl({ ctx, deps, req, res, parts, query }: GatewayCall): Promise<void> {
  const { etls, jobs } = deps;
  const name = parts[2] ? decodePath(parts[2]) : '';
  const sub = parts[3] ?? '';
  if (!name) {
    if (req.method === 'PUT') return sendText(res, 200, await etls.init(await readBody(req)));
    if (req.method === 'GET') return sendJson(res, 200, etls.list());
    throw new AisHttpError(405, `${req.method} /v1/etl is not allowed; use PUT (init) or GET (list)`);
  }
  if (req.method === 'GET') {
    if (sub === '') {
      // Clients of ≥3.30 (the 5.0 CLI, the SDK, our engine) always send `uuid` (maybe empty) and read
      // {init_msg, obj_errors}; the 3.29 CLI sends none and reads the bare init message.
      const uuid = query.get('uuid');
      const details = etls.details(name, uuid ? jobs.errors(uuid) : undefined);
      // 3.29 always answers the bare init message, whatever the client sends
      return sendJson(res, 200, query.has('uuid') && ctx.ais.version !== '3.29' ? details : details.init_msg);
    }
    if (sub === 'logs') return sendJson(res, 200, etls.logs(name, parts[4] ? decodePath(parts[4]) : undefined));
    if (sub === 'health') return sendJson(res, 200, etls.health(name));
    if (sub === 'metrics') return sendJson(res, 200, etls.metrics(name));
    throw badRequest(`invalid URL path "/${parts.join('/')}": unknown ETL request "${sub}"`);
  }
  if (req.method === 'POST' && (sub === 'stop' || sub === 'start')) {
    if (sub === 'stop') {
      await etls.stop(name);
      return sendEmpty(res, 200);
    }
    return sendText(res, 200, await etls.start(name));
  }
  if (req.method === 'POST' && sub === 'debug') {
    return sendJson(res, 200, await etlDebugRequest(ctx, etls, name, await readJson(req))); // aisetl only, not AIS API
  }
  if (req.method === 'DELETE' && sub === '') {
    etls.entry(name);
    await etls.remove(name);
    return sendEmpty(res, 200);
  }
  throw new AisHttpError(405, `${req.method} /${parts.join('/')} is not supported`);
}
