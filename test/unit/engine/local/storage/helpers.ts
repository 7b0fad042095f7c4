// Shared by the storage tests: temp target folders, a target store over one, and listing a folder through the walk.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropIndexesUnder, walkObjects } from '../../../../../src/engine/local/storage/listing';
import { TargetStore } from '../../../../../src/engine/local/storage/target-store';

/**
 * A temp folder removed after the test, its in-memory name indexes dropped first. `settleMs` waits before removing,
 * for a background snapshot write that may still be finishing.
 */
export function tempRoot(t: { after(fn: () => void | Promise<void>): void }, prefix: string, settleMs = 0): string {
  const d = mkdtempSync(join(tmpdir(), `aisetl-${prefix}-`));
  t.after(async () => {
    dropIndexesUnder(d);
    if (settleMs > 0) await new Promise((r) => setTimeout(r, settleMs));
    rmSync(d, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 }); // a late write: ENOTEMPTY
  });
  return d;
}

/** A target store over `root` with bucket "b" indexed (loaded or read). */
export async function openStore(root: string): Promise<TargetStore> {
  const s = new TargetStore('t1', root);
  await s.createBucketDir('b');
  await s.indexed.get('b');
  return s;
}

/** Every object name under `dir`, as the folder walk yields them. */
export async function listAll(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of walkObjects(dir)) out.push(e.name);
  return out;
}
