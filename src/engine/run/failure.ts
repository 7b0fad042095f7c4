// A failed run as the user should see it: what failed, where in their file, the traceback, what to do.
import * as path from 'node:path';
import { describeExit, type ExitInfo } from '../local/workers/managedProcess';
import {
  LocalRunError,
  dropRunnerFrames,
  exceptionLine,
  hintFor,
  lastTraceback,
  mapTraceback,
  userFrame,
} from './traceback';
import type { LocalRunKind } from './types';

export interface FailureFacts {
  kind: LocalRunKind;
  file: string;
  exit: ExitInfo;
  stderr: string;
  stoppedBy?: 'timeout' | 'abort';
  timeoutMs?: number;
  copies?: Record<string, string>;
}

const WHAT: Record<LocalRunKind, string> = {
  code: 'transform()',
  io: 'the io:// script',
  'etl-class': "the ETLServer class's transform()",
  server: 'the ETL server',
};

export function failureFrom(f: FailureFacts): LocalRunError {
  const name = path.basename(f.file);
  if (f.stoppedBy === 'abort') {
    return new LocalRunError(`The local run of ${name} was cancelled.`, '', 'Run it again when ready.');
  }
  if (f.stoppedBy === 'timeout') {
    return new LocalRunError(
      `${WHAT[f.kind]} in ${name} did not finish within ${f.timeoutMs} ms and was stopped.`,
      '',
      'Look for an endless loop or a blocking read; debug the run to see where it is.',
    );
  }
  const traceback = mapTraceback(dropRunnerFrames(lastTraceback(f.stderr)), f.copies ?? {});
  if (!traceback) {
    const tail = f.stderr.trim().split('\n').slice(-10).join('\n');
    const said = tail ? `: ${tail}` : ' and printed nothing';
    return new LocalRunError(
      `${WHAT[f.kind]} in ${name} ${describeExit(f.exit)}${said}`,
      tail,
      f.kind === 'io' ? 'An io:// script must exit with 0 after writing the result to stdout.' : hintFor(tail),
    );
  }
  const exc = exceptionLine(traceback);
  const where = userFrame(traceback, [f.file, ...Object.values(f.copies ?? {})]);
  return new LocalRunError(`${WHAT[f.kind]} raised ${exc}${where ? ` at ${where}` : ''}`, traceback, hintFor(exc));
}
