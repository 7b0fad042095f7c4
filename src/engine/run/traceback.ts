// Python tracebacks as the user should read them: frames in copies of their file (a worker's code.py) name the
// user's file instead, and the runner's own frames are dropped.
import { HARNESS_FILE } from './harness';
import { LocalRunError } from './types';

export { LocalRunError };

const FRAME = /^(\s*File ")([^"]+)(", line \d+)/;

/** Rewrites `File "<copy>", line N` to `File "<user file>", line N` for every copy in `copies`. */
export function mapTraceback(text: string, copies: Record<string, string>): string {
  return text
    .split('\n')
    .map((line) => {
      const m = FRAME.exec(line);
      if (!m) return line;
      const user = copies[m[2]];
      return user === undefined ? line : m[1] + user + line.slice(m[1].length + m[2].length);
    })
    .join('\n');
}

/** Drops the frames of the runner's harness and of runpy (each frame is a `File` line plus its source line). */
export function dropRunnerFrames(text: string): string {
  const out: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = FRAME.exec(lines[i]);
    if (m && (m[2].endsWith(HARNESS_FILE) || /[\\/]runpy\.py$/.test(m[2]))) {
      if (i + 1 < lines.length && !FRAME.test(lines[i + 1]) && /^\s{4,}/.test(lines[i + 1])) i++;
      while (i + 1 < lines.length && /^\s+[~^]+\s*$/.test(lines[i + 1])) i++;
      continue;
    }
    out.push(lines[i]);
  }
  return out.join('\n');
}

/** The last Python traceback in a stderr text (from "Traceback" to the exception line), or ''. */
export function lastTraceback(stderr: string): string {
  const at = stderr.lastIndexOf('Traceback (most recent call last):');
  if (at < 0) return '';
  return stderr.slice(at).trimEnd();
}

/** The last line of a traceback: `TypeError: …`. */
export function exceptionLine(traceback: string): string {
  const lines = traceback
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines[lines.length - 1] ?? '';
}

/** Where the user's code failed: the last frame in one of `userFiles`, as `file:line`. */
export function userFrame(traceback: string, userFiles: string[]): string | undefined {
  let found: string | undefined;
  for (const line of traceback.split('\n')) {
    const m = /^\s*File "([^"]+)", line (\d+)/.exec(line);
    if (m && userFiles.includes(m[1])) found = `${m[1]}:${m[2]}`;
  }
  return found;
}

export const DEBUGPY_HINT = 'Check that debugpy works for this Python (it is installed on first debug).';

/** A hint for the common failures; generic advice otherwise. */
export function hintFor(exception: string): string {
  if (/^ModuleNotFoundError|^ImportError/.test(exception)) {
    return (
      "A module the ETL imports is not installed for this Python: add it to the ETL's dependencies " +
      '(requirements) or install it into the interpreter the run uses.'
    );
  }
  if (/TypeError: .*must return bytes/.test(exception)) {
    return 'transform must return bytes (or str); check what it returns.';
  }
  if (/unsupported operand|object is not subscriptable|argument must be/.test(exception)) {
    return (
      'A type error in the transform: the object arrives as bytes; check how the code treats it (set a ' +
      'breakpoint on the failing line and debug the run to inspect the values).'
    );
  }
  return 'Fix the code at the failing line; debugging the run stops there with the values in view.';
}
