// Which interpreter runs a local transform, and its environment (debugpy on PYTHONPATH when debugging).
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findPython } from '../local/workers/python';
import { AISTORE_SDK_VERSION } from '../local/workers/runtimePython';
import { defaultVenvCache, ensureVenv } from '../local/workers/venv';
import { ensureDebugpy } from '../local/workers/debugpy';
import type { LocalRunKind, LocalRunRequest } from './types';

const VENV_TIMEOUT_MS = 600_000;

/** Requirements a run needs beyond the user's interpreter: the SDK for ETLServer classes and SDK servers. */
export function runRequirements(kind: LocalRunKind, text: string): string[] {
  if (kind !== 'etl-class' && !/\b(?:import|from)\s+aistore\b/.test(text)) return [];
  const web = /\b(?:FastAPIServer|FlaskServer|fastapi|flask)\b/.test(text);
  return [`aistore${web ? '[etl]' : ''}==${AISTORE_SDK_VERSION}`];
}

/** req.python, else the local Python; a managed venv (built once) when the file needs the aistore SDK. */
export async function resolvePython(req: LocalRunRequest, kind: LocalRunKind, file: string): Promise<string> {
  if (req.python) return req.python;
  const local = await findPython();
  const text = file.endsWith('.py') ? fs.readFileSync(file, 'utf8') : '';
  const reqs = runRequirements(kind, text);
  if (reqs.length === 0 || (await canImport(local.exe, 'aistore.sdk.etl.webserver'))) return local.exe;
  return ensureVenv(reqs, local, defaultVenvCache(''), req.log ?? (() => undefined), VENV_TIMEOUT_MS);
}

function canImport(python: string, mod: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(python, ['-c', `import ${mod}`], { timeout: 20_000 }, (err) => resolve(!err));
  });
}

/** The process environment: unbuffered Python, and debugpy (installed on first use) first on PYTHONPATH. */
export async function runEnv(req: LocalRunRequest): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' };
  if (!req.debug) return env;
  // Installed with the interpreter that has pip: the user's, or the local Python that managed venvs are built from.
  const dir = await ensureDebugpy(req.python ?? (await findPython()).exe, { log: req.log });
  env.PYTHONPATH = [dir, env.PYTHONPATH].filter(Boolean).join(path.delimiter);
  env.PYDEVD_DISABLE_FILE_VALIDATION = '1';
  return env;
}
