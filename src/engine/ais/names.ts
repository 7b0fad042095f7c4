// AIS's bucket-name rule with AIS's own texts (cmn/bck.go Bck.ValidateName + cmn/cos/uuid.go CheckAlphaPlus), for
// callers that want to say "no" before the cluster does: prompts in the editor and the local cluster's gateway.

export const MAX_BUCKET_NAME_LENGTH = 64; // cos.MaxNameLength
const ONLY_PLUS = 'may only contain letters, numbers, dashes (-), underscores (_), and dots (.)';

/** AIS's message for an invalid bucket name, or undefined when AIS accepts it. */
export function bucketNameError(name: string): string | undefined {
  if (name === '') return 'bucket name is missing';
  // Go's len() counts UTF-8 bytes
  const len = Buffer.byteLength(name, 'utf8');
  if (name[0] === '.') return `reserved bucket name ${JSON.stringify(name)} (unknown system bucket)`;
  if (len > MAX_BUCKET_NAME_LENGTH) return `bucket name is too long: ${len} > ${MAX_BUCKET_NAME_LENGTH}(max length)`;
  if (!/^[A-Za-z0-9_.-]+$/.test(name) || name.includes('..')) return `bucket name is invalid: ${ONLY_PLUS}`;
  return undefined;
}
