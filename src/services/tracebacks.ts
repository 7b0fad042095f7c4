// Python tracebacks from ETL workers name the worker's copy of the code (`<data>/.etl/<etl>/<target>/code.py` on the
// local cluster). The user edits their own file: frames in a copy are rewritten to `<user file>:<line>`, a form that
// Output, terminals and the result editor's link provider all turn into links.

import { WRAPPER_SOURCE_NAME } from '../engine/etl';

/** `File "<path>", line <n>[, in <fn>]`: one frame of a Python traceback. */
const FRAME = /File "([^"]+)", line (\d+)(, in [^\n]+)?/g;
/** A worker's copy: `…/.etl/<etl>/<target>/<file>`. */
const WORKER_COPY = /[\\/]\.etl[\\/]([^\\/]+)[\\/][^\\/]+[\\/]([^\\/]+)$/;

/**
 * Rewrites frames in worker copies; `fileOf(etl)` names the file deployed under that ETL (undefined: left as is).
 * With `etl` known, frames of the 5.0 code wrapper's copy (`etl_code.py`, any cluster) point at its deployed file too.
 */
export function mapTracebackToUserFiles(
  text: string,
  fileOf: (etl: string) => string | undefined,
  etl?: string,
): string {
  return text.replace(FRAME, (frame, path: string, line: string, fn: string | undefined) => {
    const wrapped = etl !== undefined && path === WRAPPER_SOURCE_NAME ? fileOf(etl) : undefined;
    if (wrapped) return `${wrapped}:${line}${fn ?? ''}`;
    const m = WORKER_COPY.exec(path);
    const user = m ? fileOf(m[1]) : undefined;
    if (!user || !sameBaseName(user, m![2])) return frame;
    return `${user}:${line}${fn ?? ''}`;
  });
}

function sameBaseName(a: string, b: string): boolean {
  return a.split(/[\\/]/).pop() === b;
}

/** `<absolute path>:<line>` spans and Python frames (`File "<path>", line <n>`) in a text, for a link provider. */
export function fileLineLinks(text: string): { start: number; end: number; file: string; line: number }[] {
  const out: { start: number; end: number; file: string; line: number }[] = [];
  for (const m of text.matchAll(/(?:^|[\s"(])((?:\/|[A-Za-z]:\\)[^\s:"()]+):(\d+)/gm)) {
    const start = (m.index ?? 0) + m[0].length - m[1].length - m[2].length - 1;
    out.push({ start, end: start + m[1].length + 1 + m[2].length, file: m[1], line: Number(m[2]) });
  }
  for (const m of text.matchAll(/File "((?:\/|[A-Za-z]:\\)[^"]+)", line (\d+)/g)) {
    const start = (m.index ?? 0) + 'File "'.length;
    out.push({ start, end: start + m[1].length, file: m[1], line: Number(m[2]) });
  }
  return out.sort((x, y) => x.start - y.start);
}
