// Per-ETL virtualenvs for dependencies, cached by content hash so that every target (and every restart) reuses one.
import { execFile } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LocalPython } from './python';

const building = new Map<string, Promise<string>>();

export function defaultVenvCache(workDir: string): string {
  return workDir ? path.resolve(workDir, '..', '.venvs') : sharedVenvCache();
}

/** Venvs every ETL may reuse (the SDK for ETL classes is large): AISETL_VENV_CACHE, else $AISETL_HOME/venvs. */
export function sharedVenvCache(): string {
  return (
    process.env.AISETL_VENV_CACHE || path.join(process.env.AISETL_HOME || path.join(os.homedir(), '.aisetl'), 'venvs')
  );
}

/** Normalised requirement lines; empty when there is nothing to install. */
export function requirementLines(deps: string | undefined): string[] {
  return (deps ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

/** Returns the python executable of a venv with `requirements` installed (building it once per content hash). */
export function ensureVenv(
  requirements: string[],
  python: LocalPython,
  cacheDir: string,
  log: (l: string) => void,
  timeoutMs: number,
): Promise<string> {
  const key = crypto
    .createHash('sha256')
    .update(JSON.stringify({ requirements, python: python.exe, v: python.version }))
    .digest('hex')
    .slice(0, 24);
  const dir = path.join(cacheDir, key);
  let p = building.get(dir);
  if (!p) {
    p = build(dir, requirements, python, log, timeoutMs).finally(() => building.delete(dir));
    building.set(dir, p);
  }
  return p;
}

async function build(
  dir: string,
  requirements: string[],
  python: LocalPython,
  log: (l: string) => void,
  timeoutMs: number,
): Promise<string> {
  const exe = path.join(dir, 'bin', 'python');
  const marker = path.join(dir, '.aisetl-ready');
  if (fs.existsSync(marker)) {
    log(`using cached virtualenv ${dir}`);
    return exe;
  }
  fs.rmSync(dir, { recursive: true, force: true }); // a half-built venv from an interrupted run
  fs.mkdirSync(dir, { recursive: true });
  log(`creating virtualenv ${dir} for: ${requirements.join(', ')}`);
  // --without-pip + the host pip's --python: no ensurepip copy per venv (0.1 s instead of ~3 s)
  await run(python.exe, ['-m', 'venv', '--without-pip', dir], timeoutMs, 'python -m venv');
  const reqFile = path.join(dir, 'requirements.txt');
  fs.writeFileSync(reqFile, requirements.join('\n') + '\n');
  try {
    await run(
      python.exe,
      ['-m', 'pip', '--python', exe, 'install', '--disable-pip-version-check', '--no-input', '-q', '-r', reqFile],
      timeoutMs,
      'pip install',
    );
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `installing the ETL's dependencies (${requirements.join(', ')}) failed: ${(e as Error).message}\n` +
        'Check the package names and versions, and that pip can reach PyPI (set PIP_INDEX_URL for a mirror or proxy).',
    );
  }
  fs.writeFileSync(marker, new Date().toISOString());
  log(`virtualenv ready: ${dir}`);
  return exe;
}

/**
 * The environment in which a venv is the image's own Python: its bin first on PATH, so that a shell command's
 * `python` and `pip` are the venv's. Venvs are built without pip, so `pip`/`pip3` there are shims to the host's pip
 * aimed at the venv: a command's `pip install` lands in (or is found in) the venv, never in the host's Python.
 * Undefined when `python` is no venv of ours.
 */
export function venvEnv(
  python: string,
  host: LocalPython,
  pathVar: string | undefined,
): { PATH: string; VIRTUAL_ENV: string } | undefined {
  const bin = path.dirname(python);
  const root = path.dirname(bin);
  if (!fs.existsSync(path.join(root, 'pyvenv.cfg'))) return undefined;
  const shim = `#!/bin/sh\n${SHIM_MARK}\nexec '${host.exe}' -m pip --python '${path.join(bin, 'python')}' "$@"\n`;
  for (const name of ['pip', 'pip3']) {
    const file = path.join(bin, name);
    const now = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    if (now === shim || (now !== undefined && !now.includes(SHIM_MARK))) continue; // ours, or the venv's own pip
    const tmp = `${file}.${process.pid}.tmp`; // workers of several targets start at once: write whole, then rename
    fs.writeFileSync(tmp, shim, { mode: 0o755 });
    fs.renameSync(tmp, file);
  }
  return { PATH: [bin, pathVar].filter(Boolean).join(path.delimiter), VIRTUAL_ENV: root };
}

const SHIM_MARK = '# aisetl: the host pip, aimed at this venv';

function run(cmd: string, args: string[], timeoutMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 4 << 20 }, (err, stdout, stderr) => {
      if (!err) {
        resolve();
        return;
      }
      const tail = `${stdout}\n${stderr}`.trim().split('\n').slice(-15).join('\n');
      reject(
        new Error(
          `${what} ${err.killed ? `timed out after ${timeoutMs} ms` : `failed (exit ${err.code})`}${tail ? `:\n${tail}` : ''}`,
        ),
      );
    });
  });
}
