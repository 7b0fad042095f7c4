// The Python sources a container command runs, read on this machine: the file of `python <file>` (or of a script run
// directly, `python -m <module>`, `uvicorn <module>:<app>`, the same inside `sh -c "…"`) and the .py files next to
// it, which it may import. Bounded: a folder full of files costs a few reads, never a walk of the tree.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { splitWords } from '../../etl/dockerfile';

export interface SourceLocation {
  /** A container path → the file on this machine (a built image's COPY destinations); undefined: not mapped. */
  hostPath?: (containerPath: string) => string | undefined;
  /** The folder the command runs in on this machine: relative paths and `-m` modules start there. */
  cwd: string;
}

/** A file Python runs (`direct`: run by its name, so only if it is a Python script), or a module. */
type Target = { file: string; direct?: boolean } | { module: string };

const MAX_FILES = 64;
const MAX_BYTES = 256 * 1024;
const PYTHON = /^(?:.*\/)?python(?:3(?:\.\d+)?)?$/;
const SHELL = /^(?:.*\/)?(?:ba|da|a)?sh$/;
const ASGI = /^(?:.*\/)?(?:uvicorn|gunicorn|hypercorn)$/;
/** Python options whose value is the next word (or the rest of the flag cluster). */
const PYTHON_VALUE_FLAGS = new Set(['W', 'X']);

/**
 * The texts of the Python files `argv` runs and of their sibling .py files (at most MAX_FILES, MAX_BYTES each),
 * plus `import <module>` for each module it runs (a module of an installed package has no file here).
 */
export function commandSourceTexts(argv: string[], where: SourceLocation): string[] {
  const main = new Map<string, string>(); // the files the command runs → their heads
  const texts: string[] = [];
  for (const t of runTargets(argv, 0)) {
    if ('module' in t) texts.push(`import ${t.module}`);
    const file = 'module' in t ? moduleFile(t.module, where.cwd) : hostFile(t.file, where);
    const head = file ? readHead(file) : '';
    // a script run by its name counts when Python runs it: a .py file, or `#!…python`
    if (file && head && ('module' in t || !t.direct || file.endsWith('.py') || /^#!.*python/.test(head))) {
      main.set(file, head);
    }
  }
  const files = new Set(main.keys());
  // only the user's .py files have siblings worth reading (not, say, /usr/bin next to a script)
  for (const f of main.keys()) if (f.endsWith('.py')) for (const s of siblings(f)) files.add(s);
  for (const f of [...files].slice(0, MAX_FILES)) texts.push(main.get(f) ?? readHead(f));
  return texts.filter(Boolean);
}

/** What a command line runs as Python; `depth` bounds shells calling shells. */
export function runTargets(argv: string[], depth = 0): Target[] {
  const [cmd, ...rest] = argv;
  if (!cmd || depth > 3) return [];
  if (path.posix.basename(cmd) === 'env' || cmd === 'exec') return runTargets(withoutAssignments(rest), depth);
  if (SHELL.test(cmd)) {
    const c = rest.indexOf('-c');
    return c >= 0 && rest[c + 1] ? shellTargets(rest[c + 1], depth + 1) : [];
  }
  if (PYTHON.test(cmd)) return pythonTargets(rest);
  if (ASGI.test(cmd)) {
    // `uvicorn server:app`, `gunicorn -b 0.0.0.0:80 server:app` (an address starts with a digit or a bracket)
    return rest.flatMap((w) => /^([A-Za-z_][\w.]*):[A-Za-z_]/.exec(w) ?? []).map((m) => ({ module: m.split(':')[0] }));
  }
  if (cmd.endsWith('.py') || cmd.includes('/')) return [{ file: cmd, direct: true }]; // a script run by its name
  return [];
}

function withoutAssignments(words: string[]): string[] {
  const i = words.findIndex((w) => !/^[A-Za-z_]\w*=/.test(w) && !w.startsWith('-'));
  return i < 0 ? [] : words.slice(i);
}

/** Every simple command of a shell script: split at unquoted `;`, `&&`, `||`, `|`, `&` and newlines. */
function shellTargets(script: string, depth: number): Target[] {
  const commands: string[] = [];
  let cur = '';
  let quote: string | undefined;
  for (let i = 0; i < script.length; i++) {
    const ch = script[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"') cur += script[i++];
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '\\') cur += script[i++];
    else if (/[;&|\n]/.test(ch)) {
      commands.push(cur);
      cur = '';
      continue;
    }
    cur += script[i] ?? '';
  }
  commands.push(cur);
  return commands.flatMap((c) => runTargets(withoutAssignments(splitWords(c)), depth));
}

/** `python [options] <file> …`, `python -m <module> …`; `-c`, `-` and a bare `python` run no file. */
export function pythonTargets(args: string[]): Target[] {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-' || a === '--') return a === '--' && args[i + 1] ? [{ file: args[i + 1] }] : [];
    if (!a.startsWith('-')) return [{ file: a }];
    if (a.startsWith('--')) {
      if (a === '--check-hash-based-pycs') i++;
      continue;
    }
    for (let k = 1; k < a.length; k++) {
      const flag = a[k];
      const value = a.slice(k + 1) || args[i + 1];
      if (flag === 'c') return [];
      if (flag === 'm') return value ? [{ module: value }] : [];
      if (PYTHON_VALUE_FLAGS.has(flag)) {
        if (!a.slice(k + 1)) i++;
        break;
      }
    }
  }
  return [];
}

/** The file behind a command's path: the image's mapping, else the path as the process sees it from its cwd. */
function hostFile(file: string, where: SourceLocation): string {
  return where.hostPath?.(file) ?? path.resolve(where.cwd, file);
}

/** `pkg.mod` → cwd/pkg/mod.py, or the package's __main__.py / __init__.py; undefined when not a local file. */
function moduleFile(module: string, cwd: string): string | undefined {
  const rel = path.join(cwd, ...module.split('.'));
  return [`${rel}.py`, path.join(rel, '__main__.py'), path.join(rel, '__init__.py')].find(isFile);
}

function siblings(file: string): string[] {
  try {
    const dir = path.dirname(file);
    return fs
      .readdirSync(dir)
      .filter((n) => n.endsWith('.py'))
      .sort()
      .slice(0, MAX_FILES)
      .map((n) => path.join(dir, n))
      .filter((f) => f !== file);
  } catch {
    return [];
  }
}

function isFile(f: string): boolean {
  try {
    return fs.statSync(f).isFile();
  } catch {
    return false;
  }
}

/** The first MAX_BYTES of a regular file ('' if it cannot be read): enough to see its imports. */
function readHead(file: string): string {
  if (!isFile(file)) return '';
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(MAX_BYTES);
    return buf.subarray(0, fs.readSync(fd, buf, 0, MAX_BYTES, 0)).toString('utf8');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
