// How buckets and objects are named on the wire: URL paths, provider query, "unames" for copy destinations.
import type { Bck } from './types';

const SCHEME_TO_PROVIDER: Record<string, string> = {
  ais: 'ais',
  s3: 'aws',
  aws: 'aws',
  gs: 'gcp',
  gcp: 'gcp',
  az: 'azure',
  azure: 'azure',
  oc: 'oci',
  oci: 'oci',
  ht: 'ht',
};

/** "ais://b", "s3://b" or plain "b" (= ais). A trailing "/" is ignored. */
export function parseBucket(bucket: string): Bck {
  const m = /^([a-z0-9]+):\/\/(.*)$/i.exec(bucket);
  const name = (m ? m[2] : bucket).replace(/\/+$/, '');
  const provider = m ? (SCHEME_TO_PROVIDER[m[1].toLowerCase()] ?? m[1].toLowerCase()) : 'ais';
  return { name, provider };
}

/** Each path segment of an object name is escaped; slashes stay, so "a/b c" → "a/b%20c". */
export function objectPath(bucket: Bck, objName: string): string {
  return `/v1/objects/${encodeURIComponent(bucket.name)}/${objName.split('/').map(encodeURIComponent).join('/')}`;
}

export function bucketPath(bucket: Bck): string {
  return `/v1/buckets/${encodeURIComponent(bucket.name)}`;
}

/** AIS "uname" of a bucket (with trailing "/") or object in the global namespace: "ais/@#/dst/obj". */
export function uname(bucket: Bck, objName?: string): string {
  const ns = bucket.namespace ? `@${bucket.namespace.uuid}#${bucket.namespace.name}` : '@#';
  return `${bucket.provider}/${ns}/${bucket.name}/${objName ?? ''}`;
}

export function etlPath(name: string, ...rest: string[]): string {
  return ['/v1/etl', encodeURIComponent(name), ...rest.map(encodeURIComponent)].join('/');
}
