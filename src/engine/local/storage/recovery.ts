// Clean-stop marker and crash leftovers. A running cluster keeps <dataDir>/.aisetl-running (its pid); a clean stop
// removes it. Finding it at start means the previous run was killed: then each target's folder is swept of what a
// crash can leave behind — temp files of interrupted writes (atomic.ts: the objects themselves are old-or-new, never
// torn, but the temp files stay), spooled chain outputs, and bucket folders renamed aside for deletion.
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { isOwnTemp } from './atomic';
import { TEMP_PREFIX } from './names';

const MARKER = '.aisetl-running';
/** Index snapshots and journals share the reserved prefix but are not leftovers (listing.ts decides about them). */
const KEPT = [`${TEMP_PREFIX}index-`, `${TEMP_PREFIX}ixlog-`];

/** Marks the data folder as in use; true when the previous run did not stop cleanly. */
export async function beginRun(dataDir: string): Promise<boolean> {
  const file = join(dataDir, MARKER);
  let crashed = false;
  try {
    await fsp.access(file);
    crashed = true;
  } catch {
    /* clean */
  }
  await fsp.writeFile(file, String(process.pid));
  return crashed;
}

/** The cluster stopped cleanly (after its indexes were saved). */
export async function endRun(dataDir: string): Promise<void> {
  await fsp.unlink(join(dataDir, MARKER)).catch(() => undefined);
}

/** Removes crash leftovers under one target's folder; returns how many entries were removed. Never rejects. */
export async function sweepCrashLeftovers(targetRoot: string): Promise<number> {
  let removed = 0;
  let top: string[];
  try {
    top = await fsp.readdir(targetRoot);
  } catch {
    return 0;
  }
  for (const name of top) {
    const p = join(targetRoot, name);
    if (name === '.spool' || name.startsWith('.trash-')) {
      await fsp.rm(p, { recursive: true, force: true }).then(
        () => removed++,
        () => undefined,
      );
    }
  }
  const walk = async (dir: string): Promise<void> => {
    let d;
    try {
      d = await fsp.opendir(dir, { bufferSize: 256 });
    } catch {
      return;
    }
    for await (const e of d) {
      if (e.name.startsWith(TEMP_PREFIX)) {
        if (e.isFile() && !isOwnTemp(e.name) && !KEPT.some((k) => e.name.startsWith(k))) {
          await fsp.unlink(join(dir, e.name)).then(
            () => removed++,
            () => undefined,
          );
        }
      } else if (e.isDirectory()) await walk(join(dir, e.name));
    }
  };
  await walk(targetRoot);
  return removed;
}
