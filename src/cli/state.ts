// The state file of a running `aisetl local start`: pid + endpoint, in AISETL_HOME (so `stop`/`status` find it
// without arguments) and in the data folder (so `--data DIR` finds the cluster that owns that folder).
import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { aisetlHome } from '../engine/local';

export interface LocalState { pid: number; endpoint: string; dataDir: string; targets: number; startedAt: string }

export const STATE_FILE = 'aisetl-local.json';

export function statePaths(dataDir?: string): string[] {
  return dataDir ? [join(dataDir, STATE_FILE)] : [join(aisetlHome(), STATE_FILE)];
}

export function readState(dataDir?: string): { state: LocalState; file: string } | undefined {
  for (const file of statePaths(dataDir)) {
    if (!existsSync(file)) continue;
    try { return { state: JSON.parse(readFileSync(file, 'utf8')) as LocalState, file }; } catch { /* torn or foreign: ignore */ }
  }
  return undefined;
}

export function writeState(s: LocalState): string[] {
  const files = [join(aisetlHome(), STATE_FILE), join(s.dataDir, STATE_FILE)];
  for (const f of files) {
    mkdirSync(join(f, '..'), { recursive: true });
    writeFileSync(f, JSON.stringify(s, null, 1) + '\n');
  }
  return files;
}

/** Removes the state files that still describe process `pid` (another start may have replaced them). */
export function clearState(pid: number, dataDir: string): void {
  for (const f of [join(aisetlHome(), STATE_FILE), join(dataDir, STATE_FILE)]) {
    try {
      if ((JSON.parse(readFileSync(f, 'utf8')) as LocalState).pid === pid) rmSync(f, { force: true });
    } catch { /* gone already */ }
  }
}

/** True while `pid` runs. A zombie (exited, not yet reaped by its parent) counts as gone. */
export function pidAlive(pid: number): boolean {
  try { process.kill(pid, 0); } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (macOS): trust kill(0)
  }
}
