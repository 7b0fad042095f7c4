// `aisetl local start|stop|status`.
import { request } from 'node:http';
import { resolve } from 'node:path';
import {
  aisProfile,
  DEFAULT_LOCAL_AIS_VERSION,
  defaultDataDir,
  LOCAL_AIS_VERSIONS,
  startLocalCluster,
  type LocalCluster,
} from '../engine/local';
import { intFlag, parseArgv, UsageError, type ParsedArgs } from './args';
import { clearState, pidAlive, readState, writeState } from '../engine/local/state';

export const LOCAL_HELP = `Usage: aisetl local <command> [options]

Commands:
  start    Start a local AIS cluster in the foreground (Ctrl-C stops it)
  stop     Stop the local cluster started by "aisetl local start"
  status   Show whether the local cluster is running and where

Run "aisetl local <command> --help" for the options of a command.`;

const START_HELP = `Usage: aisetl local start [--ais-version 5.0] [--port 8080] [--targets 2] [--data DIR] [--sample]

Starts an AIS-compatible cluster (one gateway, N targets) on 127.0.0.1 in the foreground and prints
AIS_ENDPOINT=http://127.0.0.1:PORT. ETLs run as local processes. Stop with Ctrl-C or "aisetl local stop".

Options:
  --ais-version V  the AIS release to emulate, never kinder than it: ${LOCAL_AIS_VERSIONS.join(' or ')} (default
                ${DEFAULT_LOCAL_AIS_VERSION}, the newest: runtime specs, ETL server classes, etl_fqn to containers; 3.29: the
                tutorial's code ETLs, io:// and Pod specs; AISETL_AIS_VERSION sets the default). node_status
                reports it as "<V>.aisetl-local"
  --port N      gateway port (default 8080; 0 = any free port)
  --targets N   number of storage targets (default 2)
  --data DIR    data folder (default ${defaultDataDir()}; AISETL_HOME moves ~/.aisetl)
  --sample      create the tutorial's bucket "transform" with object "shard.in" ("some text :)\\n")
  --quiet       do not print the cluster log`;
const STOP_HELP = `Usage: aisetl local stop [--data DIR]

Stops the local cluster recorded in the state file (~/.aisetl/aisetl-local.json, or DIR/aisetl-local.json).`;
const STATUS_HELP = `Usage: aisetl local status [--data DIR]

Prints the endpoint, pid and targets of the running local cluster. Exit code 0 = running, 3 = not running.`;

function getJson(url: string, timeoutMs = 3000): Promise<unknown> {
  return new Promise((res, rej) => {
    const req = request(url, { timeout: timeoutMs }, (r) => {
      const cs: Buffer[] = [];
      r.on('data', (c) => cs.push(c));
      r.on('end', () => {
        if ((r.statusCode ?? 500) >= 400) return rej(new Error(`HTTP ${r.statusCode}`));
        const t = Buffer.concat(cs).toString();
        try {
          res(t ? JSON.parse(t) : undefined);
        } catch {
          res(t);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', rej);
    req.end();
  });
}

function send(method: string, url: string, body?: string | Buffer): Promise<number> {
  return new Promise((res, rej) => {
    const req = request(
      url,
      {
        method,
        headers:
          body !== undefined ? { 'content-length': Buffer.byteLength(body), 'content-type': 'application/json' } : {},
      },
      (r) => {
        r.resume();
        r.on('end', () => {
          if ((r.statusCode === 307 || r.statusCode === 301) && r.headers.location)
            return send(method, r.headers.location, body).then(res, rej);
          res(r.statusCode ?? 0);
        });
      },
    );
    req.on('error', rej);
    req.end(body);
  });
}

async function createSample(endpoint: string): Promise<void> {
  const c = await send('POST', `${endpoint}/v1/buckets/transform`, JSON.stringify({ action: 'create-bck' }));
  if (c !== 200 && c !== 409) throw new Error(`could not create the sample bucket ais://transform (HTTP ${c})`);
  const p = await send('PUT', `${endpoint}/v1/objects/transform/shard.in`, 'some text :)\n');
  if (p !== 200) throw new Error(`could not put the sample object ais://transform/shard.in (HTTP ${p})`);
}

async function start(argv: string[]): Promise<number> {
  const a = parseArgv(argv, {
    'ais-version': { value: true },
    port: { value: true },
    targets: { value: true },
    data: { value: true },
    sample: { value: false },
    quiet: { value: false },
    help: { value: false, alias: 'h' },
  });
  if (a.flags.has('help')) {
    console.log(START_HELP);
    return 0;
  }
  if (a.positionals.length) throw new UsageError(`unexpected argument "${a.positionals[0]}"`);
  const port = intFlag(a, 'port', 8080, 0, 65535);
  const targets = intFlag(a, 'targets', 2, 1, 64);
  const dataDir = resolve(String(a.flags.get('data') ?? defaultDataDir()));
  const aisVersion = aisVersionFlag(a);
  const prev = readState(dataDir) ?? readState();
  if (prev && prev.state.pid !== process.pid && pidAlive(prev.state.pid) && prev.state.dataDir === dataDir) {
    console.error(
      `a local cluster is already running at ${prev.state.endpoint} (pid ${prev.state.pid}) with data ${dataDir}; ` +
        `run "aisetl local stop${a.flags.has('data') ? ` --data ${dataDir}` : ''}" first`,
    );
    return 1;
  }
  const quiet = a.flags.has('quiet');
  const cluster = await startLocalCluster({
    port,
    targets,
    dataDir,
    aisVersion,
    reapWorkersOnExit: true,
    log: (l) => {
      if (!quiet) console.error(`${new Date().toISOString()} ${l}`);
    },
  });
  writeState({ pid: process.pid, endpoint: cluster.endpoint, dataDir, targets, startedAt: new Date().toISOString() });
  if (a.flags.has('sample')) await createSample(cluster.endpoint);
  console.log(`AIS_ENDPOINT=${cluster.endpoint}`);
  if (!quiet)
    console.error(
      `local AIS cluster (AIS ${aisVersion}) running with ${targets} target(s); data in ${dataDir}. Press Ctrl-C to stop.`,
    );
  await stopOnSignal(cluster, dataDir, quiet);
  return 0;
}

/** --ais-version, else $AISETL_AIS_VERSION, else the newest emulated release; an unknown one is a usage error. */
function aisVersionFlag(a: ParsedArgs): string {
  const wanted = a.flags.get('ais-version') ?? (process.env.AISETL_AIS_VERSION || DEFAULT_LOCAL_AIS_VERSION);
  try {
    return aisProfile(String(wanted)).version;
  } catch (e) {
    throw new UsageError(`--ais-version: ${(e as Error).message}`);
  }
}

/** Resolves once the first SIGINT/SIGTERM has stopped the cluster and cleared its state file. */
function stopOnSignal(cluster: LocalCluster, dataDir: string, quiet: boolean): Promise<void> {
  return new Promise<void>((resolveStop) => {
    let stopping = false;
    const onSignal = (sig: string) => {
      if (stopping) return;
      stopping = true;
      if (!quiet) console.error(`${sig}: stopping the local cluster…`);
      cluster.stop().finally(() => {
        clearState(process.pid, dataDir);
        resolveStop();
      });
    };
    process.on('SIGINT', () => onSignal('SIGINT'));
    process.on('SIGTERM', () => onSignal('SIGTERM'));
  });
}

async function stop(argv: string[]): Promise<number> {
  const a = parseArgv(argv, { data: { value: true }, help: { value: false, alias: 'h' } });
  if (a.flags.has('help')) {
    console.log(STOP_HELP);
    return 0;
  }
  const dataDir = a.flags.has('data') ? resolve(String(a.flags.get('data'))) : undefined;
  const found = readState(dataDir);
  if (!found || !pidAlive(found.state.pid)) {
    if (found) clearState(found.state.pid, found.state.dataDir);
    console.log('no local cluster is running');
    return 0;
  }
  const { pid, endpoint } = found.state;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 300 && pidAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (pidAlive(pid)) {
    console.error(`the local cluster (pid ${pid}) did not stop within 30s; kill it with "kill -9 ${pid}"`);
    return 1;
  }
  clearState(pid, found.state.dataDir);
  console.log(`stopped the local cluster at ${endpoint} (pid ${pid})`);
  return 0;
}

async function status(argv: string[]): Promise<number> {
  const a = parseArgv(argv, { data: { value: true }, json: { value: false }, help: { value: false, alias: 'h' } });
  if (a.flags.has('help')) {
    console.log(STATUS_HELP);
    return 0;
  }
  const found = readState(a.flags.has('data') ? resolve(String(a.flags.get('data'))) : undefined);
  if (!found || !pidAlive(found.state.pid)) {
    console.log('not running');
    return 3;
  }
  const { state } = found;
  let smap: { tmap?: Record<string, { public_net: { direct_url: string } }> } | undefined;
  try {
    await getJson(`${state.endpoint}/v1/health`);
    smap = (await getJson(`${state.endpoint}/v1/daemon?what=smap`)) as typeof smap;
  } catch (e) {
    console.log(
      `process ${state.pid} is alive but ${state.endpoint} does not answer (${(e as Error).message}); try "aisetl local stop"`,
    );
    return 3;
  }
  const ns = (await getJson(`${state.endpoint}/v1/daemon?what=node_status`).catch(() => undefined)) as
    { ais_version?: string } | undefined;
  const aisVersion = ns?.ais_version ?? 'unknown';
  const targets = Object.entries(smap?.tmap ?? {}).map(([id, n]) => `${id} ${n.public_net.direct_url}`);
  if (a.flags.has('json')) console.log(JSON.stringify({ running: true, ...state, aisVersion, targetNodes: targets }));
  else
    console.log(
      `running\nAIS_ENDPOINT=${state.endpoint}\nais_version ${aisVersion}\npid ${state.pid}\ndata ${state.dataDir}\ntargets:\n${targets.map((t) => '  ' + t).join('\n')}`,
    );
  return 0;
}

export async function localCommand(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'start':
      return start(rest);
    case 'stop':
      return stop(rest);
    case 'status':
      return status(rest);
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      console.log(LOCAL_HELP);
      return cmd === undefined ? 2 : 0;
  }
  throw new UsageError(`unknown command "local ${cmd}"\n\n${LOCAL_HELP}`);
}
