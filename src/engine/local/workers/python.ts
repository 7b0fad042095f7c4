// Finding the local Python 3 and our runtime sources, in both layouts: src/ under tsx and the dist/ bundle.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface LocalPython {
  exe: string;
  version: string; /* "3.11" */
}

let cached: Promise<LocalPython> | undefined;

/** The real interpreter behind `python3` (resolving pyenv shims once saves ~50 ms per io:// object). */
export function findPython(): Promise<LocalPython> {
  cached ??= probe(process.env.AISETL_PYTHON || 'python3').catch((e: unknown) => {
    cached = undefined;
    throw e;
  });
  return cached;
}

function probe(candidate: string): Promise<LocalPython> {
  return new Promise((resolve, reject) => {
    execFile(
      candidate,
      ['-c', 'import sys;print(sys.executable);print("%d.%d"%sys.version_info[:2])'],
      { timeout: 20000 },
      (err, stdout) => {
        const [exe, version] = stdout.trim().split('\n');
        if (err || !exe || !version) {
          reject(
            new Error(
              `Python 3 is required to run ETLs on the local cluster, but "${candidate}" could not be run` +
                `${err ? ` (${err.message.split('\n')[0]})` : ''}. Install Python 3.9+ and put python3 on PATH, or set AISETL_PYTHON to its path.`,
            ),
          );
          return;
        }
        resolve({ exe, version });
      },
    );
  });
}

const byVersion = new Map<string, Promise<LocalPython>>();

/** Candidate interpreters for Python X.Y: AISETL_PYTHON_X_Y, pythonX.Y on PATH, pyenv and uv installs, /usr. */
function versionCandidates(version: string): string[] {
  const home = process.env.HOME ?? '';
  const out = [process.env[`AISETL_PYTHON_${version.replace('.', '_')}`] ?? '', `python${version}`];
  const roots: [string, RegExp][] = [
    [
      path.join(process.env.PYENV_ROOT || path.join(home, '.pyenv'), 'versions'),
      new RegExp(`^${version.replace('.', '\\.')}(\\.\\d+)?$`),
    ],
    [path.join(home, '.local', 'share', 'uv', 'python'), new RegExp(`^cpython-${version.replace('.', '\\.')}\\.`)],
  ];
  for (const [root, re] of roots) {
    let names: string[] = [];
    try {
      names = fs
        .readdirSync(root)
        .filter((n) => re.test(n))
        .sort()
        .reverse();
    } catch {
      /* not installed */
    }
    for (const n of names) out.push(path.join(root, n, 'bin', `python${version}`));
  }
  out.push(`/usr/local/bin/python${version}`, `/usr/bin/python${version}`);
  return out.filter(Boolean);
}

/** An interpreter of exactly Python X.Y (cloudpickle payloads only load in the version that made them). */
export function findPythonVersion(version: string): Promise<LocalPython> {
  let p = byVersion.get(version);
  if (!p) {
    p = (async () => {
      for (const c of versionCandidates(version)) {
        const found = await probe(c).catch(() => undefined);
        if (found?.version === version) return found;
      }
      throw new Error(`no Python ${version} found on this machine`);
    })();
    p.catch(() => byVersion.delete(version));
    byVersion.set(version, p);
  }
  return p;
}

/** The folder holding runtime_server.py: dist/python next to the bundle, or src/engine/local/python. */
export function runtimeDir(): string {
  const candidates = [path.join(__dirname, 'python'), path.resolve(__dirname, '../python')];
  const found = candidates.find((d) => fs.existsSync(path.join(d, 'runtime_server.py')));
  if (!found)
    throw new Error(
      `aisetl's Python runtime is missing (looked in ${candidates.join(', ')}); reinstall the extension or rebuild (npm run build).`,
    );
  return found;
}

/** `python3.11v2` → "3.11"; undefined when the runtime names no version. */
export function runtimeVersion(runtime: string): string | undefined {
  return /python(\d+\.\d+)/.exec(runtime)?.[1];
}

/** A one-line note when the ETL asks for another Python than the local one. */
export function versionNote(runtime: string, local: LocalPython): string | undefined {
  const wanted = runtimeVersion(runtime);
  if (!wanted || wanted === local.version) return undefined;
  return `note: runtime ${runtime} asks for Python ${wanted}; the local cluster runs it with the local Python ${local.version} (${local.exe})`;
}
