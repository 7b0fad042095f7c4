// debugpy (PyPI) for a given interpreter, installed once into the folder the extension manages and put on
// PYTHONPATH: the user's interpreter keeps its own packages, and nothing is installed into it.
import { execFile } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** debugpy release installed on first use (1.8 has the in-process adapter the runner uses). */
export const DEBUGPY_REQUIREMENT = 'debugpy>=1.8.1,<2';

const installing = new Map<string, Promise<string>>();

/** `$AISETL_HOME/debugpy` (default `~/.aisetl/debugpy`); AISETL_DEBUGPY_DIR overrides it (tests share one copy). */
export function debugpyRoot(): string {
  if (process.env.AISETL_DEBUGPY_DIR) return process.env.AISETL_DEBUGPY_DIR;
  return path.join(process.env.AISETL_HOME || path.join(os.homedir(), '.aisetl'), 'debugpy');
}

/** The folder holding debugpy for `python` (keyed by interpreter: debugpy has compiled parts per version). */
export function debugpyDir(python: string, root = debugpyRoot()): string {
  const key = crypto.createHash('sha256').update(path.resolve(python)).digest('hex').slice(0, 16);
  return path.join(root, key);
}

/** True when debugpy is already installed for `python` (no download needed). */
export function hasDebugpy(python: string, root = debugpyRoot()): boolean {
  return fs.existsSync(path.join(debugpyDir(python, root), '.aisetl-ready'));
}

/** Installs debugpy for `python` unless present; returns the folder to put on PYTHONPATH. */
export interface EnsureDebugpyOptions {
  root?: string;
  timeoutMs?: number;
  log?: (l: string) => void;
}

export function ensureDebugpy(python: string, o: EnsureDebugpyOptions = {}): Promise<string> {
  const dir = debugpyDir(python, o.root);
  if (fs.existsSync(path.join(dir, '.aisetl-ready'))) return Promise.resolve(dir);
  let p = installing.get(dir);
  if (!p) {
    p = install(python, dir, o.timeoutMs ?? 300_000, o.log ?? (() => undefined)).finally(() => installing.delete(dir));
    installing.set(dir, p);
  }
  return p;
}

async function install(python: string, dir: string, timeoutMs: number, log: (l: string) => void): Promise<string> {
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  log(`installing ${DEBUGPY_REQUIREMENT} from PyPI for ${python} into ${dir}`);
  const args = ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '-q', '--target', tmp];
  args.push(DEBUGPY_REQUIREMENT);
  try {
    await new Promise<void>((resolve, reject) => {
      execFile(python, args, { timeout: timeoutMs, maxBuffer: 4 << 20 }, (err, stdout, stderr) => {
        if (!err) {
          resolve();
          return;
        }
        const tail = `${stdout}\n${stderr}`.trim().split('\n').slice(-8).join('\n');
        const why = err.killed ? `timed out after ${timeoutMs} ms` : `exit ${err.code}`;
        reject(
          new Error(
            `installing debugpy failed (${why})${tail ? `:\n${tail}` : ''}\n` +
              'Debugging needs debugpy from PyPI: check that pip can reach PyPI (PIP_INDEX_URL for a mirror), or run ' +
              `"${python} -m pip install --target ${dir} debugpy" yourself.`,
          ),
        );
      });
    });
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  fs.writeFileSync(path.join(tmp, '.aisetl-ready'), new Date().toISOString());
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
  log(`debugpy ready in ${dir}`);
  return dir;
}

/** True when `python` can already import debugpy by itself (the user installed it). */
export function importsDebugpy(python: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(python, ['-c', 'import debugpy'], { timeout: 20_000 }, (err) => resolve(!err));
  });
}
