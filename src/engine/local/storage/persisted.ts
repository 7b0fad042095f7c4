// Saved name index of a bucket root: <target>/.aisetl-tmp-index-<bucket>, next to the bucket folder (not inside it,
// so writing it does not change the folder's mtime), named with the reserved temp prefix (no bucket or object name
// can start with it). Format: one JSON header line, then the sorted keys joined by NUL. The header's CRC-32 of the
// body lets a start trust the keys without checking their order one by one, so they stay packed until listed.
// Two ways to trust it at start-up (recoverIndex):
// - exact: written at clean stop with the folder's inode, link count, mtime and ctime (nanoseconds), and the folder
//   still has exactly these. Any create/delete/rename in the folder, by us or by anyone while the cluster was down,
//   changes mtime/ctime, so a stale file fails the check and the folder is read as before;
// - after a crash: journals (indexJournal.ts) exist, the snapshot's generation starts an unbroken chain of them, and
//   snapshot + journals give the names; the caller re-reads the folder in the background to catch the last few
//   milliseconds a crash may have cut from the journal, and anything changed behind the cluster's back.
// A truncated or corrupt file, or a broken chain, means a fresh read of the folder.
import { promises as fsp, type BigIntStats } from 'node:fs';
import * as zlib from 'node:zlib';
import { basename, dirname, join } from 'node:path';
import { writeAtomic } from './atomic';
import { listJournals, readJournal, removeJournals } from './indexJournal';
import { TEMP_PREFIX } from './names';
import { SortedKeys } from './sortedKeys';

const INDEX_FILE_VERSION = 3; // 1 = no generation (read as generation 0); 2 = no CRC
/** zlib.crc32 (Node 20.15+); without it, files are written without a CRC and read key by key. */
const crc32 = (zlib as { crc32?: (data: Buffer) => number }).crc32;

/** For tests and benchmarks: index files loaded / present but rejected (stale, corrupt) / crash recoveries. */
export const persistStats = { loaded: 0, rejected: 0, recovered: 0 };

export function indexFileFor(dir: string): string {
  return join(dirname(dir), `${TEMP_PREFIX}index-${basename(dir)}`);
}

interface IndexHeader {
  v: number;
  gen?: number;
  ino: string;
  nlink: string;
  mtimeNs: string;
  ctimeNs: string;
  count: number;
  bytes: number;
  crc?: number;
}
export type Stamp = { ino: string; nlink: string; mtimeNs: string; ctimeNs: string };
export const stamp = (st: BigIntStats): Stamp => ({
  ino: String(st.ino),
  nlink: String(st.nlink),
  mtimeNs: String(st.mtimeNs),
  ctimeNs: String(st.ctimeNs),
});
export const sameStamp = (a: Stamp, b: Stamp) =>
  a.ino === b.ino && a.nlink === b.nlink && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;

interface Snapshot {
  keys: SortedKeys;
  gen: number;
  header: IndexHeader;
}

/** The snapshot of `dir` when its file is present and intact (not checked against the folder); undefined otherwise. */
async function readSnapshot(dir: string): Promise<Snapshot | undefined> {
  const file = indexFileFor(dir);
  let buf: Buffer;
  try {
    buf = await fsp.readFile(file);
  } catch {
    return undefined;
  }
  const bad = () => {
    persistStats.rejected++;
    fsp.unlink(file).catch(() => undefined);
    return undefined;
  };
  try {
    const nl = buf.indexOf(10);
    if (nl < 0 || nl > 4096) return bad();
    const h = JSON.parse(buf.subarray(0, nl).toString('utf8')) as IndexHeader;
    const known = h.v === 1 || h.v === 2 || h.v === INDEX_FILE_VERSION;
    if (!known || typeof h.count !== 'number' || buf.length !== nl + 1 + h.bytes) return bad();
    const gen = h.v === 1 ? 0 : Number(h.gen);
    if (!Number.isInteger(gen) || gen < 0) return bad();
    const keys = keysOf(buf.subarray(nl + 1), h);
    return keys ? { keys, gen, header: h } : bad();
  } catch {
    return bad();
  }
}

/** The keys of a body: left packed when its CRC matches, checked one by one when the file has no CRC. */
function keysOf(body: Buffer, h: IndexHeader): SortedKeys | undefined {
  if (typeof h.crc !== 'number' || !crc32) return checkedKeys(body, h.count);
  return crc32(body) === h.crc ? SortedKeys.fromPacked(body, h.count) : undefined;
}

/** Keys of a body without a CRC, each checked: non-empty, not reserved, strictly increasing. */
function checkedKeys(body: Buffer, count: number): SortedKeys | undefined {
  if (count === 0) return body.length === 0 ? SortedKeys.fromSorted([]) : undefined;
  const keys = body.toString('utf8').split('\0');
  if (keys.length !== count) return undefined;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (k === '' || k.startsWith(TEMP_PREFIX) || (i > 0 && keys[i - 1] >= k)) return undefined;
  }
  return SortedKeys.fromSorted(keys);
}

export interface Recovered {
  keys: SortedKeys;
  /** Generation of the snapshot the keys came from (exact), or the next free one (after a crash). */
  gen: number;
  /** true: clean-stop snapshot of an unchanged folder; false: rebuilt after a crash (reconcile in the background). */
  exact: boolean;
}

/** The saved names of bucket root `dir`, exact or rebuilt after a crash; undefined = read the folder. */
export async function recoverIndex(dir: string): Promise<Recovered | undefined> {
  const journals = await listJournals(dir);
  const snap = await readSnapshot(dir);
  if (journals.length === 0) {
    if (!snap) return undefined;
    let st: BigIntStats;
    try {
      st = await fsp.stat(dir, { bigint: true });
    } catch {
      return undefined;
    }
    if (!st.isDirectory() || !sameStamp(stamp(st), snap.header)) {
      persistStats.rejected++;
      await fsp.unlink(indexFileFor(dir)).catch(() => undefined);
      return undefined;
    }
    persistStats.loaded++;
    return { keys: snap.keys, gen: snap.gen, exact: true };
  }
  const chain = snap ? journals.filter((j) => j.gen >= snap.gen) : [];
  const unbroken =
    snap !== undefined &&
    chain.length > 0 &&
    chain[0].gen === snap.gen &&
    chain.every((j, i) => j.gen === snap.gen + i);
  const nextGen = journals[journals.length - 1].gen + 1;
  if (!unbroken) {
    await removeJournals(dir);
    if (snap) {
      persistStats.rejected++;
      await fsp.unlink(indexFileFor(dir)).catch(() => undefined);
    }
    return undefined;
  }
  const keys = snap.keys;
  try {
    for (const j of chain) {
      for (const op of await readJournal(j.file)) {
        if (op.add) keys.add(op.key);
        else keys.delete(op.key);
      }
    }
  } catch {
    return undefined;
  } // a journal vanished or cannot be read: read the folder
  persistStats.recovered++;
  return { keys, gen: nextGen, exact: false };
}

const NO_STAMP: Stamp = { ino: '0', nlink: '0', mtimeNs: '0', ctimeNs: '0' };

/**
 * Writes `keys` as snapshot `gen` of `dir` (temp + rename). With `st` (the folder's stats at clean stop) the snapshot
 * is exact for that folder state and fsynced; without, it is only the base of journal `gen`: its stamp never
 * matches a folder, so a later start trusts it only through the journal chain.
 */
export async function writeSnapshot(dir: string, keys: string[], gen: number, st?: BigIntStats): Promise<void> {
  const body = Buffer.from(keys.join('\0'), 'utf8');
  const h: IndexHeader = {
    v: INDEX_FILE_VERSION,
    gen,
    ...(st ? stamp(st) : NO_STAMP),
    count: keys.length,
    bytes: body.length,
    ...(crc32 && { crc: crc32(body) }),
  };
  await writeAtomic(
    indexFileFor(dir),
    Buffer.concat([Buffer.from(JSON.stringify(h) + '\n'), body]),
    undefined,
    st !== undefined,
  );
}
