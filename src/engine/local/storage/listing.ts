// Lazy, name-ordered listing of one target's bucket folder. Directories are visited in the order their names sort
// as object-name prefixes (a directory "a" sorts as "a/", so "a-c" < "a/b" exactly like the flat object names), and
// subtrees entirely before the continuation token or outside the prefix are skipped without being read. Only one
// directory's entries are held at a time per level, so the first page of a million-object bucket costs one readdir
// of the folders on the path to the first names, not a walk of the bucket.
import { promises as fsp, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { TEMP_PREFIX } from './names';

export interface WalkEntry { name: string; isDir: boolean; fullPath: string }

interface SortedDir { mtimeMs: number; entries: { key: string; name: string; isDir: boolean }[] }

/** Big directories are re-read for every page otherwise; cache a few sorted listings keyed by mtime. */
const CACHE_MIN_ENTRIES = 2000;
const CACHE_MAX_DIRS = 8;
const CACHE_MAX_ENTRIES = 2_000_000; // ~200 MB worst case; a million-object flat folder still fits
const dirCache = new Map<string, SortedDir>();

async function readSorted(dir: string): Promise<SortedDir['entries']> {
  let mtimeMs = 0;
  try { mtimeMs = (await fsp.stat(dir)).mtimeMs; } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw e;
  }
  const cached = dirCache.get(dir);
  if (cached && cached.mtimeMs === mtimeMs) { dirCache.delete(dir); dirCache.set(dir, cached); return cached.entries; }
  let dirents: Dirent[];
  try { dirents = await fsp.readdir(dir, { withFileTypes: true }); } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const entries = [];
  for (const d of dirents) {
    if (d.name.startsWith(TEMP_PREFIX)) continue;
    const isDir = d.isDirectory();
    if (!isDir && !d.isFile()) continue;
    entries.push({ key: isDir ? d.name + '/' : d.name, name: d.name, isDir });
  }
  entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  if (entries.length >= CACHE_MIN_ENTRIES) {
    dirCache.set(dir, { mtimeMs, entries });
    let total = 0;
    for (const v of dirCache.values()) total += v.entries.length;
    while (dirCache.size > 1 && (dirCache.size > CACHE_MAX_DIRS || total > CACHE_MAX_ENTRIES)) {
      const oldest = dirCache.keys().next().value as string;
      total -= dirCache.get(oldest)!.entries.length;
      dirCache.delete(oldest);
    }
  }
  return entries;
}

/** True when names under `dirPrefix` can match `prefix` (one is a prefix of the other). */
const overlaps = (prefix: string, dirPrefix: string) => dirPrefix.startsWith(prefix) || prefix.startsWith(dirPrefix);

/** All objects (files) under `root`, recursively, in name order, with names > startAfter and starting with prefix. */
export async function* walkObjects(root: string, prefix = '', startAfter = '', rel = ''): AsyncGenerator<WalkEntry> {
  for (const e of await readSorted(rel ? join(root, rel) : root)) {
    const full = rel + e.key;
    if (prefix && full > prefix && !full.startsWith(prefix) && !prefix.startsWith(full)) return; // past the prefix range
    if (e.isDir) {
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

/**
 * One level (AIS LsNoRecursion): the objects and virtual directories directly under the directory part of `prefix`.
 * Directory entries are named "<dir>/" and flagged isDir, as AIS does.
 */
export async function* walkOneLevel(root: string, prefix = '', startAfter = ''): AsyncGenerator<WalkEntry> {
  const cut = prefix.lastIndexOf('/');
  const dirRel = cut >= 0 ? prefix.slice(0, cut + 1) : '';
  for (const e of await readSorted(dirRel ? join(root, dirRel) : root)) {
    const full = dirRel + e.key;
    if (!full.startsWith(prefix)) { if (full > prefix) return; continue; }
    if (startAfter && full <= startAfter) continue;
    yield { name: full, isDir: e.isDir, fullPath: join(root, dirRel, e.name) };
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
