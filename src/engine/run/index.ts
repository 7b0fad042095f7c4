// Local runner: runs an ETL file on one object's bytes exactly as the ETL runtime would call it, optionally under
// debugpy, streaming the result. Nothing keeps running after the run ends or is aborted.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { harnessArgs, writeHarness } from './harness';
import { detectRunKind } from './kind';
import { startRunProcess, type RunProcess } from './process';
import { runEnv, resolvePython } from './python';
import { runServer, type PreparedRun } from './server';
import { failureFrom } from './failure';
import type { LocalRunExit, LocalRunKind, LocalRunRequest, LocalRunResult } from './types';
import { DEBUGPY_HINT, LocalRunError } from './traceback';

export type { LocalRunExit, LocalRunKind, LocalRunRequest, LocalRunResult } from './types';
export { LocalRunError, mapTraceback } from './traceback';
export { detectRunKind, definesEtlServerClass } from './kind';
export { DEBUGPY_REQUIREMENT, ensureDebugpy, hasDebugpy, debugpyRoot } from '../local/workers/debugpy';
export { freePort } from '../local/workers/ports';

/** Runs `req.file` on `req.input`; resolves once the process runs (and, when debugging, debugpy listens). */
export async function runTransformLocally(req: LocalRunRequest): Promise<LocalRunResult> {
  const file = path.resolve(req.file);
  const kind = req.kind ?? kindOf(file);
  const python = await resolvePython(req, kind, file);
  const env = await runEnv(req);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aisetl-run-'));
  const cleanup = (): void => fs.rmSync(dir, { recursive: true, force: true });
  try {
    const harness = writeHarness(dir);
    if (kind === 'server' || kind === 'etl-class') {
      return await runServer({ req, kind, file, python, env, dir, harness, cleanup });
    }
    return await runHarness({ req, kind, file, python, env, dir, harness, cleanup });
  } catch (e) {
    cleanup();
    throw e;
  }
}

function kindOf(file: string): LocalRunKind {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new LocalRunError(`cannot read ${file}: ${(e as Error).message}`, '', 'Check the path of the ETL file.');
  }
  const kind = detectRunKind(file, text);
  if (typeof kind === 'object') {
    throw new LocalRunError(kind.error, '', 'Open the ETL file itself and run it from there.');
  }
  return kind;
}

async function runHarness(r: PreparedRun): Promise<LocalRunResult> {
  const { req } = r;
  const env = { ...r.env, ...(r.kind === 'io' && req.etlArgs ? { ETL_ARGS: req.etlArgs } : {}) };
  const p = startRunProcess({
    python: r.python,
    args: harnessArgs(r.harness, r.kind, r.file, req),
    cwd: path.dirname(r.file),
    env,
    input: req.input,
    signal: req.signal,
    timeoutMs: req.timeoutMs,
    debugging: !!req.debug,
    log: req.log,
  });
  const output = new PassThrough();
  p.stdout.pipe(output);
  const exitInfo = finish(p, r);
  try {
    await p.ready;
  } catch (e) {
    await exitInfo;
    throw new LocalRunError((e as Error).message, '', DEBUGPY_HINT);
  }
  return { output, exitInfo };
}

async function finish(p: RunProcess, r: PreparedRun): Promise<LocalRunExit> {
  const { exit, stderr, stoppedBy } = await p.done;
  await p.kill(); // helpers the script may have started in its group
  r.cleanup();
  if (!stoppedBy && exit.code === 0) return { ok: true };
  const error = failureFrom({ kind: r.kind, file: r.file, exit, stderr, stoppedBy, timeoutMs: r.req.timeoutMs });
  return { ok: false, error };
}
export { findPython as localPython } from '../local/workers/python';
