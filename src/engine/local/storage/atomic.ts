// Atomic object writes: stream into a temp file in the destination folder, fsync it, then rename over the final
// name. A crash or an aborted upload therefore leaves either the old object or the new one, never a torn file, and
// the temp file (TEMP_PREFIX, which no object name may use) is removed on every failure path.
// fsync choice: for objects clients PUT, the file's data is fsynced before the rename (otherwise ext4/xfs may expose
// a zero-length object after a power loss). Offline ETL job outputs are derived data that a re-run recreates, so
// they skip the fsync (callers pass durable=false): on this kind of VM an fsync costs ~2-3 ms, more than the whole
// transform of a small object. The directory is never fsynced: after a power loss the newest rename may be lost,
// which is acceptable for a sandbox (old-or-new, never torn). AISETL_FSYNC=0 turns every fsync off; the
// atomicity guarantee against process crashes holds either way.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { dirname, join } from 'node:path';
import { Transform, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TEMP_PREFIX } from './names';
import { SMALL_WRITE_MAX, writeSmallAtomic } from './smallWriter';

export interface WriteResult {
  size: number;
  md5: string;
  mtimeMs: number; /* 0 when not durable (not stat'ed) */
}

export const fsyncEnabled = () => process.env.AISETL_FSYNC !== '0';

// pid + counter is unique among concurrent writers (one cluster per data folder) and, unlike random bytes, free.
const TEMP_TAG = `${process.pid.toString(36)}-${randomBytes(3).toString('hex')}-`;
let tempSeq = 0;
/** True for a temp file name this process is writing now (never swept as a crash leftover). */
export const isOwnTemp = (name: string) => name.startsWith(TEMP_PREFIX + TEMP_TAG);
export function tempPathFor(finalPath: string): string {
  return join(dirname(finalPath), TEMP_PREFIX + TEMP_TAG + (tempSeq++).toString(36));
}

/** Opens a fresh temp file, creating the parent folders only when they are missing (the common case is one syscall). */
async function openTemp(tmp: string): Promise<fsp.FileHandle> {
  try {
    return await fsp.open(tmp, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    await fsp.mkdir(dirname(tmp), { recursive: true });
    return fsp.open(tmp, 'wx');
  }
}

/**
 * Writes all of `buf` from `off`. A write may be short (the disk filled up mid-write): the rest is written again,
 * and the retry reports ENOSPC, so a short write can never be taken for a complete object.
 */
async function writeAll(fh: fsp.FileHandle, buf: Buffer, off = 0): Promise<void> {
  while (off < buf.length) {
    const { bytesWritten } = await fh.write(buf, off, buf.length - off);
    if (bytesWritten <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    off += bytesWritten;
  }
}

/** A Writable over an open FileHandle that leaves the handle open (we still need to fsync and stat it). */
function fileSink(fh: fsp.FileHandle): Writable {
  return new Writable({
    highWaterMark: 1 << 20,
    write(chunk: Buffer, _enc, cb) {
      writeAll(fh, chunk).then(() => cb(), cb);
    },
    writev(chunks, cb) {
      const bufs = chunks.map((c) => c.chunk as Buffer);
      const total = bufs.reduce((a, b) => a + b.length, 0);
      fh.writev(bufs)
        .then(({ bytesWritten }) =>
          bytesWritten < total ? writeAll(fh, Buffer.concat(bufs), bytesWritten) : undefined,
        )
        .then(() => cb(), cb);
    },
  });
}

/** Streams `body` to `finalPath` atomically and returns its size and md5. Throws (leaving nothing behind) on error. */
export async function writeAtomic(
  finalPath: string,
  body: Readable | Buffer,
  signal?: AbortSignal,
  durable = true,
): Promise<WriteResult> {
  const tmp = tempPathFor(finalPath);
  if (!durable && Buffer.isBuffer(body) && body.length <= SMALL_WRITE_MAX) {
    // derived data, small: off the main thread in batches (smallWriter.ts); not stat'ed, as below
    const md5 = createHash('md5').update(body).digest('hex');
    await writeSmallAtomic(tmp, finalPath, body);
    return { size: body.length, md5, mtimeMs: 0 };
  }
  const hash = createHash('md5');
  let size = 0;
  let fh: fsp.FileHandle | undefined;
  try {
    fh = await openTemp(tmp);
    if (Buffer.isBuffer(body)) {
      hash.update(body);
      size = body.length;
      await fh.writeFile(body);
    } else {
      const meter = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          hash.update(chunk);
          size += chunk.length;
          cb(null, chunk);
        },
      });
      await pipeline(body, meter, fileSink(fh), { signal });
    }
    if (durable && fsyncEnabled()) await fh.sync();
    const mtimeMs = durable ? (await fh.stat()).mtimeMs : 0; // derived data is not checksum-cached: skip a syscall
    await fh.close();
    fh = undefined;
    await fsp.rename(tmp, finalPath);
    return { size, md5: hash.digest('hex'), mtimeMs };
  } catch (err) {
    await fh?.close().catch(() => undefined);
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}
