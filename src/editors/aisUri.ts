// `ais://<cluster>/<bucket>/<object…>` — the cluster id is the authority so one window can browse several clusters.

export interface AisLocation {
  cluster: string;
  bucket: string;
  object: string;
}

export function parseAisUri(authority: string, path: string): AisLocation {
  const p = path.replace(/^\/+/, '');
  const slash = p.indexOf('/');
  return slash < 0
    ? { cluster: authority, bucket: p, object: '' }
    : { cluster: authority, bucket: p.slice(0, slash), object: p.slice(slash + 1) };
}

/** Components for `vscode.Uri.from(...)`. */
export function aisUriComponents(loc: AisLocation): { scheme: 'ais'; authority: string; path: string } {
  const path = loc.object ? `/${loc.bucket}/${loc.object}` : loc.bucket ? `/${loc.bucket}` : '/';
  return { scheme: 'ais', authority: loc.cluster, path };
}
