// Where a running local cluster is written down: ~/.aisetl (AISETL_HOME overrides) and the data folder each hold a
// state file with its pid and endpoint, so `aisetl local stop/status`, another terminal and the extension all find the
// same cluster. Plain Node (no cluster code), so the extension can read it at activation without loading the cluster.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface LocalState {
  pid: number;
  endpoint: string;
  dataDir: string;
  targets?: number;
  startedAt?: string;
}

export const STATE_FILE = 'aisetl-local.json';

/** ~/.aisetl (AISETL_HOME overrides): where the CLI keeps its state file and the default data folder. */
export function aisetlHome(): string {
  return process.env.AISETL_HOME || join(homedir(), '.aisetl');
}

/** The state file in `dataDir` when given (the cluster that owns that folder), else the one in aisetlHome(). */
export function statePaths(dataDir?: string): string[] {
  return dataDir ? [join(dataDir, STATE_FILE)] : [join(aisetlHome(), STATE_FILE)];
}

/** Both places a cluster started for `dataDir` is written down, the data folder first. */
export function stateFilesFor(dataDir: string): string[] {
  return [join(dataDir, STATE_FILE), join(aisetlHome(), STATE_FILE)];
}

/** The state in `file`, or undefined when it is missing, torn or not ours. */
export function readStateFile(file: string): LocalState | undefined {
  try {
    const st = JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalState>;
    const ok = typeof st.pid === 'number' && typeof st.endpoint === 'string' && typeof st.dataDir === 'string';
    return ok
      ? { ...st, pid: st.pid as number, endpoint: st.endpoint as string, dataDir: st.dataDir as string }
      : undefined;
  } catch {
    return undefined;
  }
}

export function readState(dataDir?: string): { state: LocalState; file: string } | undefined {
  for (const file of statePaths(dataDir)) {
    const state = existsSync(file) ? readStateFile(file) : undefined;
    if (state) return { state, file };
  }
  return undefined;
}

export function writeState(s: LocalState): string[] {
  const files = [join(aisetlHome(), STATE_FILE), join(s.dataDir, STATE_FILE)];
  for (const f of files) writeStateFile(f, s);
  return files;
}

export function writeStateFile(file: string, s: LocalState): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, JSON.stringify(s, null, 1) + '\n');
}

/** Removes the state files that still describe process `pid` (another start may have replaced them). */
export function clearState(pid: number, dataDir: string): void {
  for (const f of [join(aisetlHome(), STATE_FILE), join(dataDir, STATE_FILE)]) {
    if (readStateFile(f)?.pid === pid) rmSync(f, { force: true });
  }
}

/** True while `pid` runs. A zombie (exited, not yet reaped by its parent) counts as gone. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (macOS): trust kill(0)
  }
}
