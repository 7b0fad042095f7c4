// Identifiers shaped like AIS's: node IDs are 8 letters, xaction IDs are short random strings.
import { randomBytes } from 'node:crypto';

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const SHORTID = LETTERS + '0123456789';

function randomFrom(alphabet: string, n: number): string {
  const bytes = randomBytes(n);
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[bytes[i] % alphabet.length];
  return out;
}

/** 8 letters, like AIS target/proxy IDs (e.g. "KkVpVrAa"). */
export function newNodeId(): string {
  return randomFrom(LETTERS, 8);
}

/** An xaction ID; AIS uses shortids (letters, digits; may contain - and _ — we avoid them for readability). */
export function newXactId(): string {
  return randomFrom(SHORTID, 10);
}

/** Secret in AIS_TARGET_URL: 10 random letters per ETL instance. */
export function newEtlSecret(): string {
  return randomFrom(LETTERS, 10);
}
