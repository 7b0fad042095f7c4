// Commands are invoked from tree menus (with a TreeNode), from `ais:` editors (with a Uri) and from tests (with plain
// objects). These pure functions turn any of those into the same shape, or undefined when something is missing.
import { parseAisUri } from '../editors/aisUri';

export interface ObjectTarget { cluster?: string; bucket: string; object: string }
export interface BucketTarget { cluster?: string; bucket: string }
export interface EtlTarget { cluster?: string; etl: string; target?: string }

type Loose = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const clusterOf = (o: Loose): string | undefined => str(o.cluster) ?? str(o.clusterId);

function asUriParts(a: unknown): { cluster: string; bucket: string; object: string } | undefined {
  if (typeof a === 'string' && a.startsWith('ais://')) {
    const u = new URL(a);
    return parseAisUri(decodeURIComponent(u.hostname), decodeURIComponent(u.pathname));
  }
  const o = a as Loose | undefined;
  if (o && o.scheme === 'ais' && typeof o.path === 'string' && typeof o.authority === 'string') return parseAisUri(o.authority, o.path);
  return undefined;
}

export function objectTarget(a: unknown): ObjectTarget | undefined {
  const fromUri = asUriParts(a);
  if (fromUri) return fromUri.object ? fromUri : undefined;
  if (!a || typeof a !== 'object') return undefined;
  const o = a as Loose;
  const bucket = str(o.bucket);
  const object = str(o.object) ?? str(o.objName);
  return bucket && object ? { cluster: clusterOf(o), bucket, object } : undefined;
}

export function bucketTarget(a: unknown): BucketTarget | undefined {
  const fromUri = asUriParts(a);
  if (fromUri) return fromUri.bucket ? { cluster: fromUri.cluster, bucket: fromUri.bucket } : undefined;
  if (typeof a === 'string') return a ? { bucket: a.replace(/^ais:\/\//, '') } : undefined;
  if (!a || typeof a !== 'object') return undefined;
  const o = a as Loose;
  const bucket = str(o.bucket);
  return bucket ? { cluster: clusterOf(o), bucket } : undefined;
}

export function etlTarget(a: unknown): EtlTarget | undefined {
  if (typeof a === 'string') return a ? { etl: a } : undefined;
  if (!a || typeof a !== 'object') return undefined;
  const o = a as Loose;
  const etl = str(o.etl) ?? str(o.etlName);
  return etl ? { cluster: clusterOf(o), etl, target: str(o.target) ?? str(o.targetId) } : undefined;
}

export function clusterTarget(a: unknown): string | undefined {
  if (typeof a === 'string') return a || undefined;
  if (!a || typeof a !== 'object') return undefined;
  return clusterOf(a as Loose);
}

/** "a, b c" → ['a', 'b', 'c']: ETL pipelines typed into an input box. */
export function parsePipeline(text: string | undefined): string[] {
  return (text ?? '').split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
}

/** A name an ETL may have, derived from a file name: `my_md5.py` → `my-md5`. */
export function etlNameFromFile(fileName: string): string {
  const base = fileName.replace(/\\/g, '/').split('/').pop() ?? 'etl';
  const stem = base.replace(/\.(py|ya?ml|json)$/i, '');
  const name = stem.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 32);
  return /^[a-z]/.test(name) ? name : `etl-${name || 'x'}`;
}
