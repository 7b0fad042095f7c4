// A target's HTTP server: object data path, inline ETL, the worker-facing object endpoint, daemon info.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AisHttpError, badRequest, writeAisError } from '../errors';
import type { EtlManager } from '../etl/manager';
import { etlObjectEndpoint, inlineGet, transformCopy, type EtlObjectHooks } from '../etl/inline';
import type { ClusterContext, TargetNode } from './context';
import { nodeStatus, smap, snode } from './daemon-info';
import { decodePath, parseUrl, sendEmpty, sendJson, sendText } from './http-util';
import {
  assertBucket,
  deleteObject,
  getObject,
  headObject,
  putObject,
  refuseUnsupportedPut,
  validateObj,
} from './target-objects';

export function targetHandler(ctx: ClusterContext, t: TargetNode, etls: EtlManager, hooks: EtlObjectHooks) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    handle(ctx, t, etls, hooks, req, res).catch((e) => writeAisError(req, res, e, `t[${t.id}]`));
  };
}

async function handle(
  ctx: ClusterContext,
  t: TargetNode,
  etls: EtlManager,
  hooks: EtlObjectHooks,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { parts, query } = parseUrl(req);
  if (parts[0] !== 'v1') throw badRequest(`invalid URL path "${req.url}": expecting /v1/...`);
  switch (parts[1]) {
    case 'health':
      return sendEmpty(res, 200);
    case 'daemon': {
      const what = query.get('what');
      if (what === 'smap') return sendJson(res, 200, smap(ctx));
      if (what === 'node_status' || what === 'node_stats' || what === 'status')
        return sendJson(res, 200, nodeStatus(ctx, t.id));
      if (what === 'snode') return sendJson(res, 200, snode(t.id, 'target', t.host, t.port, t.idDigest));
      if (what === 'software_version' && ctx.ais.version !== '3.29') return sendText(res, 200, ctx.ais.reported);
      throw badRequest(`invalid '${parts.join('/')}' request: unrecognized 'what=${what}' query`);
    }
    case 'objects': {
      const bucket = decodePath(parts[2] ?? '');
      const name = decodePath(parts.slice(3).join('/'));
      assertBucket(ctx, bucket);
      validateObj(bucket, name);
      switch (req.method) {
        case 'GET':
          if (query.get('etl_name')) return inlineGet({ ctx, etls, t, req, res, bucket, objName: name, query });
          return getObject(ctx, t, req, res, bucket, name);
        case 'HEAD':
          return headObject(t, res, bucket, name, query);
        case 'PUT':
          if (query.get('object_to')) return transformCopy({ ctx, etls, t, req, res, bucket, objName: name, query });
          refuseUnsupportedPut(query);
          return putObject(t, req, res, bucket, name);
        case 'DELETE':
          return deleteObject(t, res, bucket, name);
      }
      throw new AisHttpError(405, `${req.method} is not allowed on /v1/objects`);
    }
    case 'etl':
      if (parts[2] === '_object') return etlObjectEndpoint(ctx, etls, t, req, res, parts, query, hooks);
      break;
  }
  throw badRequest(
    `invalid URL path "${parts.join('/')}" for a target; send cluster requests to the gateway ${ctx.proxyUrl}`,
  );
}
