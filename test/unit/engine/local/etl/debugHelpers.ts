// Shared by the attach tests: POST /v1/etl/<name>/debug, a DAP client attached to one target's debugpy, the top
// frame's locals when it stops, and the processes a debug session leaves (or must not leave) behind.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startLocalCluster, type LocalCluster } from '../../../../../src/engine/local';
import type { DebugAnswer } from '../../../../../src/engine/local/etl/debug';
import { DapClient, type DapMessage } from '../../run/dapClient';
import { call } from '../helpers';

export async function setDebug(ep: string, etl: string, enable: boolean): Promise<DebugAnswer> {
  const r = await call('POST', `${ep}/v1/etl/${etl}/debug`, { json: { enable } });
  assert.equal(r.status, 200, r.body.toString());
  return JSON.parse(r.body.toString()) as DebugAnswer;
}

/** Attaches to one target's debugpy (the user's file mapped onto the worker's copy, if any), breakpoint at `line`. */
export async function attach(port: number, userFile: string, workerFile: string | undefined, line: number) {
  const dap = await DapClient.connect(port);
  await dap.request('initialize', {
    adapterID: 'debugpy',
    linesStartAt1: true,
    columnsStartAt1: true,
    pathFormat: 'path',
  });
  const attached = dap.request('attach', {
    justMyCode: true,
    pathMappings: workerFile ? [{ localRoot: userFile, remoteRoot: workerFile }] : [],
  });
  await dap.event('initialized');
  await dap.request('setBreakpoints', { source: { path: userFile }, breakpoints: [{ line }] });
  await dap.request('configurationDone');
  await attached;
  return dap;
}

/** The first stop of any of the sessions. */
export function firstStop(daps: DapClient[], ms = 60_000): Promise<{ d: DapClient; m: DapMessage }> {
  return Promise.race(daps.map((d) => d.event('stopped', ms).then((m) => ({ d, m }))));
}

export async function locals(
  dap: DapClient,
  stopped: DapMessage,
): Promise<{ line: number; file?: string; vars: Map<string, string> }> {
  const st = await dap.request('stackTrace', { threadId: stopped.body?.threadId });
  const frame = (st.body?.stackFrames as { id: number; line: number; source?: { path?: string } }[])[0];
  const scopes = await dap.request('scopes', { frameId: frame.id });
  const ref = (scopes.body?.scopes as { variablesReference: number }[])[0].variablesReference;
  const vars = (await dap.request('variables', { variablesReference: ref })).body?.variables as {
    name: string;
    value: string;
  }[];
  return { line: frame.line, file: frame.source?.path, vars: new Map(vars.map((v) => [v.name, v.value])) };
}

export function childrenOf(pid: number): number[] {
  return fs
    .readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map(Number)
    .filter((p) => {
      try {
        const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    });
}

/** The ETL's log of its first target, decoded. */
export async function etlLog(ep: string, etl: string): Promise<string> {
  const logs = await call('GET', `${ep}/v1/etl/${etl}/logs`);
  return Buffer.from((JSON.parse(logs.body.toString()) as { logs: string }[])[0].logs, 'base64').toString();
}

/** A local cluster in `dir`/data for the debugger tests (TEST_LOG=1 prints its log). */
export function startDebugCluster(dir: string, targets: number, aisVersion?: '3.29' | '5.0'): Promise<LocalCluster> {
  return startLocalCluster({
    dataDir: path.join(dir, 'data'),
    targets,
    ...(aisVersion && { aisVersion }),
    log: (l) => process.env.TEST_LOG && console.error(l),
  });
}
