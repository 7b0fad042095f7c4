// `aisetl build -t IMAGE DIR`: the local twin of `docker build`, recording the image in the local image store.
import { resolve } from 'node:path';
import { buildLocalImage } from '../engine/local';
import { parseArgv, UsageError } from './args';

export const BUILD_HELP = `Usage: aisetl build -t IMAGE [-f Dockerfile] DIR

Records the Dockerfile in DIR (WORKDIR, COPY, ENTRYPOINT, CMD, ENV) as IMAGE in the local image store
(~/.aisetl/images; AISETL_HOME moves ~/.aisetl). A pod spec that names IMAGE then runs on the local cluster
as a host process with /code/... paths mapped into DIR.`;

export async function buildCommand(argv: string[]): Promise<number> {
  const a = parseArgv(argv, {
    tag: { value: true, alias: 't' },
    file: { value: true, alias: 'f' },
    help: { value: false, alias: 'h' },
  });
  if (a.flags.has('help')) {
    console.log(BUILD_HELP);
    return 0;
  }
  const tag = a.flags.get('tag');
  if (typeof tag !== 'string' || !tag) throw new UsageError(`missing -t IMAGE\n\n${BUILD_HELP}`);
  if (a.positionals.length !== 1)
    throw new UsageError(`expecting exactly one build folder (got ${a.positionals.length})\n\n${BUILD_HELP}`);
  const dir = resolve(a.positionals[0]);
  const file = a.flags.get('file');
  const img = await buildLocalImage(tag, dir, typeof file === 'string' ? { dockerfile: resolve(file) } : {});
  console.log(`built ${img.tag} from ${dir}`);
  // what a real `docker build` would do but the local image store does not: said now, not first at ETL init
  for (const w of img.warnings) console.warn(`warning: ${w}`);
  return 0;
}
