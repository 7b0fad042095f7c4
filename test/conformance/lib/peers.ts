// Where the conformance peers are (installed by install-peers.sh) and how to start the two clusters under test:
// the real aisnode (aisnode.sh) and our local cluster (src/engine/local). A peer that is missing comes back as a
// skip reason that the tests print, never as a silent pass.
import { execFile, spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const CONFORMANCE_DIR = resolve(__dirname, '..');
export const REPO_ROOT = resolve(CONFORMANCE_DIR, '..', '..');
export const toolsDir = (): string => process.env.AISETL_TOOLS || join(homedir(), '.cache', 'aisetl-tools');

export type Peer = { path: string } | { skip: string };
export type PeerName = 'AISETL_AISNODE' | 'AISETL_AIS_CLI_50' | 'AISETL_AIS_CLI_329' | 'AISETL_SDK' | 'AISETL_SDK2';

let fromFile: Record<string, string> | undefined;
/** peers.env is written with bash's %q quoting, so let bash read it back. */
function peersEnvFile(): Record<string, string> {
  if (fromFile) return fromFile;
  fromFile = {};
  const file = join(toolsDir(), 'peers.env');
  if (!existsSync(file)) return fromFile;
  const out = spawnSync('bash', ['-c', 'set -a; source "$1"; env -0', '_', file], { encoding: 'utf8' });
  for (const kv of out.stdout.split('\0')) {
    const i = kv.indexOf('=');
    if (i > 0 && kv.startsWith('AISETL_')) fromFile[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return fromFile;
}

function lookup(key: string): string | undefined {
  return process.env[key] || peersEnvFile()[key] || undefined;
}

/** A peer's executable, or why it is not there. */
export function peer(name: PeerName): Peer {
  const pathVar = name === 'AISETL_SDK' || name === 'AISETL_SDK2' ? `${name}_PYTHON` : `${name}_BIN`;
  const path = lookup(pathVar);
  if (path && existsSync(path)) return { path };
  const skip = lookup(`${name}_SKIP`);
  if (skip) return { skip };
  return {
    skip: `${pathVar} is not set and ${join(toolsDir(), 'peers.env')} does not name it: run test/conformance/install-peers.sh`,
  };
}

export interface RunningCluster {
  endpoint: string;
  stop(): Promise<void>;
}

/** 1 proxy + 1 target of the real aisnode on loopback. */
export async function startAisnode(): Promise<RunningCluster> {
  const p = peer('AISETL_AISNODE');
  if ('skip' in p) throw new Error(`aisnode is not available: ${p.skip}`);
  const dir = mkdtempSync(join(tmpdir(), 'aisetl-aisnode-'));
  const script = join(CONFORMANCE_DIR, 'aisnode.sh');
  const env = { ...process.env, AISNODE_BIN: p.path };
  try {
    const { stdout } = await run('bash', [script, 'start', dir], { env, timeout: 120_000 });
    const endpoint = /AIS_ENDPOINT=(\S+)/.exec(stdout)?.[1];
    if (!endpoint) throw new Error(`aisnode.sh printed no AIS_ENDPOINT: ${stdout}`);
    return {
      endpoint,
      async stop() {
        await run('bash', [script, 'stop', dir], { env }).catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

interface LocalModule {
  startLocalCluster(o: {
    dataDir: string;
    port?: number;
    targets?: number;
    aisVersion?: string;
  }): Promise<{ endpoint: string; stop(): Promise<void> }>;
}

/** Why the local cluster can't be started yet (its room is built in parallel), or undefined when it can. */
export function localClusterMissing(): string | undefined {
  const entry = join(REPO_ROOT, 'src', 'engine', 'local', 'index.ts');
  if (!existsSync(entry)) return `src/engine/local/index.ts does not exist yet (local cluster not landed)`;
  return undefined;
}

/** The local cluster in this process, emulating `aisVersion` (default: its own default, the newest). */
export async function startLocal(targets = 2, aisVersion?: string): Promise<RunningCluster> {
  const missing = localClusterMissing();
  if (missing) throw new Error(missing);
  const mod = (await import(join(REPO_ROOT, 'src', 'engine', 'local', 'index.ts'))) as Partial<LocalModule>;
  if (typeof mod.startLocalCluster !== 'function')
    throw new Error('src/engine/local does not export startLocalCluster');
  const dataDir = mkdtempSync(join(tmpdir(), 'aisetl-local-'));
  try {
    const c = await mod.startLocalCluster({ dataDir, port: 0, targets, aisVersion });
    return {
      endpoint: c.endpoint,
      async stop() {
        try {
          await c.stop();
        } finally {
          rmSync(dataDir, { recursive: true, force: true });
        }
      },
    };
  } catch (e) {
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
}

type LocalStartProcess = ChildProcessByStdio<null, Readable, Readable>;

/** `aisetl local start` in its own process group, so that stopping it also stops the targets it spawned. */
function spawnLocalStart(dataDir: string, targets: number): LocalStartProcess {
  return spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(REPO_ROOT, 'src', 'cli', 'main.ts'),
      'local',
      'start',
      '--port',
      '0',
      '--targets',
      String(targets),
      '--data',
      dataDir,
      '--quiet',
    ],
    {
      cwd: REPO_ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, AISETL_HOME: dataDir },
    },
  );
}

/** SIGTERM the process group, SIGKILL it after 5 s, then remove the data folder. */
async function stopProcessGroup(child: LocalStartProcess, dataDir: string): Promise<void> {
  if (child.exitCode === null && child.pid) {
    const exited = new Promise((r) => child.once('exit', r));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, 5000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(dataDir, { recursive: true, force: true });
}

/** The endpoint the CLI prints as `AIS_ENDPOINT=…`; fails with its output if it exits or stays silent for 60 s. */
function waitForEndpoint(child: LocalStartProcess): Promise<string> {
  let out = '';
  return new Promise<string>((res, rej) => {
    const timer = setTimeout(
      () => rej(new Error(`aisetl local start printed no AIS_ENDPOINT within 60 s:\n${out}`)),
      60_000,
    );
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = /AIS_ENDPOINT=(\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        res(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.once('exit', (c) => {
      clearTimeout(timer);
      rej(new Error(`aisetl local start exited ${c}:\n${out}`));
    });
  });
}

/**
 * The local cluster in its own process, started the way a user does (`aisetl local start`), so that a benchmark
 * client in this process does not share an event loop with the gateway it measures. `prepareData` may lay out the
 * fresh data folder (also the process's AISETL_HOME) before the cluster starts.
 */
export async function startLocalProcess(targets = 1, prepareData?: (dataDir: string) => void): Promise<RunningCluster> {
  const missing = localClusterMissing();
  if (missing) throw new Error(missing);
  const dataDir = mkdtempSync(join(tmpdir(), 'aisetl-localp-'));
  try {
    prepareData?.(dataDir);
  } catch (e) {
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  const child = spawnLocalStart(dataDir, targets);
  const stop = (): Promise<void> => stopProcessGroup(child, dataDir);
  try {
    const endpoint = await waitForEndpoint(child);
    child.stdout.resume();
    child.stderr.resume();
    return { endpoint, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
