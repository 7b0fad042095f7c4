// What the bucket-name box says as the user types: the rule the text breaks, in words about that text, before AIS's
// own generic message; and a name that exists already, before Enter (not as a 409 afterwards).
import { bucketNameError } from '../engine/ais/names';
import type { Check } from './prompts';

export function checkBucketName(value: string, existing: readonly string[], cluster: string): Check {
  const v = value.trim();
  const scheme = /^([a-z0-9]+):\/\/(.*)$/i.exec(v);
  if (scheme)
    return {
      error: `Omit ${scheme[1]}:// — type just the name${scheme[2] ? ` (${scheme[2].replace(/\/.*$/, '')})` : ''}`,
    };
  if (v.includes('/'))
    return { error: 'A bucket name has no "/": objects go inside the bucket, with "/" in their names' };
  if (/\s/.test(v)) return { error: 'No spaces: use "-", "_" or "."' };
  if (v.includes('..')) return { error: 'No ".." in a bucket name' };
  const ais = bucketNameError(v);
  if (ais) return { error: ais.charAt(0).toUpperCase() + ais.slice(1) };
  if (existing.includes(v)) return { error: `Bucket ${v} already exists on ${cluster}` };
  return undefined;
}
