// `npm run demo`: build, start a local AIS cluster with the tutorial's bucket and files, and open VS Code with the
// extension loaded (desktop `code` when on PATH, otherwise code-server from npm in your browser). Ctrl-C stops it all.
// flags: --smoke (start everything, check it answers, stop: used by tests), --no-editor (skip VS Code),
//        --port N (code-server port, default 18080)
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, writeFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const noEditor = args.includes('--no-editor');
// The AIS release the local cluster emulates: 5.0 (today's contract) or 3.29 (the seed tutorial verbatim, io:// included).
const aisVersion = args.includes('--ais-version') ? args[args.indexOf('--ais-version') + 1] : '5.0';
if (!['5.0', '3.29'].includes(aisVersion)) {
  console.error(`--ais-version ${aisVersion}: expecting 5.0 or 3.29`);
  process.exit(2);
}
const demoDir = process.env.AISETL_DEMO_DIR || join(root, '.demo');
const ws = join(demoDir, 'workspace');
const children = [];
const say = (m) => console.log(`[demo] ${m}`);

function stopAll() {
  for (const c of children.reverse()) {
    try {
      process.kill(-c.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
}
process.on('SIGINT', () => {
  say('stopping…');
  stopAll();
  process.exit(0);
});
process.on('SIGTERM', () => {
  stopAll();
  process.exit(0);
});

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

function startLocalCluster() {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        join(root, 'dist/cli.js'),
        'local',
        'start',
        '--port',
        '0',
        '--targets',
        '2',
        '--data',
        join(demoDir, 'data'),
        '--ais-version',
        aisVersion,
      ],
      {
        detached: true,
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, AISETL_HOME: join(demoDir, 'home') },
      },
    );
    children.push(child);
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /AIS_ENDPOINT=(\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`local cluster exited (code ${code}) before it was ready:\n${out}`)));
  });
}

async function ais(endpoint, method, path, body, headers = {}) {
  const res = await fetch(endpoint + path, { method, body, headers, redirect: 'follow' });
  if (!res.ok && res.status !== 409) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
}

async function seed(endpoint) {
  const json = { 'content-type': 'application/json' };
  await ais(endpoint, 'POST', '/v1/buckets/transform?provider=ais', JSON.stringify({ action: 'create-bck' }), json);
  await ais(endpoint, 'PUT', '/v1/objects/transform/shard.in?provider=ais', 'some text :)\n');
  for (let i = 0; i < 25; i++) {
    await ais(
      endpoint,
      'PUT',
      `/v1/objects/transform/samples/part-${String(i).padStart(3, '0')}.txt?provider=ais`,
      `sample object ${i}\n`.repeat(i + 1),
    );
  }
}

function prepareWorkspace() {
  mkdirSync(join(ws, '.vscode'), { recursive: true });
  const fixtures = join(root, 'test/fixtures/tutorial');
  if (existsSync(fixtures) && readdirSync(ws).filter((f) => f !== '.vscode').length === 0)
    cpSync(fixtures, ws, { recursive: true });
  // The demo's cluster is the extension's local cluster: same name, same data folder, so Stop/Start in VS Code keeps
  // its buckets and ETLs (a fixed `aistore.clusters` entry would go stale: every start picks a free port).
  // Worker ports are loopback-only plumbing: code-server should not offer to forward each one.
  const settings = {
    'aistore.local.name': 'local demo',
    'aistore.local.dataDir': join(demoDir, 'data'),
    'aistore.local.aisVersion': aisVersion,
    'remote.autoForwardPorts': false,
    'git.openRepositoryInParentFolders': 'never',
  };
  writeFileSync(join(ws, '.vscode/settings.json'), JSON.stringify(settings, null, 2));
}

/** code-server from the shared cache (installed on first use); its path. */
function installCodeServer() {
  const install = spawnSync('bash', ['-c', `source "${root}/scripts/code-server-install.sh" >&2 && echo "$CS"`], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (install.status !== 0) throw new Error('could not install code-server (see above)');
  return install.stdout.trim().split('\n').pop();
}

/** Starts code-server on `port` with its own settings, extensions and XDG folders under the demo folder. */
function startCodeServer(cs, port, env) {
  const state = join(demoDir, 'code-server');
  mkdirSync(join(state, 'ud/User'), { recursive: true });
  const settings = {
    'telemetry.telemetryLevel': 'off',
    'workbench.startupEditor': 'none',
    'security.workspace.trust.enabled': false,
  };
  writeFileSync(join(state, 'ud/User/settings.json'), JSON.stringify(settings));
  const flags = ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--user-data-dir', join(state, 'ud')];
  flags.push('--extensions-dir', join(state, 'exts'), '--disable-telemetry', '--disable-update-check');
  flags.push('--disable-workspace-trust', ws);
  const xdg = { XDG_CONFIG_HOME: join(state, 'xdg/config'), XDG_DATA_HOME: join(state, 'xdg/data') };
  const server = spawn(join(cs, 'node_modules/.bin/code-server'), flags, {
    env: { ...env, EXTENSIONS_GALLERY: '{}', ...xdg },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  children.push(server);
}

async function waitHealthy(base) {
  const healthy = () =>
    fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
  for (let i = 0; i < 100 && !(await healthy()); i++) await new Promise((r) => setTimeout(r, 100));
}

async function openVsCode() {
  // No AIS_ENDPOINT here: the extension finds the cluster through its data folder, also after a restart on a new port.
  const env = { ...process.env, AISETL_HOME: join(demoDir, 'home') };
  if (!smoke && spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8' }).stdout.trim()) {
    say('opening VS Code (desktop) with the extension in development mode');
    const code = spawn('code', ['--new-window', `--extensionDevelopmentPath=${root}`, ws], {
      env,
      stdio: 'inherit',
      detached: true,
    });
    children.push(code);
    return;
  }
  const cs = installCodeServer();
  const portFlag = args.indexOf('--port');
  const port = portFlag >= 0 ? Number(args[portFlag + 1]) : smoke ? await freePort() : 18080;
  startCodeServer(cs, port, env);
  const base = `http://127.0.0.1:${port}`;
  await waitHealthy(base);
  const payload = encodeURIComponent(
    JSON.stringify([['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${root}`]]),
  );
  say(`open this URL in a browser:\n\n    ${base}/?folder=${encodeURIComponent(ws)}&payload=${payload}\n`);
  return base;
}

say('building…');
if (spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' }).status !== 0) process.exit(1);
mkdirSync(ws, { recursive: true });
say(`starting the local AIS cluster (2 targets, emulating AIS ${aisVersion})…`);
const endpoint = await startLocalCluster();
await seed(endpoint);
prepareWorkspace();
say(`local cluster: AIS_ENDPOINT=${endpoint} (bucket ais://transform has shard.in and 25 samples)`);
say(`try the official CLI too: AIS_ENDPOINT=${endpoint} ais ls ais://transform`);
const base = noEditor ? undefined : await openVsCode();
if (smoke) {
  const ok = base
    ? await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    : true;
  const list = await fetch(`${endpoint}/v1/buckets?provider=ais`, { method: 'GET' }).then(
    (r) => r.status,
    () => 0,
  );
  say(`smoke: code-server ${ok ? 'up' : 'DOWN'}, cluster answered ${list}`);
  stopAll();
  process.exit(ok && list === 200 ? 0 : 1);
}
say('press Ctrl-C to stop everything');
