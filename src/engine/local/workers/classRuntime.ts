// ETLServer classes shipped by `Etl.init_class` (SDK ≥1.15): image `aistorage/runtime_python:<X.Y>` with the class
// cloudpickled into env ETL_CLASS_PAYLOAD. Locally: a Python of exactly X.Y (pickles are version-bound), a cached venv
// with the SDK's `aistore[etl]` and PACKAGES, and the SDK's own web servers (python/aisetl_class_bootstrap.py).
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import type { LocalPython } from './python';
import { findPython, findPythonVersion, runtimeDir } from './python';
import { ensureVenv } from './venv';

export const CLASS_PAYLOAD_ENV = 'ETL_CLASS_PAYLOAD';
type Env = { name: string; value: string }[];

const envValue = (env: Env, name: string): string | undefined => [...env].reverse().find((e) => e.name === name)?.value;
const csv = (v: string | undefined): string[] =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function hasClassPayload(env: Env): boolean {
  return !!envValue(env, CLASS_PAYLOAD_ENV);
}

/**
 * What stands in for the runtime image's entrypoint: the bootstrap that unpickles the payload and serves it with
 * the SDK's web servers ("python" is the class interpreter; runtimeDir() must be on PYTHONPATH for its workers).
 */
export function classBootstrapArgv(): string[] {
  return ['python', path.join(runtimeDir(), 'aisetl_class_bootstrap.py')];
}

/** `aistorage/runtime_python:3.11` → "3.11"; undefined for tags that name no Python version. */
export function runtimePythonVersion(image: string): string | undefined {
  return /:(\d+\.\d+)(?:$|[^\d])/.exec(image)?.[1];
}

/** The SDK the image would carry (`aistore[etl]>=1.24`, i.e. the newest one that installs on that Python). */
export function sdkVersionFor(pythonVersion: string): string {
  const [maj, min] = pythonVersion.split('.').map(Number);
  return maj > 3 || (maj === 3 && min >= 10) ? '2.0.0' : '1.25.0';
}

export function classRequirements(env: Env, pythonVersion: string): string[] {
  return [`aistore[etl]==${sdkVersionFor(pythonVersion)}`, ...csv(envValue(env, 'PACKAGES'))];
}

function commandExists(cmd: string): Promise<boolean> {
  return new Promise((resolve) => execFile('sh', ['-c', 'command -v "$0"', cmd], (err) => resolve(!err)));
}

/** OS_PACKAGES are Alpine (apk) packages the image installs; locally only what is already present can work. */
export async function osPackagesProblem(name: string, env: Env): Promise<string | undefined> {
  const pkgs = csv(envValue(env, 'OS_PACKAGES'));
  const missing: string[] = [];
  for (const p of pkgs) if (!(await commandExists(p))) missing.push(p);
  if (missing.length === 0) return undefined;
  return (
    `ETL "${name}": OS_PACKAGES asks for ${pkgs.join(', ')} (Alpine apk packages the runtime image installs at start); ` +
    `the local cluster runs the class as a local process and cannot install OS packages, and ${missing.join(', ')} ` +
    `${missing.length === 1 ? 'is' : 'are'} not on this machine. Install ${missing.length === 1 ? 'it' : 'them'} with your ` +
    "system's package manager (then OS_PACKAGES is only checked), or test this ETL on a real cluster."
  );
}

/** Python X.Y for a payload from image :X.Y, or an error naming both versions and how to get the right one. */
export async function classPython(name: string, image: string): Promise<LocalPython> {
  const wanted = runtimePythonVersion(image);
  if (!wanted) return findPython();
  try {
    return await findPythonVersion(wanted);
  } catch {
    const local = await findPython().catch(() => undefined);
    throw new Error(
      `ETL "${name}": image ${image} runs the ETL class with Python ${wanted} (init_class picks the image from ` +
        `the client's Python, and the cloudpickled class only loads in that version), but no Python ${wanted} was found ` +
        `here${local ? ` (the local Python is ${local.version}, ${local.exe})` : ''}. Install Python ${wanted} ` +
        `(e.g. "pyenv install ${wanted}" or "uv python install ${wanted}") or set AISETL_PYTHON_${wanted.replace('.', '_')} ` +
        `to its path; or deploy from a Python ${local?.version ?? 'X.Y'} client.`,
    );
  }
}

export interface ClassRuntimeOptions {
  name: string;
  image: string;
  env: Env;
  venvCache: string;
  log(l: string): void;
  timeoutMs: number;
}

/** The interpreter (a cached venv with the SDK and PACKAGES) that runs the bootstrap. */
export async function classInterpreter(o: ClassRuntimeOptions): Promise<string> {
  const problem = await osPackagesProblem(o.name, o.env);
  if (problem) throw new Error(problem);
  const py = await classPython(o.name, o.image);
  const reqs = classRequirements(o.env, py.version);
  o.log(`ETL class from ${CLASS_PAYLOAD_ENV}: Python ${py.version}, ${reqs.join(', ')}`);
  return ensureVenv(reqs, py, o.venvCache, o.log, o.timeoutMs);
}
