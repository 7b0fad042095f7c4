// Local-only extension, not AIS API: `POST /v1/etl/<name>/debug {"enable": true|false}` restarts a running ETL's
// workers with debugpy listening on one loopback port per target (a debugger attaches to each), and back. While
// enabled, obj_timeout is suspended (a stopped breakpoint would otherwise fail the object and, three objects later,
// abort the ETL). A real AIS answers this path with 4xx.
import { join } from 'node:path';
import { debugPlan, ATTACH_WORKS_FOR, type DebugPlan } from '../workers/debugPlan';
import { findPython, runtimeDir } from '../workers/python';
import { pollUntil } from '../workers/health';
import { freePort } from '../workers/ports';
import { ensureDebugpy } from '../workers/debugpy';
import { badRequest } from '../errors';
import type { ClusterContext } from '../cluster/context';
import type { LocalEtlSpec } from '../worker-contract';
import type { EtlManager, RunningEtl } from './manager';

/** obj_timeout while debugging: a day, so a breakpoint can stay stopped. */
export const DEBUG_OBJ_TIMEOUT_MS = 24 * 3600_000;
const HOST = '127.0.0.1';

export interface DebugTarget {
  target_id: string;
  host: string;
  port: number;
  /** where the worker runs its copy of the user's code (debuggers map it back to the user's file) */
  work_dir: string;
  code_file?: string;
}
export interface DebugAnswer {
  etl: string;
  enabled: boolean;
  obj_timeout_suspended: boolean;
  targets: DebugTarget[];
  note: string;
}

/** The spec each debugged ETL had before (keyed by the running instance: a restarted ETL starts undebugged). */
const originals = new WeakMap<RunningEtl, { spec: LocalEtlSpec; targets: DebugTarget[] }>();

export async function setEtlDebug(
  ctx: ClusterContext,
  etls: EtlManager,
  name: string,
  enable: boolean,
): Promise<DebugAnswer> {
  const rt = etls.runningEtl(name);
  if (!rt && !enable) return answer(name, false, []); // stopped meanwhile: its next start is undebugged anyway
  if (!rt) throw badRequest(`etl job ${name} is not running: start it before debugging it`);
  const was = originals.get(rt);
  if (enable && was) return answer(name, true, was.targets);
  if (!enable) {
    if (!was) return answer(name, false, []);
    originals.delete(rt);
    await etls.restartWorkers(name, was.spec, () => ({}), ['debugging ended: normal workers, obj_timeout restored']);
    return answer(name, false, []);
  }
  const plan = debugPlan(rt.spec);
  if (!plan.ok) throw badRequest(plan.problem);
  return enableDebug(ctx, etls, rt, plan);
}

async function enableDebug(
  ctx: ClusterContext,
  etls: EtlManager,
  rt: RunningEtl,
  plan: Extract<DebugPlan, { ok: true }>,
): Promise<DebugAnswer> {
  const debugpy = await ensureDebugpy((await findPython()).exe, { log: (l) => ctx.log(`etl ${rt.name}: ${l}`) });
  // its sitecustomize starts debugpy, then runs the next one on the path (e.g. the container port mapping)
  const site = join(runtimeDir(), 'debug_site');
  const ports = new Map<string, number>();
  for (const t of ctx.targets) ports.set(t.id, await freePort(HOST));
  const original = rt.spec;
  const spec: LocalEtlSpec = { ...original, objTimeoutMs: DEBUG_OBJ_TIMEOUT_MS };
  const note =
    `debugging (${plan.kind}): workers run under debugpy; ` +
    `obj_timeout (${original.objTimeoutMs / 1000}s) is suspended until the debugger detaches`;
  await etls.restartWorkers(
    rt.name,
    spec,
    (id) => ({
      debug: { listen: `${HOST}:${ports.get(id)}`, pythonPath: [site, debugpy], sourceNames: plan.sourceNames },
    }),
    [note],
  );
  const targets = ctx.targets.map((t): DebugTarget => {
    const workDir = join(ctx.dataDir, '.etl', rt.name, t.id);
    return {
      target_id: t.id,
      host: HOST,
      port: ports.get(t.id) as number,
      work_dir: workDir,
      ...(plan.codeFile && { code_file: join(workDir, plan.codeFile) }),
    };
  });
  if (!(await debugpyListening(etls, rt.name, targets))) {
    await etls.restartWorkers(rt.name, original, () => ({}), ['debugging failed: normal workers restored']);
    throw badRequest(
      `the workers of ETL ${rt.name} did not start debugpy (is its command a Python program?); ` +
        `the ETL runs normally again; ${ATTACH_WORKS_FOR}; use "Debug ETL on this object" instead`,
    );
  }
  const now = etls.runningEtl(rt.name);
  if (now) originals.set(now, { spec: original, targets });
  return answer(rt.name, true, targets);
}

/** How long a restarted worker's "debugpy listening" line may take to reach us after the worker is ready. */
const LISTEN_LOG_WAIT_MS = 10_000;

/**
 * Whether every target's worker logged that debugpy listens on its port. debugpy.listen() returns once its adapter
 * listens, before the worker could answer its health check, but the worker's stderr may arrive after that answer,
 * so the log is watched for a while (a TCP probe would take the adapter's single client slot). A worker that logged
 * it could not listen ends the wait at once.
 */
async function debugpyListening(etls: EtlManager, name: string, targets: DebugTarget[]): Promise<boolean> {
  const logs = (t: DebugTarget) => etls.runningEtl(name)?.workers.get(t.target_id)?.logs() ?? '';
  const said = (what: string) => targets.map((t) => logs(t).includes(`debugpy ${what} ${HOST}:${t.port}`));
  const deadline = Date.now() + LISTEN_LOG_WAIT_MS;
  try {
    await pollUntil(
      async () => !said('listening on').includes(false),
      () => Date.now() > deadline || said('could not listen on').includes(true),
    );
    return true;
  } catch {
    return false;
  }
}

function answer(etl: string, enabled: boolean, targets: DebugTarget[]): DebugAnswer {
  const note = enabled
    ? `ETL ${etl} runs under debugpy on ${targets.length} target(s); obj_timeout is suspended until debugging ends`
    : `ETL ${etl} runs normal workers`;
  return { etl, enabled, obj_timeout_suspended: enabled, targets, note };
}

/** The gateway's `POST /v1/etl/<name>/debug` with body `{"enable": true|false}`. */
export function etlDebugRequest(
  ctx: ClusterContext,
  etls: EtlManager,
  name: string,
  body: unknown,
): Promise<DebugAnswer> {
  etls.entry(name);
  const enable = typeof body === 'object' && body !== null && 'enable' in body ? body.enable : undefined;
  if (typeof enable !== 'boolean') throw badRequest('debug: send {"enable": true} or {"enable": false}');
  return setEtlDebug(ctx, etls, name, enable);
}
