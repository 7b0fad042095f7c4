// Where "Debug" goes in an ETL file: above the function the runtime calls (top-level transform, an ETLServer
// class's transform/transform_stream, a server's request handler), or the first line. Pure: no vscode.
import * as path from 'node:path';
import { detectRunKind, type LocalRunKind } from '../engine/run';

const TOP_TRANSFORM = /^def\s+transform\s*\(/;
const METHOD_TRANSFORM = /^\s+def\s+transform(?:_stream)?\s*\(/;
const HANDLER = /^\s+def\s+do_(?:PUT|POST|GET)\s*\(/;

export interface DebugLensLines {
  kind: LocalRunKind;
  lines: number[];
}

/** A spec can be run locally only when its command runs a .py file that sits next to it (the image's context). */
function specRunsLocalPython(fileName: string, text: string, exists: (file: string) => boolean): boolean {
  const dir = path.dirname(fileName);
  return [...text.matchAll(/[\w./-]+\.py\b/g)].some((m) => exists(path.join(dir, path.basename(m[0]))));
}

export function debugLensLines(
  fileName: string,
  text: string,
  exists: (file: string) => boolean = () => true,
): DebugLensLines | undefined {
  const kind = detectRunKind(fileName, text);
  if (typeof kind === 'object') return undefined;
  const lines = text.split('\n');
  const where = (re: RegExp): number[] => lines.flatMap((l, i) => (re.test(l) ? [i] : []));
  const pick = (re: RegExp): number[] => {
    const at = where(re);
    return at.length ? at : [0];
  };
  switch (kind) {
    case 'code':
      return { kind, lines: pick(TOP_TRANSFORM) };
    case 'etl-class':
      return { kind, lines: pick(METHOD_TRANSFORM) };
    case 'server':
      if (fileName.endsWith('.py')) return { kind, lines: pick(HANDLER) };
      return specRunsLocalPython(fileName, text, exists) ? { kind, lines: [0] } : undefined;
    case 'io':
      return { kind, lines: [0] };
  }
}
