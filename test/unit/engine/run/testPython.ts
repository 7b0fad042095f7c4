// What the local-runner and debugger tests need from PyPI (debugpy, and the aistore SDK venv for ETLServer classes),
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

/** The cache the tests and the install step share (debugpy and venvs are built once per machine). */
export const TEST_PYTHON_HOME = path.join(os.homedir(), '.cache', 'aisetl-run-test');
const STATUS = path.join(TEST_PYTHON_HOME, 'install-status.json');
/** An ETLServer class importing the SDK's stdlib server: what the class tests run. */
const SDK_CLASS_TEXT = 'from aistore.sdk.etl.webserver.http_multi_threaded_server import HTTPMultiThreadedServer\n';

export type Prereq = 'debugpy' | 'sdk';
interface Status {
  python?: string;
  debugpy?: string;
  sdk?: string;
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
  } catch (e) {
    status.errors.debugpy = status.errors.sdk = (e as Error).message;
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
  const ok = status.sdk && fs.existsSync(path.join(path.dirname(path.dirname(status.sdk)), '.aisetl-ready'));
  return ok ? undefined : 'the aistore SDK venv is not in the test cache: run the install step again';
}
