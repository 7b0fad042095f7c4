// Runs one object through a chain of ETL workers on one target (etl_name + etl_pipeline). Intermediate results
// are spooled to temp files because the worker contract takes a file (fqn) as input; nothing is held in memory.
import { createWriteStream, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import type { EtlWorker, TransformInput, TransformOutput } from '../worker-contract';

export interface ChainResult {
  out: TransformOutput;
  cleanup(): Promise<void>;
}

export async function runChain(
  workers: EtlWorker[],
  input: TransformInput,
  spoolDir: string,
  signal?: AbortSignal,
): Promise<ChainResult> {
  const temps: string[] = [];
  const cleanup = async () => {
    await Promise.all(temps.map((f) => fsp.rm(f, { force: true })));
  };
  try {
    let cur = input;
    for (let i = 0; ; i++) {
      const out = await workers[i].transform(cur, signal);
      if (i === workers.length - 1 || out.status >= 400) return { out, cleanup };
      await fsp.mkdir(spoolDir, { recursive: true });
      const tmp = join(spoolDir, `stage-${i}-${randomBytes(6).toString('hex')}`);
      temps.push(tmp);
      await pipeline(out.body, createWriteStream(tmp), { signal });
      cur = { ...input, fqn: tmp, size: (await fsp.stat(tmp)).size };
    }
  } catch (e) {
    await cleanup();
    throw e;
  }
}

/** Reads at most `limit` bytes of an error body (the rest is discarded). */
export async function readErrorBody(out: TransformOutput, limit = 64 << 10): Promise<string> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of out.body) {
    if (n < limit) {
      chunks.push(c as Buffer);
      n += (c as Buffer).length;
    }
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8').trim();
}
