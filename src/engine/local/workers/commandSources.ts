// The Python sources a container command runs, read on this machine: the file of `python <file>` (or of a script run
// directly, `python -m <module>`, `uvicorn <module>:<app>`, the same inside `sh -c "…"`) and the modules it imports
// from its own folder or package. Bounded: a few files, each only its head.
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
/** A Python interpreter (`python`, `python3`, `/usr/bin/python3.11`) as argv[0]. */
export const PYTHON_EXE = /^(?:.*\/)?python(?:3(?:\.\d+)?)?$/;
const SHELL_EXE = /^(?:.*\/)?(?:ba|da|a)?sh$/;
const ASGI = /^(?:.*\/)?(?:uvicorn|gunicorn|hypercorn)$/;
/** Python options whose value is the next word (or the rest of the flag cluster). */
const PYTHON_VALUE_FLAGS = new Set(['W', 'X']);

/** A file to read: `root` is where its absolute imports start (sys.path[0]); `direct`: run by its name. */
interface Source {
  file: string;
  root: string;
  direct?: boolean;
}

/**
 * The texts of the Python files `argv` runs and, transitively, of the modules they import from the folder Python
 * starts in (at most MAX_FILES, MAX_BYTES each), plus `import <module>` for each module it runs (a module of an
 * installed package has no file here). Other files in that folder are not read: the command does not run them.
 */
export function commandSourceTexts(argv: string[], where: SourceLocation): string[] {
  const texts: string[] = [];
  const start: Source[] = [];
  for (const t of runTargets(argv, 0)) {
    if ('module' in t) {
      texts.push(`import ${t.module}`);
      for (const file of moduleFiles(t.module, where.cwd, true)) start.push({ file, root: where.cwd });
    } else {
      const file = hostFile(t.file, where);
      start.push({ file, root: path.dirname(file), direct: t.direct });
    }
  }
  return [...texts, ...readWithLocalImports(start)];
}

function readWithLocalImports(start: Source[]): string[] {
  const texts: string[] = [];
  const seen = new Set<string>();
  const queue = [...start];
  for (let i = 0; i < queue.length && seen.size < MAX_FILES; i++) {
    const { file, root, direct } = queue[i];
    if (seen.has(file)) continue;
    seen.add(file);
    const head = readHead(file);
    // a script run by its name counts when Python runs it: a .py file, or `#!…python`
    if (!head || (direct && !file.endsWith('.py') && !/^#!.*python/.test(head))) continue;
    texts.push(head);
    for (const imported of localImports(head, file, root)) queue.push({ file: imported, root });
  }
  return texts;
}

const IMPORT = /^[ \t]*import[ \t]+([^\n#;]+)/gm;
const FROM_IMPORT = /^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+\(?([^\n#;)]+)/gm;

/** The files of the modules `text` (the file `file`) imports that exist under `root` or, relative, its package. */
export function localImports(text: string, file: string, root: string): string[] {
  const out: string[] = [];
  const firstWords = (list: string): string[] => list.split(',').map((n) => n.trim().split(/\s+/)[0]);
  for (const m of text.matchAll(IMPORT)) for (const n of firstWords(m[1])) out.push(...moduleFiles(n, root));
  for (const [, dots, module, names] of text.matchAll(FROM_IMPORT)) {
    let base = root;
    if (dots) base = path.resolve(path.dirname(file), ...Array<string>(dots.length - 1).fill('..'));
    if (module) out.push(...moduleFiles(module, base));
    for (const n of firstWords(names))
      if (/^\w+$/.test(n)) out.push(...moduleFiles(module ? `${module}.${n}` : n, base));
  }
  return out;
}

/** What a command line runs as Python; `depth` bounds shells calling shells. */
export function runTargets(argv: string[], depth = 0): Target[] {
  const [cmd, ...rest] = argv;
  if (!cmd || depth > 3) return [];
  if (path.posix.basename(cmd) === 'env' || cmd === 'exec') return runTargets(withoutAssignments(rest), depth);
  if (SHELL_EXE.test(cmd)) {
    const script = shellScript(argv);
    return script ? shellTargets(script, depth + 1) : [];
  }
  if (PYTHON_EXE.test(cmd)) return pythonTargets(rest);
  if (ASGI.test(cmd)) {
    // `uvicorn server:app`, `gunicorn -b 0.0.0.0:80 server:app` (an address starts with a digit or a bracket)
    return rest.flatMap((w) => {
      const app = /^([A-Za-z_][\w.]*):[A-Za-z_]/.exec(w);
      return app ? [{ module: app[1] }] : [];
    });
  }
  if (cmd.endsWith('.py') || cmd.includes('/')) return [{ file: cmd, direct: true }]; // a script run by its name
  return [];
}

/** The script of `sh -c "<script>"` (bash, dash, ash alike); undefined for any other command. */
export function shellScript(argv: string[]): string | undefined {
  const c = argv.indexOf('-c');
  return SHELL_EXE.test(argv[0] ?? '') && c >= 1 ? argv[c + 1] || undefined : undefined;
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

/** `pkg.mod` → its files under `root`: pkg/__init__.py, pkg/mod.py or pkg/mod/__init__.py (and __main__.py to run). */
function moduleFiles(module: string, root: string, run = false): string[] {
  const parts = module.split('.');
  if (!parts.every((p) => /^\w+$/.test(p))) return [];
  return parts
    .flatMap((_, i) => {
      const rel = path.join(root, ...parts.slice(0, i + 1));
      const last = i === parts.length - 1;
      return [`${rel}.py`, path.join(rel, '__init__.py'), ...(run && last ? [path.join(rel, '__main__.py')] : [])];
    })
    .filter(isFile);
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
