// Small formatting helpers shared by views and commands (pure).

export function formatBytes(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n) || n < 0) return '';
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${units[i]}`;
}

export function pluralize(n: number, word: string): string { return `${n} ${word}${n === 1 ? '' : 's'}`; }

/** Comm type and runtime/image of an ETL from its init message, for the tree's description and tooltip. */
export function describeInitMsg(init: Record<string, unknown> | undefined): { commType?: string; runtime?: string } {
  if (!init) return {};
  const commType = typeof init.comm_type === 'string' ? init.comm_type : typeof init.communication === 'string' ? init.communication : undefined;
  const rt = init.runtime;
  let runtime: string | undefined;
  if (typeof rt === 'string') runtime = rt;
  else if (rt && typeof rt === 'object' && typeof (rt as { image?: unknown }).image === 'string') runtime = (rt as { image: string }).image;
  else if (typeof init.image === 'string') runtime = init.image;
  else if (typeof init.spec === 'string') runtime = imageFromPodSpec(init.spec);
  return { commType, runtime };
}

/** The first `image:` of a pod spec that arrives base64-encoded (as []byte) or as plain YAML. */
function imageFromPodSpec(spec: string): string | undefined {
  const text = /^[A-Za-z0-9+/=\s]+$/.test(spec) ? Buffer.from(spec, 'base64').toString('utf8') : spec;
  const m = /^\s*-?\s*image:\s*["']?([^\s"']+)/m.exec(text);
  return m?.[1];
}

/** Age like kubectl (45s, 30m, 5h, 5d) of an ISO time; '' when unknown. */
export function formatAge(iso: string | undefined, now = Date.now()): string {
  const t = iso ? Date.parse(iso) : NaN;
  if (!Number.isFinite(t)) return '';
  const s = Math.max(0, Math.floor((now - t) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 2 * 3600) return `${Math.floor(s / 60)}m`;
  if (s < 2 * 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}
