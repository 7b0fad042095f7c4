// Where the Deploy / Test lenses go: above every `def transform` (or `transform_stream`, the aistore[etl]
// streaming variant) of a Python ETL, and on the first line of spec files and io:// scripts. Pure: no vscode.
import type { EtlFileKind } from '../engine/etl';
import { findSdkServerClasses } from '../engine/etl';
import { etlEntryPoints } from './entryPoints';

/** Which command a lens runs; the VS Code layer maps each to its typed command. */
export type LensAction = 'deploy' | 'testOnObject' | 'testOnFile';

export interface LensSpec {
  line: number;
  action: LensAction;
  title: string;
  tooltip: string;
}

export const ETL_LENS_ACTIONS: readonly Omit<LensSpec, 'line'>[] = [
  {
    title: '$(cloud-upload) Deploy ETL',
    action: 'deploy',
    tooltip: 'Deploy this ETL to an AIStore cluster',
  },
  {
    title: '$(beaker) Test on object…',
    action: 'testOnObject',
    tooltip: 'Run this transform on an object of a bucket and show the result',
  },
  {
    title: '$(file) Test on file…',
    action: 'testOnFile',
    tooltip: 'Run this transform on a local file through the local cluster; input and output side by side',
  },
];

const TRANSFORM_DEF = /^\s*(?:async\s+)?def\s+transform(?:_stream)?\s*\(/;

export function transformDefinitionLines(text: string): number[] {
  const lines: number[] = [];
  let line = 0;
  // Scan line by line without splitting the whole text into an array (files may be long).
  for (let start = 0; start <= text.length; line++) {
    const end = text.indexOf('\n', start);
    const stop = end === -1 ? text.length : end;
    if (TRANSFORM_DEF.test(text.slice(start, stop))) lines.push(line);
    if (end === -1) break;
    start = end + 1;
  }
  return lines;
}

export function lensLines(kind: EtlFileKind, text: string): number[] {
  switch (kind) {
    case 'python-transform': {
      const defs = transformDefinitionLines(text);
      return defs.length > 0 ? defs : [0];
    }
    case 'python-etl-class': {
      // One set of lenses per deployable class, on its `class` line (the unit init_class ships).
      const anchors = etlEntryPoints({ getText: () => text })
        .filter((e) => e.kind === 'method')
        .map((e) => e.anchorLine);
      const classes = findSdkServerClasses(text).map((c) => c.line);
      return [...new Set(anchors.length > 0 ? anchors : classes)].sort((a, b) => a - b);
    }
    case 'io-script':
    case 'pod-spec':
    case 'runtime-spec':
      return [0];
    default:
      return [];
  }
}

export function etlLenses(kind: EtlFileKind, text: string): LensSpec[] {
  return lensLines(kind, text).flatMap((line) => ETL_LENS_ACTIONS.map((a) => ({ line, ...a })));
}
