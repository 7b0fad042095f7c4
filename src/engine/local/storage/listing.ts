// Lazy, name-ordered listing of one target's bucket folder. Directories are visited in the order their names sort
// as object-name prefixes (a directory "a" sorts as "a/", so "a-c" < "a/b" exactly like the flat object names), and
// subtrees entirely before the continuation token or outside the prefix are skipped without being read. Within a
// folder, a page starts at the token by binary search, not by scanning the names before it.
//
// Name index: a folder's sorted names are kept in memory (SortedKeys) for every bucket root and every folder with at
// least INDEX_MIN_ENTRIES entries, and kept up to date by the store's own writes and deletes (noteObjectAdded /
// noteObjectRemoved), so the folder is read from disk once per cluster run, not once per page. Bucket roots are
// indexed in the background when the cluster starts (warmIndex), so a user who opens a million-object bucket a few
// seconds later finds its names ready. A build that races writes records them in a journal and replays it on the
// fresh snapshot (adds and deletes are idempotent), so nothing written during the build is lost or resurrected.
// The index is the truth for indexed folders: files copied into the data folder behind the cluster's back show up
// after a restart (or when the index is evicted), as they would in AIS after a rescan.
import { promises as fsp, type BigIntStats } from 'node:fs';
import { join } from 'node:path';
import { IndexJournal, journalFileFor, listJournals, removeJournals, type JournalOp } from './indexJournal';
import { TEMP_PREFIX } from './names';
import { indexFileFor, recoverIndex, sameStamp, stamp, writeSnapshot, type Recovered } from './persisted';
import { SortedKeys } from './sortedKeys';

export interface WalkEntry {
  name: string;
  isDir: boolean;
  fullPath: string;
}

const INDEX_MIN_ENTRIES = 2000;
const INDEX_MAX_TOTAL = 4_000_000; // names held over all indexed folders (~40 bytes each); LRU beyond that

interface DirIndex {
  keys?: SortedKeys;
  building?: Promise<SortedKeys>;
  pinned: boolean;
  /** writes made while the index is being built (replayed on the fresh snapshot) */
  journal?: JournalOp[];
  /** writes made while a crash-recovered index is being checked against the folder (reconcile) */
  rescan?: JournalOp[];
  /** pinned roots: the on-disk journal of every change (crash recovery) */
  log?: IndexJournal;
  rotation?: Promise<void>;
}
const indexes = new Map<string, DirIndex>();
let totalKeys = 0;

const norm = (dir: string) => (dir.length > 1 && dir.endsWith('/') ? dir.slice(0, -1) : dir);

/**
 * The folder's entries as sorted keys (folders as "name/"), without temp files; empty when it does not exist.
 * A folder whose link count says it has no subfolders (nlink 2 on ext4/xfs/tmpfs) is read as bare names: no Dirent
 * object per entry, a third of the memory for a million-name folder. `sawDirOp` tells whether a subfolder may have
 * appeared or vanished during the read (then the typed read is repeated).
 */
async function readKeys(dir: string, sawDirOp: () => boolean): Promise<string[]> {
  try {
    const before = await fsp.stat(dir);
    if (before.nlink === 2) {
      let names: string[] = await fsp.readdir(dir);
      const after = await fsp.stat(dir);
      if (after.nlink === 2 && after.ino === before.ino && !sawDirOp()) {
        const keys = names.filter((n) => !n.startsWith(TEMP_PREFIX));
        names = [];
        keys.sort(); // libuv returns them in byte order: nearly sorted already, so this is quick
        return keys;
      }
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw e;
  }
  let dirents;
  try {
    dirents = await fsp.readdir(dir, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw e;
  }
  const keys: string[] = [];
  for (let i = 0; i < dirents.length; i++) {
    const d = dirents[i];
    if (d.name.startsWith(TEMP_PREFIX)) continue;
    if (d.isDirectory()) keys.push(`${d.name}/`);
    else if (d.isFile()) keys.push(d.name);
  }
  dirents = undefined; // let the Dirent objects go before sorting
  keys.sort(); // plain string order, as `<` compares: much faster than a comparator
  return keys;
}

function build(dir: string, pinned: boolean): Promise<SortedKeys> {
  const ix: DirIndex = { journal: [], pinned };
  indexes.set(dir, ix); // from here on, writes to this folder are journaled
  ix.building = (async () => {
    let keys: SortedKeys;
    let rec: Recovered | undefined;
    try {
      rec = pinned ? await recoverIndex(dir) : undefined;
      keys =
        rec?.keys ?? SortedKeys.fromSorted(await readKeys(dir, () => ix.journal!.some((op) => op.key.endsWith('/'))));
    } catch (e) {
      if (indexes.get(dir) === ix) indexes.delete(dir);
      throw e;
    }
    const pending = ix.journal!;
    for (const op of pending) {
      if (op.add) keys.add(op.key);
      else keys.delete(op.key);
    }
    ix.journal = undefined;
    ix.building = undefined;
    if (indexes.get(dir) !== ix) return keys; // dropped meanwhile (bucket destroyed, cluster stopped)
    if (!ix.pinned && keys.size < INDEX_MIN_ENTRIES) {
      indexes.delete(dir);
      return keys;
    } // small: re-read each time
    ix.keys = keys;
    totalKeys += keys.size;
    evict(dir);
    if (ix.pinned) {
      startJournal(dir, ix, keys, rec, pending);
      if (rec && !rec.exact) setTimeout(() => void reconcile(dir, ix), RECONCILE_DELAY_MS).unref();
    }
    return keys;
  })();
  return ix.building;
}

function evict(keep: string): void {
  for (const [dir, ix] of indexes) {
    if (totalKeys <= INDEX_MAX_TOTAL) return;
    if (dir === keep || !ix.keys) continue;
    totalKeys -= ix.keys.size;
    indexes.delete(dir);
    if (ix.log) {
      // no longer journaled: a crash must not replay a journal with a hole
      ix.log.close();
      void removeJournals(dir)
        .then(() => fsp.unlink(indexFileFor(dir)))
        .catch(() => undefined);
    }
  }
}

async function readSorted(path: string): Promise<SortedKeys> {
  const dir = norm(path);
  const ix = indexes.get(dir);
  if (!ix) return build(dir, false);
  indexes.delete(dir);
  indexes.set(dir, ix); // most recently used last
  return ix.keys ?? ix.building!;
}

function apply(dir: string, key: string, add: boolean, sync = false): void {
  const ix = indexes.get(dir);
  if (!ix) return;
  if (ix.journal) {
    ix.journal.push({ add, key });
    return;
  }
  const keys = ix.keys!;
  if (add ? keys.add(key) : keys.delete(key)) totalKeys += add ? 1 : -1;
  ix.rescan?.push({ add, key });
  if (ix.log) {
    ix.log.append(add, key);
    if (sync) ix.log.flush(); // a client's write is in the journal before it is acknowledged
    if (ix.log.entries >= ROTATE_AFTER && !ix.rotation) void rotate(dir, ix, keys);
  }
}

/** Reads a folder into the index now and keeps it there (bucket roots, at start-up and on create). */
export function warmIndex(dir: string): Promise<number> {
  const d = norm(dir);
  const ix = indexes.get(d);
  if (ix) {
    ix.pinned = true;
    return (ix.keys ? Promise.resolve(ix.keys) : ix.building!).then((k) => k.size);
  }
  return build(d, true).then((k) => k.size);
}

/**
 * The store wrote object `name` under `bucketDir`: add it (and any new virtual folders) to the indexed folders.
 * `sync`: write the crash journal now (a client's PUT, acknowledged next), not within the next 20 ms.
 */
export function noteObjectAdded(bucketDir: string, name: string, sync = false): void {
  if (indexes.size === 0) return;
  const segs = name.split('/');
  let dir = norm(bucketDir);
  for (let i = 0; i < segs.length; i++) {
    const last = i === segs.length - 1;
    apply(dir, last ? segs[i] : `${segs[i]}/`, true, sync);
    if (!last) dir = `${dir}/${segs[i]}`;
  }
}

/** The store deleted object `name` and removed its `prunedDirs` innermost (now empty) virtual folders. */
export function noteObjectRemoved(bucketDir: string, name: string, prunedDirs: number): void {
  if (indexes.size === 0) return;
  const segs = name.split('/');
  const dirOf = (n: number) => [norm(bucketDir), ...segs.slice(0, n)].join('/'); // folder holding segs[n]
  apply(dirOf(segs.length - 1), segs[segs.length - 1], false, true);
  for (let k = 1; k <= prunedDirs; k++) {
    const i = segs.length - 1 - k; // segs[i] is a folder that was removed
    dropIndexesUnder(dirOf(i + 1));
    apply(dirOf(i), `${segs[i]}/`, false, true);
  }
}

/** Forgets the indexes of `dir` and everything below it (bucket destroyed, cluster stopped). */
export function dropIndexesUnder(dir: string): void {
  const d = norm(dir);
  for (const [k, ix] of indexes) {
    if (k === d || k.startsWith(`${d}/`)) {
      if (ix.keys) totalKeys -= ix.keys.size;
      ix.log?.close();
      indexes.delete(k);
    }
  }
}

// Persistence of bucket roots' indexes (persisted.ts: snapshots; indexJournal.ts: crash journal). While a pinned
// root is indexed, every change is also appended to its journal; a crash is recovered from snapshot + journals.
export { indexFileFor, persistStats } from './persisted';
const ROTATE_AFTER = 50_000; // journal records before a fresh snapshot starts a new generation
const RECONCILE_DELAY_MS = 3000; // let the first listings after a crash restart go first

/** Opens the journal of a freshly built pinned index; a rebuilt (not exact) index also gets a new snapshot. */
function startJournal(
  dir: string,
  ix: DirIndex,
  keys: SortedKeys,
  rec: Recovered | undefined,
  pending: JournalOp[],
): void {
  if (rec) {
    // exact: continue journal `gen` of the snapshot; after a crash: a new generation on the unchanged chain (the
    // snapshot is rewritten by the background re-read, not now: the first listings after a restart come first)
    try {
      ix.log = IndexJournal.open(dir, rec.gen, indexFileFor(dir));
    } catch {
      return;
    }
    for (const op of pending) ix.log.append(op.add, op.key); // writes that raced the load are not in the snapshot
    return;
  }
  void rotate(dir, ix, keys);
}

/**
 * Starts generation `gen` (default: one past every journal on disk): a new journal from now on, and a snapshot of
 * the names as they are now. Older journals are removed once the snapshot is on disk.
 */
function rotate(dir: string, ix: DirIndex, keys: SortedKeys, gen?: number): Promise<void> {
  ix.rotation ??= rotateNow(dir, ix, keys, gen).finally(() => {
    ix.rotation = undefined;
  });
  return ix.rotation;
}

async function rotateNow(dir: string, ix: DirIndex, keys: SortedKeys, gen?: number): Promise<void> {
  try {
    const next = gen ?? Math.max(ix.log?.gen ?? 0, ...(await listJournals(dir)).map((j) => j.gen)) + 1;
    if (indexes.get(dir) !== ix) return;
    const old = ix.log;
    try {
      ix.log = IndexJournal.open(dir, next, indexFileFor(dir));
    } catch {
      ix.log = undefined;
    }
    old?.close();
    if (!ix.log) return;
    const names = keys.toArray(); // now, in the same tick as the journal switch
    if (!(await fsp.stat(dir).catch(() => undefined))) return; // the bucket folder is gone: never recreate its parent
    await writeSnapshot(dir, names, next);
    if (indexes.get(dir) === ix) await removeJournals(dir, next);
    else {
      // dropped meanwhile (bucket destroyed): leave nothing a later bucket of that name could mistake for its own
      ix.log?.close();
      await fsp.unlink(indexFileFor(dir)).catch(() => undefined);
      await fsp.unlink(journalFileFor(dir, next)).catch(() => undefined);
    }
  } catch {
    /* the old chain stays valid; the next rotation or clean stop tries again */
  }
}

/**
 * After a crash the journal may miss its last few milliseconds, and files may have changed behind the cluster's
 * back: read the folder again in the background and adopt what it holds (plus the writes made meanwhile).
 */
async function reconcile(dir: string, ix: DirIndex): Promise<void> {
  ix.rescan = [];
  try {
    const fresh = SortedKeys.fromSorted(await readKeys(dir, () => ix.rescan!.some((op) => op.key.endsWith('/'))));
    for (const op of ix.rescan) {
      if (op.add) fresh.add(op.key);
      else fresh.delete(op.key);
    }
    if (indexes.get(dir) !== ix || !ix.keys) return;
    totalKeys += fresh.size - ix.keys.size;
    ix.keys = fresh;
    await rotate(dir, ix, fresh);
  } catch {
    /* keep the recovered index */
  } finally {
    ix.rescan = undefined;
  }
}

/**
 * Writes the in-memory index of bucket root `dir` to its index file (temp + rename), at clean stop, and removes its
 * journals. Skipped (and any old file removed) when the index is not built or its size does not match the folder's
 * entry count (e.g. files copied in behind the running cluster's back: they must show up after the restart, so the
 * folder is read again). The caller guarantees no writes to the folder meanwhile (servers closed, jobs stopped).
 * Returns the names saved.
 */
export async function persistIndex(dir: string): Promise<number | undefined> {
  const d = norm(dir);
  const file = indexFileFor(d);
  const drop = async () => {
    await fsp.unlink(file).catch(() => undefined);
    await removeJournals(d);
    return undefined;
  };
  const ix = indexes.get(d);
  if (!ix) return drop();
  let keys: SortedKeys;
  try {
    keys = ix.keys ?? (await ix.building!);
  } catch {
    return drop();
  }
  await ix.rotation;
  ix.log?.close();
  let st1: BigIntStats;
  try {
    st1 = await fsp.stat(d, { bigint: true });
  } catch {
    return drop();
  }
  // a change later in the same coarse clock tick as the folder's last change could keep its mtime: let a tick pass
  const wait = Number(st1.mtimeMs) + 20 - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  let n = 0;
  try {
    for (const name of await fsp.readdir(d)) if (!name.startsWith(TEMP_PREFIX)) n++;
  } catch {
    return drop();
  }
  if (n !== keys.size) return drop();
  const st2 = await fsp.stat(d, { bigint: true });
  if (!sameStamp(stamp(st1), stamp(st2))) return drop();
  await writeSnapshot(d, keys.toArray(), ix.log?.gen ?? 0, st2);
  await removeJournals(d);
  return keys.size;
}

/** For tests and benchmarks: how many folders are indexed and how many names they hold. */
export function indexStats(under = ''): { dirs: number; keys: number; building: number } {
  let dirs = 0,
    keys = 0,
    building = 0;
  for (const [k, ix] of indexes) {
    if (under && !(k === norm(under) || k.startsWith(`${norm(under)}/`))) continue;
    if (ix.keys) {
      dirs++;
      keys += ix.keys.size;
    } else building++;
  }
  return { dirs, keys, building };
}

/** Where a folder's scan can start: no key below this bound can pass the prefix and token filters. */
function lowerBound(rel: string, prefix: string, startAfter: string, oneLevel: boolean): string | undefined {
  const local = (s: string) => {
    if (!s.startsWith(rel)) return '';
    const l = s.slice(rel.length);
    const cut = oneLevel ? -1 : l.indexOf('/');
    return cut >= 0 ? l.slice(0, cut + 1) : l; // a deeper name: start at the folder that holds it
  };
  const a = local(prefix),
    b = local(startAfter);
  const lb = a > b ? a : b;
  return lb || undefined;
}

/** All objects (files) under `root`, recursively, in name order, with names > startAfter and starting with prefix. */
export async function* walkObjects(root: string, prefix = '', startAfter = '', rel = ''): AsyncGenerator<WalkEntry> {
  const keys = await readSorted(rel ? join(root, rel) : root);
  for (const key of keys.from(lowerBound(rel, prefix, startAfter, false))) {
    const full = rel + key;
    // past the prefix range
    if (prefix && full > prefix && !full.startsWith(prefix) && !prefix.startsWith(full)) return;
    if (key.endsWith('/')) {
      if (!overlaps(prefix, full)) continue;
      if (startAfter && full < startAfter && !startAfter.startsWith(full)) continue; // whole subtree before the token
      yield* walkObjects(root, prefix, startAfter, full);
    } else {
      if (startAfter && full <= startAfter) continue;
      if (!full.startsWith(prefix)) continue;
      yield { name: full, isDir: false, fullPath: join(root, full) };
    }
  }
}

/** True when names under `dirPrefix` can match `prefix` (one is a prefix of the other). */
const overlaps = (prefix: string, dirPrefix: string) => dirPrefix.startsWith(prefix) || prefix.startsWith(dirPrefix);

/**
 * One level (AIS LsNoRecursion): the objects and virtual directories directly under the directory part of `prefix`.
 * Directory entries are named "<dir>/" and flagged isDir, as AIS does.
 */
export async function* walkOneLevel(root: string, prefix = '', startAfter = ''): AsyncGenerator<WalkEntry> {
  const cut = prefix.lastIndexOf('/');
  const dirRel = cut >= 0 ? prefix.slice(0, cut + 1) : '';
  for (const key of (await readSorted(dirRel ? join(root, dirRel) : root)).from(
    lowerBound(dirRel, prefix, startAfter, true),
  )) {
    const full = dirRel + key;
    if (!full.startsWith(prefix)) {
      if (full > prefix) return;
      continue;
    }
    if (startAfter && full <= startAfter) continue;
    const isDir = key.endsWith('/');
    yield { name: full, isDir, fullPath: join(root, dirRel, isDir ? key.slice(0, -1) : key) };
  }
}

/** k-way merge of name-ordered streams (one per target); equal names (shared virtual dirs) are emitted once. */
export async function* mergeByName(streams: AsyncGenerator<WalkEntry>[]): AsyncGenerator<WalkEntry> {
  const heads: (WalkEntry | undefined)[] = await Promise.all(
    streams.map(async (s) => (await s.next()).value ?? undefined),
  );
  for (;;) {
    let min = -1;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i];
      if (h && (min < 0 || h.name < heads[min]!.name)) min = i;
    }
    if (min < 0) return;
    const out = heads[min]!;
    yield out;
    for (let i = 0; i < heads.length; i++) {
      while (heads[i] && heads[i]!.name === out.name) heads[i] = (await streams[i].next()).value ?? undefined;
    }
  }
}
