// How objects are named on the wire between a target and its ETL worker (etl-api.md §7.2).

/** Go's url.PathEscape: UTF-8 bytes %XX-escaped except unreserved `A-Za-z0-9-_.~` and `$&+:=@` (`/;,?` escaped). */
export function pathEscape(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%(24|26|2B|3A|3D|40)/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * The `etl_fqn` query value aisnode 5.0 sends (ext/etl/communicator.go): `url.PathEscape(lom.FQN)`, which the query
 * encoding then escapes again. A server decodes the query and unquotes once more (the SDK's sanitize_fqn).
 */
export function etlFqnParam(fqn: string | undefined): string | undefined {
  return fqn === undefined ? undefined : pathEscape(fqn);
}

/** hpull path: `/<PathEscape("ais/@#/<bck>/<obj>")>`. */
export function pullPath(bucket: string, objName: string): string {
  return '/' + pathEscape(`ais/@#/${bucket}/${objName}`);
}

/** hpush path: `/<bck>/<obj>` with each segment escaped. */
export function pushPath(bucket: string, objName: string): string {
  return '/' + [bucket, ...objName.split('/')].map(pathEscape).join('/');
}

export function withQuery(path: string, q: Record<string, string | undefined>): string {
  const parts = Object.entries(q)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(v as string)}`);
  return parts.length ? `${path}?${parts.join('&')}` : path;
}

/**
 * `Ais-Node-Url` for a direct put to the target at `targetUrl` (ais/tgtobj.go): its URL + the escaped uname, and for
 * a job its id and owner-write type (3 = OwtTransform), which the receiving target counts the object under.
 */
export function directPutUrl(targetUrl: string, bucket: string, objName: string, q: Record<string, string>): string {
  return withQuery(targetUrl + pullPath(bucket, objName), q);
}
