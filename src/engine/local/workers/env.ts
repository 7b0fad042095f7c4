// The environment a worker process sees: what a pod would get (etl-api.md §7.1) on top of the host's PATH etc.
import { delimiter } from 'node:path';
import type { LocalEtlSpec, WorkerContext } from './types';

export function workerEnv(
  spec: LocalEtlSpec,
  ctx: WorkerContext,
  extra: { name: string; value: string }[] = [],
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' };
  for (const { name, value } of [...extra, ...spec.env]) env[name] = value;
  env.AIS_TARGET_URL = ctx.targetUrl;
  env.direct_put = String(spec.supportDirectPut);
  env.DIRECT_PUT = String(spec.supportDirectPut); // the name docs and the Python framework read (§7.1)
  if (ctx.debug) {
    // sitecustomize (first on the path) starts debugpy inside whatever Python process the worker runs
    env.PYTHONPATH = [...ctx.debug.pythonPath, env.PYTHONPATH].filter(Boolean).join(delimiter);
    env.AISETL_DEBUGPY_LISTEN = ctx.debug.listen;
    env.PYDEVD_DISABLE_FILE_VALIDATION = '1';
  }
  return env;
}
