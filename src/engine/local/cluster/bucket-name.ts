// Bucket-name validation as AIS answers it: a 400 without a tcode. The rule itself is the engine's (ais/names.ts);
// storage/names.ts applies the same character rules again before touching the disk.
import { bucketNameError } from '../../ais/names';
import { badRequest } from '../errors';

/** AIS's message for an invalid bucket name, or undefined when AIS accepts it. */
export const aisBucketNameError = bucketNameError;

export function assertAisBucketName(name: string): void {
  const err = aisBucketNameError(name);
  if (err) throw badRequest(err);
}
