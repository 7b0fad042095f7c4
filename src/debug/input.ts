// The bytes a debug run transforms: an object of any cluster streamed to a temp file (a stopped breakpoint must
// not hold a cluster connection open), or a local file as is.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { CommandContext } from '../commands/context';
import { withCancellableProgress } from '../commands/ui';
import { UiError } from '../services/errors';
import { parseObjectSource, type AisEtlDebugConfiguration } from './config';

export interface DebugInput {
  file: string;
  objectName: string;
  cluster: string;
  bucket: string;
  object: string;
  remove(): void;
}

export async function prepareInput(s: CommandContext, c: AisEtlDebugConfiguration): Promise<DebugInput> {
  if (c.inputFile) {
    if (!fs.existsSync(c.inputFile)) {
      throw new UiError(`The input file ${c.inputFile} does not exist`, { hint: 'fix "inputFile"' });
    }
    const name = path.basename(c.inputFile);
    const remove = (): void => undefined;
    const objectName = `local/${name}`;
    return { file: c.inputFile, objectName, cluster: 'local file', bucket: 'local', object: name, remove };
  }
  const src = c.object === undefined ? undefined : parseObjectSource(c.object);
  if (!src) {
    const hint = 'set "object": "ais://bucket/object" or "inputFile"';
    throw new UiError('The debug configuration names no input', { hint });
  }
  const { entry, client } = await s.clientFor(src.cluster);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aisetl-debug-input-'));
  const file = path.join(dir, path.basename(src.object) || 'object');
  const remove = (): void => fs.rmSync(dir, { recursive: true, force: true });
  try {
    await withCancellableProgress(`Fetching ais://${src.bucket}/${src.object} for debugging`, async (signal) => {
      const obj = await client.getObject(src.bucket, src.object, { signal });
      await pipeline(obj.body, fs.createWriteStream(file), { signal });
    });
  } catch (e) {
    remove();
    throw e;
  }
  const objectName = `${src.bucket}/${src.object}`;
  return { file, objectName, cluster: entry.id, bucket: src.bucket, object: src.object, remove };
}
