// A venv with the official SDK (`aistore[etl]` from PyPI) in a test cache dir, made once and reused; tests that
// need it skip with the reason when Python or PyPI is not reachable.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const SDK_VERSION = '2.0.0';

export function testCacheDir(): string {
  return process.env.AISETL_TEST_CACHE || join(homedir(), '.cache', 'aisetl-test');
}

function venvPython(dir: string): string {
  return process.platform === 'win32' ? join(dir, 'Scripts', 'python.exe') : join(dir, 'bin', 'python');
}

function hasSdk(python: string, version: string): boolean {
  const r = spawnSync(
    python,
    [
      '-c',
      'from importlib.metadata import version; import aistore.sdk.etl.etl, cloudpickle; print(version("aistore"))',
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  return r.status === 0 && r.stdout.trim() === version;
}

/** The venv's interpreter, or why there is none. */
export function ensureSdkVenv(version = SDK_VERSION): { python: string } | { skip: string } {
  const dir = join(testCacheDir(), `sdk-${version}`);
  const python = venvPython(dir);
  if (existsSync(python) && hasSdk(python, version)) return { python };
  const base = process.env.AISETL_PYTHON || 'python3';
  mkdirSync(testCacheDir(), { recursive: true });
  rmSync(dir, { recursive: true, force: true });
  const venv = spawnSync(base, ['-m', 'venv', dir], { encoding: 'utf8', timeout: 120_000 });
  if (venv.status !== 0)
    return {
      skip: `cannot create a venv with ${base}: ${(venv.stderr || venv.error?.message || '').trim().split('\n').pop()}`,
    };
  const pip = spawnSync(python, ['-m', 'pip', 'install', '--quiet', `aistore[etl]==${version}`], {
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (pip.status !== 0 || !hasSdk(python, version)) {
    rmSync(dir, { recursive: true, force: true });
    return {
      skip:
        `PyPI unreachable or aistore[etl]==${version} not installable: ` +
        `${(pip.stderr || pip.error?.message || '').trim().split('\n').pop()}`,
    };
  }
  return { python };
}
