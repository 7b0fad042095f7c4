// The environment a worker process sees: what a pod would get (etl-api.md §7.1) on top of the host's PATH etc.
import { delimiter } from 'node:path';
import type { LocalEtlSpec, WorkerContext } from './types';

/** Set in a debugged worker: runtimes that would fork or exec their server (uvicorn, gunicorn) keep it in-process. */
export const DEBUG_ENV = 'AISETL_DEBUG';

/** `pythonPath`: the worker's own folders (e.g. the port mapping), after the debugger's and before the user's. */
export function workerEnv(
  spec: LocalEtlSpec,
  ctx: WorkerContext,
  extra: { name: string; value: string }[] = [],
  pythonPath: string[] = [],
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' };
  for (const { name, value } of [...extra, ...spec.env]) env[name] = value;
  env.AIS_TARGET_URL = ctx.targetUrl;
  env.direct_put = String(spec.supportDirectPut);
  env.DIRECT_PUT = String(spec.supportDirectPut); // the name docs and the Python framework read (§7.1)
  // sitecustomize (first on the path) starts debugpy inside whatever Python process the worker runs, then runs
  // the next sitecustomize on the path
  const debugPath = ctx.debug?.pythonPath ?? [];
  env.PYTHONPATH = [...debugPath, ...pythonPath, env.PYTHONPATH].filter(Boolean).join(delimiter);
  if (!env.PYTHONPATH) delete env.PYTHONPATH;
  if (ctx.debug) {
    env.AISETL_DEBUGPY_LISTEN = ctx.debug.listen;
    env.PYDEVD_DISABLE_FILE_VALIDATION = '1';
    env[DEBUG_ENV] = '1';
    if (ctx.debug.sourceNames?.length) {
      env.AISETL_DEBUG_SOURCE_NAMES = ctx.debug.sourceNames.join(',');
      env.AISETL_DEBUG_SOURCE_DIR = ctx.workDir;
    }
  }
  return env;
}
