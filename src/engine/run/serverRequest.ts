// The request a target sends a server ETL for one object, per AIS version and comm type (etl-api.md §7.2):
// 4.0+ passes the object's path (etl_fqn) with an empty body; 3.x sends the bytes.
import { etlFqnParam, pullPath, pushPath, withQuery } from '../local/workers/paths';
import type { ServerCommand } from './serverCommand';
import type { LocalRunRequest } from './types';

export interface ServerRequest {
  method: 'PUT' | 'POST' | 'GET';
  path: string;
  headers: Record<string, string>;
  bodyFile?: string;
}

/** True for AIS 4.0 and later (default 5.0). */
export function passesFqn(aisVersion: string | undefined): boolean {
  const major = Number(/^(\d+)/.exec(aisVersion ?? '5.0')?.[1] ?? 5);
  return major >= 4;
}

export function splitObjectName(objectName: string | undefined): { bucket: string; obj: string } {
  const name = objectName ?? 'local/object';
  const at = name.indexOf('/');
  return at > 0 ? { bucket: name.slice(0, at), obj: name.slice(at + 1) } : { bucket: 'local', obj: name };
}

export interface RequestFacts {
  cmd: ServerCommand;
  req: LocalRunRequest;
  inputFile: string;
  size: number;
}

export function buildRequest(o: RequestFacts): ServerRequest {
  const { bucket, obj } = splitObjectName(o.req.objectName);
  const fqn = passesFqn(o.req.aisVersion) ? o.inputFile : undefined;
  const etlFqn = etlFqnParam(fqn); // path-escaped, then query-encoded, as aisnode sends it
  if (o.cmd.commType === 'hpull://') {
    const q = { etl_fqn: etlFqn, etl_args: o.req.etlArgs };
    return { method: 'GET', path: withQuery(pullPath(bucket, obj), q), headers: {} };
  }
  const path = withQuery(pushPath(bucket, obj), { etl_fqn: etlFqn, etl_args: o.req.etlArgs });
  const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
  if (fqn) return { method: 'PUT', path, headers: { ...headers, 'content-length': '0' } };
  return { method: 'PUT', path, headers: { ...headers, 'content-length': String(o.size) }, bodyFile: o.inputFile };
}
