// How objects are named on the wire between a target and its ETL worker (etl-api.md §7.2).

/** Go's url.PathEscape look for the characters that matter here: `/` and `#` escaped, `@` kept. */
export function pathEscape(s: string): string {
  return encodeURIComponent(s).replace(/%40/g, '@');
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
