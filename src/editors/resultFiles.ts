// Transform results go to a temp file as they stream in (objects can be many GiB), keeping only a small head sample
// in memory to decide text vs binary. Pure Node: unit-tested with in-memory streams.
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pidAlive } from '../engine/local/state';

export const HEAD_BYTES = 8192;

export interface SavedResult {
  file: string;
  size: number;
  head: Buffer;
}

export async function saveStream(
  body: Readable,
  dir: string,
  fileName: string,
  o: { signal?: AbortSignal; onBytes?(n: number): void } = {},
): Promise<SavedResult> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, fileName);
  let size = 0;
  const headChunks: Buffer[] = [];
  let headLen = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      if (headLen < HEAD_BYTES) {
        const take = chunk.subarray(0, HEAD_BYTES - headLen);
        headChunks.push(take);
        headLen += take.length;
      }
      o.onBytes?.(size);
      cb(null, chunk);
    },
  });
  try {
    await pipeline(body, meter, createWriteStream(file), { signal: o.signal });
  } catch (err) {
    await rm(file, { force: true });
    throw err;
  }
  return { file, size, head: Buffer.concat(headChunks) };
}

/** A file name safe on every OS for `bucket/dir/obj.bin` transformed by `etl`. */
export function resultFileName(id: number, object: string, etl: string): string {
  const base = object.split('/').pop() || 'object';
  return `${id}-${etl}-${base}`.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120);
}

/**
 * Result folders are `<prefix><pid>`; a window that was killed never ran dispose(). Removes the folders of processes
 * that are gone (run in the background after activation).
 */
export async function removeStaleResultDirs(parent: string, prefix: string): Promise<void> {
  for (const name of await readdir(parent).catch(() => [] as string[])) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    if (!Number.isInteger(pid) || pid === process.pid || pidAlive(pid)) continue;
    await rm(join(parent, name), { recursive: true, force: true }).catch(() => undefined);
  }
}

/** The first `n` bytes of a file (previews of big results). */
export async function readHead(file: string, n: number): Promise<Buffer> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
