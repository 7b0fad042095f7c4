// Name rules. Bucket names follow AIS (cmn/bck.go ValidateName). Object names are stricter than AIS because each
// name becomes a file path under the data folder: anything that could escape it, alias another name, or collide
// with our temp files is rejected with a 400 before touching the disk.
import { badRequest } from '../errors';

export const MAX_BUCKET_NAME = 64;
export const MAX_OBJ_NAME_BYTES = 1024; // AIS's practical limit; Linux PATH_MAX is 4096 for the whole path
export const MAX_SEGMENT_BYTES = 255; // NAME_MAX on ext4/xfs/apfs
/** Temp files live next to their object while being written; no object path segment may look like one. */
export const TEMP_PREFIX = '.aisetl-tmp-';

export function bucketNameError(name: string): string | undefined {
  if (name === '') return 'bucket name is empty';
  if (name.length > MAX_BUCKET_NAME) return `bucket name "${name}" is too long (max ${MAX_BUCKET_NAME} characters)`;
  if (!/^[A-Za-z0-9_.-]+$/.test(name))
    return `bucket name "${name}" is invalid: may only contain letters, numbers, dashes (-), underscores (_), and dots (.)`;
  if (name.includes('..')) return `bucket name "${name}" is invalid: may not contain ".."`;
  if (name.startsWith('.')) return `bucket name "${name}" is invalid: may not start with "." (reserved)`;
  return undefined;
}

export function assertBucketName(name: string): void {
  const err = bucketNameError(name);
  if (err) throw badRequest(err, 'ErrInvalidBucketName');
}

export function objNameError(name: string): string | undefined {
  if (name === '') return 'object name is empty';
  if (Buffer.byteLength(name, 'utf8') > MAX_OBJ_NAME_BYTES)
    return `object name is too long (max ${MAX_OBJ_NAME_BYTES} bytes)`;
  if (name.includes('\0')) return 'object name contains a NUL character';
  if (name.includes('\\')) return 'object name contains a backslash (use "/" to separate virtual directories)';
  if (name.startsWith('/')) return 'object name must not start with "/"';
  if (name.endsWith('/')) return 'object name must not end with "/"';
  if (/[\uD800-\uDFFF]/.test(name.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, '')))
    return 'object name contains an unpaired UTF-16 surrogate';
  for (const seg of name.split('/')) {
    if (seg === '') return 'object name contains an empty path segment ("//")';
    if (seg === '.' || seg === '..') return `object name contains a "${seg}" path segment`;
    if (Buffer.byteLength(seg, 'utf8') > MAX_SEGMENT_BYTES)
      return `object name has a path segment longer than ${MAX_SEGMENT_BYTES} bytes`;
    if (seg.startsWith(TEMP_PREFIX))
      return `object name has a path segment starting with "${TEMP_PREFIX}" (reserved for in-progress writes)`;
  }
  return undefined;
}

export function assertObjName(bucket: string, name: string): void {
  const err = objNameError(name);
  if (err) throw badRequest(`invalid object name "ais://${bucket}/${name.replace(/\0/g, '\\0')}": ${err}`);
}
