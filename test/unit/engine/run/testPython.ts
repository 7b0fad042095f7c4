// What the local-runner and debugger tests need from PyPI (debugpy, the aistore SDK venv for ETLServer classes, and
// the venv of a code.py with a dependency as the extension deploys it to AIS 5.0),
// installed by an explicit step before the unit tests (scripts/install-test-python.mjs), into a per-user cache.
// The tests themselves only check that the step succeeded and skip with its reason otherwise: they reach loopback
// only.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findPython } from '../../../../src/engine/local/workers/python';
import { defaultVenvCache, ensureVenv } from '../../../../src/engine/local/workers/venv';
import { debugpyDir, ensureDebugpy, hasDebugpy } from '../../../../src/engine/local/workers/debugpy';
import { runRequirements } from '../../../../src/engine/run/python';
import { runtimePythonRequirements } from '../../../../src/engine/local/workers/runtimePython';
import { buildInitMessage, parseEtlFile, type BuiltInit } from '../../../../src/engine/etl';
import { etlCluster } from '../etl/helpers';

/** The cache the tests and the install step share (debugpy and venvs are built once per machine). */
export const TEST_PYTHON_HOME = path.join(os.homedir(), '.cache', 'aisetl-run-test');
const STATUS = path.join(TEST_PYTHON_HOME, 'install-status.json');
/** An ETLServer class importing the SDK's stdlib server: what the class tests run. */
const SDK_CLASS_TEXT = 'from aistore.sdk.etl.webserver.http_multi_threaded_server import HTTPMultiThreadedServer\n';

/** The tutorial's code.py with a dependency (imported at the top: the worker fails to start without it). */
export const DEPS_CODE = `import hashlib

import humanize


def transform(input_bytes):
    md5 = hashlib.md5()
    md5.update(input_bytes)
    return md5.hexdigest().encode()
`;
export const DEPS_CODE_BREAK_LINE = 7;

/** DEPS_CODE (in \`file\`) with the dependency humanize, as the extension deploys it to a local AIS 5.0. */
export function depsCodeInit(file: string, name: string, commType: 'hpush://' | 'hpull://' = 'hpush://'): BuiltInit {
  const def = parseEtlFile(file, DEPS_CODE).definitions[0];
  return buildInitMessage(def, { name, commType, dependencies: 'humanize\n' }, etlCluster({ local: true }));
}

export type Prereq = 'debugpy' | 'sdk' | 'deps';
type EnvVar = { name: string; value: string };
interface Status {
  python?: string;
  debugpy?: string;
  sdk?: string;
  deps?: string;
  errors: Partial<Record<Prereq, string>>;
}

/** Points the engine at the shared cache (call before any run). */
export function useSharedPythonCache(): void {
  process.env.AISETL_HOME ??= TEST_PYTHON_HOME;
  process.env.AISETL_DEBUGPY_DIR ??= path.join(TEST_PYTHON_HOME, 'debugpy');
}

/** The install step: idempotent (cached folders are reused), records what worked and why not. */
export async function installTestPython(log: (l: string) => void): Promise<Status> {
  useSharedPythonCache();
  const status: Status = { errors: {} };
  try {
    const py = await findPython();
    status.python = py.exe;
    await ensureDebugpy(py.exe, { log }).then(
      (d) => {
        status.debugpy = d;
      },
      (e: Error) => {
        status.errors.debugpy = e.message;
      },
    );
    const reqs = runRequirements('etl-class', SDK_CLASS_TEXT);
    await ensureVenv(reqs, py, defaultVenvCache(''), log, 600_000).then(
      (exe) => {
        status.sdk = exe;
      },
      (e: Error) => {
        status.errors.sdk = e.message;
      },
    );
    await Promise.resolve()
      .then(() => {
        const rt = (depsCodeInit('code.py', 'deps-code').body as { runtime: { command: string[]; env: EnvVar[] } })
          .runtime;
        return ensureVenv(runtimePythonRequirements(rt.command, rt.env), py, defaultVenvCache(''), log, 600_000);
      })
      .then(
        (exe) => {
          status.deps = exe;
        },
        (e: Error) => {
          status.errors.deps = e.message;
        },
      );
  } catch (e) {
    status.errors.debugpy = status.errors.sdk = status.errors.deps = (e as Error).message;
  }
  fs.mkdirSync(TEST_PYTHON_HOME, { recursive: true });
  fs.writeFileSync(STATUS, JSON.stringify(status, null, 2));
  return status;
}

/** Why a test needing `what` must skip (printed once), or undefined when the install step provided it. */
export function prereqSkip(what: Prereq): string | undefined {
  useSharedPythonCache();
  const why = prereqProblem(what);
  if (why && !printed.has(what)) {
    printed.add(what);
    console.log(`# skipping tests that need ${what}: ${why}`);
  }
  return why;
}
const printed = new Set<Prereq>();

function prereqProblem(what: Prereq): string | undefined {
  let status: Status;
  try {
    status = JSON.parse(fs.readFileSync(STATUS, 'utf8')) as Status;
  } catch {
    return 'the install step has not run: run "node --import tsx scripts/install-test-python.mjs" (npm run test:unit does)';
  }
  if (status.errors[what]) return `the install step failed: ${status.errors[what]}`;
  if (what === 'debugpy') {
    const ok = status.python && hasDebugpy(status.python) && status.debugpy === debugpyDir(status.python);
    return ok ? undefined : 'debugpy is not in the test cache: run the install step again';
  }
  const venv = what === 'sdk' ? status.sdk : status.deps;
  const ok = venv && fs.existsSync(path.join(path.dirname(path.dirname(venv)), '.aisetl-ready'));
  return ok
    ? undefined
    : `the ${what === 'sdk' ? 'aistore SDK' : 'code.py dependencies'} venv is not in the test cache: run the install step again`;
}
