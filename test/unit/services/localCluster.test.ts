import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalClusterManager } from '../../../src/services/localCluster';

// Stands in for `dist/cli.js local start`: serves /v1/health and prints AIS_ENDPOINT like the real CLI.
const FAKE_CLI = `
const http = require('http');
const args = process.argv.slice(2);
if (process.env.FAKE_FAIL) { console.error('port already in use'); process.exit(3); }
const srv = http.createServer((req, res) => { res.statusCode = req.url === '/v1/health' ? 200 : 404; res.end(); });
srv.listen(0, '127.0.0.1', () => {
  console.log('args ' + args.join(' '));
  console.log('AIS_ENDPOINT=http://127.0.0.1:' + srv.address().port);
});
process.on('SIGTERM', () => srv.close(() => process.exit(0)));
`;

async function setup(t: { after(fn: () => Promise<void> | void): void }) {
  const dir = await mkdtemp(join(tmpdir(), 'localmgr-'));
  const cli = join(dir, 'cli.js');
  await writeFile(cli, FAKE_CLI);
  const lines: string[] = [];
  const make = () =>
    new LocalClusterManager({
      cliPath: cli,
      stateFile: join(dir, 'state.json'),
      dataDir: () => join(dir, 'data'),
      targets: () => 3,
      log: (l) => lines.push(l),
      nodePath: process.execPath,
      startTimeoutMs: 20_000,
    });
  const managers: LocalClusterManager[] = [];
  t.after(async () => {
    for (const m of managers) await m.stop().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });
  return {
    dir,
    lines,
    make: () => {
      const m = make();
      managers.push(m);
      return m;
    },
  };
}

test('start spawns the CLI with port 0, data dir and targets, and waits for AIS_ENDPOINT', async (t) => {
  const { dir, lines, make } = await setup(t);
  const m = make();
  const seen: (string | undefined)[] = [];
  m.onDidChange((e) => seen.push(e));
  const r = await m.start();
  assert.equal(r.reused, false);
  assert.match(r.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.ok(lines.some((l) => l === `args local start --port 0 --data ${join(dir, 'data')} --targets 3`));
  assert.deepEqual(seen, [r.endpoint]);
  const state = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8'));
  assert.equal(state.endpoint, r.endpoint);
  assert.equal(await m.stop(), true);
  assert.deepEqual(seen, [r.endpoint, undefined]);
  assert.equal(existsSync(join(dir, 'state.json')), false);
  assert.equal(await m.stop(), false);
});

test('a second manager (another window) reuses the running cluster and can stop it', async (t) => {
  const { make } = await setup(t);
  const first = await make().start();
  const other = make();
  assert.equal(await other.findRunning(), first.endpoint);
  const again = await other.start();
  assert.deepEqual(again, { endpoint: first.endpoint, reused: true });
  assert.equal(await other.stop(), true);
  const res = await fetch(`${first.endpoint}/v1/health`).then(
    () => 'up',
    () => 'down',
  );
  assert.equal(res, 'down');
});

test("a cluster started in a terminal (the CLI's state file) is found and reused", async (t) => {
  const { dir, make } = await setup(t);
  const terminal = await make().start();
  const cliState = join(dir, 'cli-state.json');
  await writeFile(
    cliState,
    JSON.stringify({
      pid: JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')).pid,
      endpoint: terminal.endpoint,
      dataDir: join(dir, 'data'),
      targets: 2,
    }),
  );
  await rm(join(dir, 'state.json'));
  const lines: string[] = [];
  const other = new LocalClusterManager({
    cliPath: '/nonexistent',
    stateFile: join(dir, 'mine.json'),
    cliStateFiles: () => [cliState],
    dataDir: () => join(dir, 'data'),
    targets: () => 2,
    log: (l) => lines.push(l),
  });
  assert.deepEqual(await other.start(), { endpoint: terminal.endpoint, reused: true });
  assert.deepEqual(lines, [], 'nothing was spawned');
});

test('a CLI that exits early fails with its output and what to do', async (t) => {
  const { make } = await setup(t);
  process.env.FAKE_FAIL = '1';
  t.after(() => {
    delete process.env.FAKE_FAIL;
  });
  await assert.rejects(
    make().start(),
    (e: Error & { hint?: string }) =>
      /exited \(code 3\) before it was ready[\s\S]*port already in use/.test(e.message) &&
      /AIStore ETL" log/.test(e.hint ?? ''),
  );
});

test('cancel while starting rejects as cancelled', async (t) => {
  const { make } = await setup(t);
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(make().start(ac.signal), /cancelled/);
});

test('one identity across Stop/Start: same name and data folder; a cluster of another folder is not reused', async (t) => {
  const { dir, make } = await setup(t);
  const m = make();
  assert.deepEqual(m.identity(), { name: 'local', dataDir: join(dir, 'data'), running: false, hasData: false });
  const first = await m.start();
  assert.deepEqual(m.identity(), { name: 'local', dataDir: join(dir, 'data'), running: true, hasData: true });
  await m.stop();
  assert.deepEqual(m.identity(), { name: 'local', dataDir: join(dir, 'data'), running: false, hasData: true });
  const again = await m.start();
  assert.equal(again.reused, false);
  assert.ok(first.endpoint);
  // A state file naming another data folder (say, a cluster the user started elsewhere) is someone else's cluster.
  await writeFile(
    join(dir, 'other.json'),
    JSON.stringify({ pid: process.pid, endpoint: again.endpoint, dataDir: join(dir, 'elsewhere') }),
  );
  const other = new LocalClusterManager({
    cliPath: '/nonexistent',
    stateFile: join(dir, 'other.json'),
    dataDir: () => join(dir, 'data'),
    targets: () => 2,
    log: () => undefined,
  });
  assert.equal(await other.findRunning(), undefined);
});
