// One target's objects on disk: <dataDir>/<targetId>/<bucket>/<object path>. Names are validated before they get
// here (names.ts); this module maps them to paths, writes atomically, and keeps a small checksum cache so HEAD and
// list can report md5 without re-reading files.
import { createHash } from 'node:crypto';
import {
  promises as fsp,
  close as fsClose,
  createReadStream,
  open as fsOpen,
  read as fsRead,
  type Stats,
} from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AisHttpError, conflict } from '../errors';
import { writeAtomic, type WriteResult } from './atomic';
import { dropIndexesUnder, indexFileFor, noteObjectAdded, noteObjectRemoved, persistIndex, warmIndex } from './listing';

interface CksumEntry {
  mtimeMs: number;
  size: number;
  md5: string;
}
const CKSUM_CACHE_MAX = 200_000;

export class TargetStore {
  private readonly cksums = new Map<string, CksumEntry>();

  constructor(
    readonly targetId: string,
    readonly root: string,
  ) {}

  bucketDir(bucket: string): string {
    return join(this.root, bucket);
  }
  objPath(bucket: string, name: string): string {
    return join(this.root, bucket, ...name.split('/'));
  }

  /**
   * Creates the bucket folder if needed and starts indexing its names in the background (listing.ts), so the first
   * listing of a big bucket after a cluster start does not have to read and sort the whole folder. Resolves
   * without waiting for the index; `indexed` tells when it is ready.
   */
  async createBucketDir(bucket: string): Promise<void> {
    await fsp.mkdir(this.bucketDir(bucket), { recursive: true });
    const t0 = Date.now();
    const dir = this.bucketDir(bucket);
    this.indexed.set(
      bucket,
      warmIndex(dir).then(
        (n) => {
          if (n >= 10_000)
            this.log?.(`t[${this.targetId}]: indexed ${n} names of ais://${bucket} in ${Date.now() - t0} ms`);
        },
        (e: Error) => {
          this.log?.(`t[${this.targetId}]: could not index ais://${bucket}: ${e.message}`);
        },
      ),
    );
  }

  /** Background index builds started by createBucketDir (resolve when ready; never reject). */
  readonly indexed = new Map<string, Promise<void>>();
  log: ((line: string) => void) | undefined;

  /** Removes a bucket folder: renamed aside first so the bucket disappears at once, then deleted. */
  async removeBucketDir(bucket: string): Promise<void> {
    const trash = join(this.root, `.trash-${bucket}-${Date.now()}`);
    try {
      await fsp.rename(this.bucketDir(bucket), trash);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    dropIndexesUnder(this.bucketDir(bucket));
    this.indexed.delete(bucket);
    await fsp.unlink(indexFileFor(this.bucketDir(bucket))).catch(() => undefined);
    for (const k of this.cksums.keys()) if (k.startsWith(this.bucketDir(bucket) + '/')) this.cksums.delete(k);
    await fsp.rm(trash, { recursive: true, force: true });
  }

  /**
   * Saves each bucket root's name index next to the bucket folder (listing.ts persistIndex), so the next start loads
   * it instead of reading the folder. Call at clean stop, after servers and jobs stopped. Never rejects.
   */
  async saveIndexes(): Promise<void> {
    for (const [bucket, ready] of this.indexed) {
      await ready;
      const t0 = Date.now();
      try {
        const n = await persistIndex(this.bucketDir(bucket));
        if (n !== undefined && n >= 10_000)
          this.log?.(`t[${this.targetId}]: saved the index of ais://${bucket} (${n} names) in ${Date.now() - t0} ms`);
      } catch (e) {
        this.log?.(`t[${this.targetId}]: could not save the index of ais://${bucket}: ${(e as Error).message}`);
      }
    }
  }

  /** Forgets every name index of this target (the cluster is stopping). */
  dropIndexes(): void {
    dropIndexesUnder(this.root);
    this.indexed.clear();
  }

  async stat(bucket: string, name: string): Promise<Stats | undefined> {
    try {
      const st = await fsp.stat(this.objPath(bucket, name));
      return st.isFile() ? st : undefined;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ENAMETOOLONG') return undefined;
      throw e;
    }
  }

  /** `durable=false` skips the fsync (derived data such as ETL job outputs; see atomic.ts). */
  async put(
    bucket: string,
    name: string,
    body: Readable | Buffer,
    signal?: AbortSignal,
    durable = true,
  ): Promise<WriteResult> {
    const path = this.objPath(bucket, name);
    let res: WriteResult;
    try {
      res = await writeAtomic(path, body, signal, durable);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EISDIR' || code === 'ENOTDIR' || code === 'EEXIST' || code === 'ENOTEMPTY') {
        throw conflict(
          `cannot store ais://${bucket}/${name}: the name collides with an existing object or virtual directory ` +
            '(in the local cluster an object "a" and an object "a/b" cannot both exist); choose another name',
        );
      }
      if (code === 'ENOSPC' || code === 'EDQUOT') throw outOfSpace(this.targetId, this.root, bucket, name);
      throw e;
    }
    noteObjectAdded(this.bucketDir(bucket), name, durable);
    if (res.mtimeMs) this.rememberCksum(path, { mtimeMs: res.mtimeMs, size: res.size }, res.md5);
    return res;
  }

  /** Deletes the object and prunes now-empty virtual directories up to the bucket folder. */
  async delete(bucket: string, name: string): Promise<boolean> {
    const path = this.objPath(bucket, name);
    try {
      await fsp.unlink(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return false;
      throw e;
    }
    this.cksums.delete(path);
    const segs = name.split('/');
    let pruned = 0;
    for (let i = segs.length - 1; i > 0; i--) {
      try {
        await fsp.rmdir(join(this.bucketDir(bucket), ...segs.slice(0, i)));
        pruned++;
      } catch {
        break;
      }
    }
    noteObjectRemoved(this.bucketDir(bucket), name, pruned);
    return true;
  }

  openRead(bucket: string, name: string, range?: { start: number; end: number }): Readable {
    return createReadStream(this.objPath(bucket, name), range ? { start: range.start, end: range.end } : undefined);
  }

  /**
   * Reads `len` bytes at `start` with one open + one read + close (no stream: for small objects the stream's extra
   * reads, pipeline bookkeeping and close dominate). undefined = the file is gone or shorter than `len` (replaced
   * since it was stat'ed); the caller re-stats.
   */
  readSmall(bucket: string, name: string, start: number, len: number): Promise<Buffer | undefined> {
    const path = this.objPath(bucket, name);
    return new Promise((resolve, reject) => {
      fsOpen(path, 'r', (oe, fd) => {
        if (oe) {
          const code = oe.code;
          return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR' ? resolve(undefined) : reject(oe);
        }
        const buf = Buffer.allocUnsafe(len);
        fsRead(fd, buf, 0, len, start, (re, n) => {
          fsClose(fd, () => {
            if (re) return re.code === 'EISDIR' ? resolve(undefined) : reject(re);
            resolve(n === len ? buf : undefined);
          });
        });
      });
    });
  }

  /** The cached md5 if it is still valid for `st`, without ever reading the file. */
  cachedChecksum(path: string, st: { mtimeMs: number; size: number }): string | undefined {
    const c = this.cksums.get(path);
    return c && c.mtimeMs === st.mtimeMs && c.size === st.size ? c.md5 : undefined;
  }

  /** Cached md5 when known (set on PUT); `compute` hashes the file once when missing. */
  async checksum(path: string, st: Stats, compute: boolean): Promise<string | undefined> {
    const c = this.cksums.get(path);
    if (c && c.mtimeMs === st.mtimeMs && c.size === st.size) return c.md5;
    if (!compute) return undefined;
    const h = createHash('md5');
    await pipeline(createReadStream(path), h);
    const md5 = h.digest('hex');
    this.rememberCksum(path, st, md5);
    return md5;
  }

  private rememberCksum(path: string, st: { mtimeMs: number; size: number }, md5: string): void {
    if (this.cksums.size >= CKSUM_CACHE_MAX) this.cksums.delete(this.cksums.keys().next().value as string);
    this.cksums.set(path, { mtimeMs: st.mtimeMs, size: st.size, md5 });
  }
}

/** AIS answers a full disk with 507 (cmn.IsErrCapExceeded); nothing of the object is kept (atomic.ts). */
export function outOfSpace(targetId: string, root: string, bucket: string, name: string): AisHttpError {
  return new AisHttpError(
    507,
    `t[${targetId}]: out of space: the disk of ${root} is full, ais://${bucket}/${name} was not stored; ` +
      'free some space (or delete objects) and retry',
    'ErrCapExceeded',
  );
}

export function objNotFound(targetId: string, bucket: string, name: string): AisHttpError {
  return new AisHttpError(404, `t[${targetId}]: ais://${bucket}/${name} does not exist`, 'ErrNotFound');
}
