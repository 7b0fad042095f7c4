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
import { basename, dirname, join } from 'node:path';
import { writeAtomic } from './atomic';
import { TEMP_PREFIX } from './names';
import { SortedKeys } from './sortedKeys';

export interface WalkEntry { name: string; isDir: boolean; fullPath: string }

const INDEX_MIN_ENTRIES = 2000;
const INDEX_MAX_TOTAL = 4_000_000; // names held over all indexed folders (~40 bytes each); LRU beyond that

interface DirIndex { keys?: SortedKeys; building?: Promise<SortedKeys>; journal?: { add: boolean; key: string }[]; pinned: boolean }
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
  try { dirents = await fsp.readdir(dir, { withFileTypes: true }); } catch (e) {
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
    try {
      const saved = pinned ? await loadPersisted(dir) : undefined;
      keys = SortedKeys.fromSorted(saved ?? await readKeys(dir, () => ix.journal!.some((op) => op.key.endsWith('/'))));
    } catch (e) {
      if (indexes.get(dir) === ix) indexes.delete(dir);
      throw e;
    }
    for (const op of ix.journal!) { if (op.add) keys.add(op.key); else keys.delete(op.key); }
    ix.journal = undefined;
    ix.building = undefined;
    if (indexes.get(dir) !== ix) return keys; // dropped meanwhile (bucket destroyed, cluster stopped)
    if (!ix.pinned && keys.size < INDEX_MIN_ENTRIES) { indexes.delete(dir); return keys; } // small: re-read each time
    ix.keys = keys;
    totalKeys += keys.size;
    evict(dir);
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
  }
}

async function readSorted(path: string): Promise<SortedKeys> {
  const dir = norm(path);
  const ix = indexes.get(dir);
  if (!ix) return build(dir, false);
  indexes.delete(dir); indexes.set(dir, ix); // most recently used last
  return ix.keys ?? ix.building!;
}

function apply(dir: string, key: string, add: boolean): void {
  const ix = indexes.get(dir);
  if (!ix) return;
  if (ix.journal) { ix.journal.push({ add, key }); return; }
  const keys = ix.keys!;
  if (add ? keys.add(key) : keys.delete(key)) totalKeys += add ? 1 : -1;
}

/** Reads a folder into the index now and keeps it there (bucket roots, at start-up and on create). */
export function warmIndex(dir: string): Promise<number> {
  const d = norm(dir);
  const ix = indexes.get(d);
  if (ix) { ix.pinned = true; return (ix.keys ? Promise.resolve(ix.keys) : ix.building!).then((k) => k.size); }
  return build(d, true).then((k) => k.size);
}

/** The store wrote object `name` under `bucketDir`: add it (and any new virtual folders) to the indexed folders. */
export function noteObjectAdded(bucketDir: string, name: string): void {
  if (indexes.size === 0) return;
  const segs = name.split('/');
  let dir = norm(bucketDir);
  for (let i = 0; i < segs.length; i++) {
    const last = i === segs.length - 1;
    apply(dir, last ? segs[i] : `${segs[i]}/`, true);
    if (!last) dir = `${dir}/${segs[i]}`;
  }
}

/** The store deleted object `name` and removed its `prunedDirs` innermost (now empty) virtual folders. */
export function noteObjectRemoved(bucketDir: string, name: string, prunedDirs: number): void {
  if (indexes.size === 0) return;
  const segs = name.split('/');
  const dirOf = (n: number) => [norm(bucketDir), ...segs.slice(0, n)].join('/'); // folder holding segs[n]
  apply(dirOf(segs.length - 1), segs[segs.length - 1], false);
  for (let k = 1; k <= prunedDirs; k++) {
    const i = segs.length - 1 - k; // segs[i] is a folder that was removed
    dropIndexesUnder(dirOf(i + 1));
    apply(dirOf(i), `${segs[i]}/`, false);
  }
}

/** Forgets the indexes of `dir` and everything below it (bucket destroyed, cluster stopped). */
export function dropIndexesUnder(dir: string): void {
  const d = norm(dir);
  for (const [k, ix] of indexes) {
    if (k === d || k.startsWith(`${d}/`)) {
      if (ix.keys) totalKeys -= ix.keys.size;
      indexes.delete(k);
    }
  }
}

// Persistent index of a bucket root: <target>/.aisetl-tmp-index-<bucket>, next to the bucket folder (not inside it,
// so writing it does not change the folder's mtime), named with the reserved temp prefix (no bucket or object name
// can start with it). Written at clean stop (persistIndex); loaded at start-up only when the folder's inode, link
// count, mtime and ctime (nanoseconds) are exactly what the file recorded. Any create/delete/rename in the folder,
// by us or by anyone while the cluster was down, changes mtime/ctime, so a stale file (an older clean stop, a crashed
// run) fails the check and the folder is read as before. A truncated or corrupt file is likewise ignored.
// Format: one JSON header line, then the sorted keys joined by NUL (no object name may contain NUL).
const INDEX_FILE_VERSION = 1;
/** For tests and benchmarks: index files loaded / present but rejected (stale, corrupt) since the process started. */
export const persistStats = { loaded: 0, rejected: 0 };
export function indexFileFor(dir: string): string {
  const d = norm(dir);
  return join(dirname(d), `${TEMP_PREFIX}index-${basename(d)}`);
}

interface IndexHeader { v: number; ino: string; nlink: string; mtimeNs: string; ctimeNs: string; count: number; bytes: number }
const stamp = (st: BigIntStats) => ({ ino: String(st.ino), nlink: String(st.nlink), mtimeNs: String(st.mtimeNs), ctimeNs: String(st.ctimeNs) });
const sameStamp = (a: ReturnType<typeof stamp>, b: ReturnType<typeof stamp>) =>
  a.ino === b.ino && a.nlink === b.nlink && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;

/** The saved keys of `dir` when its index file is present, intact and still valid; undefined otherwise. */
export async function loadPersisted(dir: string): Promise<string[] | undefined> {
  const file = indexFileFor(dir);
  let buf: Buffer;
  try { buf = await fsp.readFile(file); } catch { return undefined; }
  const bad = () => { persistStats.rejected++; fsp.unlink(file).catch(() => undefined); return undefined; };
  try {
    const nl = buf.indexOf(10);
    if (nl < 0 || nl > 4096) return bad();
    const h = JSON.parse(buf.subarray(0, nl).toString('utf8')) as IndexHeader;
    if (h.v !== INDEX_FILE_VERSION || typeof h.count !== 'number' || buf.length !== nl + 1 + h.bytes) return bad();
    const st = await fsp.stat(dir, { bigint: true });
    if (!st.isDirectory() || !sameStamp(stamp(st), h)) return bad();
    if (h.count === 0) { if (h.bytes !== 0) return bad(); persistStats.loaded++; return []; }
    const keys = buf.toString('utf8', nl + 1).split('\0');
    if (keys.length !== h.count) return bad();
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      if (k === '' || k.startsWith(TEMP_PREFIX) || (i > 0 && keys[i - 1] >= k)) return bad();
    }
    persistStats.loaded++;
    return keys;
  } catch { return bad(); }
}

/**
 * Writes the in-memory index of bucket root `dir` to its index file (temp + rename), at clean stop. Skipped (and
 * any old file removed) when the index is not built or its size does not match the folder's entry count (e.g. files
 * copied in behind the running cluster's back: they must show up after the restart, so the folder is read again).
 * The caller guarantees no writes to the folder meanwhile (servers closed, jobs stopped). Returns the names saved.
 */
export async function persistIndex(dir: string): Promise<number | undefined> {
  const d = norm(dir);
  const file = indexFileFor(d);
  const drop = async () => { await fsp.unlink(file).catch(() => undefined); return undefined; };
  const ix = indexes.get(d);
  if (!ix) return drop();
  let keys: SortedKeys;
  try { keys = ix.keys ?? await ix.building!; } catch { return drop(); }
  let st1: BigIntStats;
  try { st1 = await fsp.stat(d, { bigint: true }); } catch { return drop(); }
  // a change later in the same coarse clock tick as the folder's last change could keep its mtime: let a tick pass
  const wait = Number(st1.mtimeMs) + 20 - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  let n = 0;
  try { for (const name of await fsp.readdir(d)) if (!name.startsWith(TEMP_PREFIX)) n++; } catch { return drop(); }
  if (n !== keys.size) return drop();
  const body = Buffer.from(keys.toArray().join('\0'), 'utf8');
  const st2 = await fsp.stat(d, { bigint: true });
  if (!sameStamp(stamp(st1), stamp(st2))) return drop();
  const h: IndexHeader = { v: INDEX_FILE_VERSION, ...stamp(st2), count: keys.size, bytes: body.length };
  await writeAtomic(file, Buffer.concat([Buffer.from(JSON.stringify(h) + '\n'), body]));
  return keys.size;
}

/** For tests and benchmarks: how many folders are indexed and how many names they hold. */
export function indexStats(under = ''): { dirs: number; keys: number; building: number } {
  let dirs = 0, keys = 0, building = 0;
  for (const [k, ix] of indexes) {
    if (under && !(k === norm(under) || k.startsWith(`${norm(under)}/`))) continue;
    if (ix.keys) { dirs++; keys += ix.keys.size; } else building++;
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
  const a = local(prefix), b = local(startAfter);
  const lb = a > b ? a : b;
  return lb || undefined;
}

/** All objects (files) under `root`, recursively, in name order, with names > startAfter and starting with prefix. */
export async function* walkObjects(root: string, prefix = '', startAfter = '', rel = ''): AsyncGenerator<WalkEntry> {
  const keys = await readSorted(rel ? join(root, rel) : root);
  for (const key of keys.from(lowerBound(rel, prefix, startAfter, false))) {
    const full = rel + key;
    if (prefix && full > prefix && !full.startsWith(prefix) && !prefix.startsWith(full)) return; // past the prefix range
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
  for (const key of (await readSorted(dirRel ? join(root, dirRel) : root)).from(lowerBound(dirRel, prefix, startAfter, true))) {
    const full = dirRel + key;
    if (!full.startsWith(prefix)) { if (full > prefix) return; continue; }
    if (startAfter && full <= startAfter) continue;
    const isDir = key.endsWith('/');
    yield { name: full, isDir, fullPath: join(root, dirRel, isDir ? key.slice(0, -1) : key) };
  }
}

/** k-way merge of name-ordered streams (one per target); equal names (shared virtual dirs) are emitted once. */
export async function* mergeByName(streams: AsyncGenerator<WalkEntry>[]): AsyncGenerator<WalkEntry> {
  const heads: (WalkEntry | undefined)[] = await Promise.all(streams.map(async (s) => (await s.next()).value ?? undefined));
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
