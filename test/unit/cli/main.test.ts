// `aisetl` as a child process: local start/status/stop with a state file, --help per command, build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = [join(ROOT, 'src', 'cli', 'main.ts')];
const NODE_ARGS = ['--import', 'tsx'];

function aisetl(args: string[], env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, [...NODE_ARGS, ...CLI, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    cwd: ROOT,
  });
}

function tmp(t: { after(fn: () => void): void }): string {
  const d = mkdtempSync(join(tmpdir(), 'aisetl-cli-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

test('--help works for every command and unknown commands fail with usage', (t) => {
  const home = tmp(t);
  for (const args of [
    ['--help'],
    ['local', '--help'],
    ['local', 'start', '--help'],
    ['local', 'stop', '--help'],
    ['local', 'status', '--help'],
    ['build', '--help'],
  ]) {
    const r = aisetl(args, { AISETL_HOME: home });
    assert.equal(r.status, 0, args.join(' ') + r.stderr);
    assert.match(r.stdout, /Usage: aisetl/);
  }
  const bad = aisetl(['frobnicate'], { AISETL_HOME: home });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown command "frobnicate"/);
  const badFlag = aisetl(['local', 'start', '--targets', 'zero'], { AISETL_HOME: home });
  assert.equal(badFlag.status, 2);
  assert.match(badFlag.stderr, /--targets must be an integer/);
});

test('local start prints AIS_ENDPOINT and writes a state file; status sees it; stop ends it cleanly', async (t) => {
  const home = tmp(t);
  const data = join(home, 'data');
  const child = spawn(
    process.execPath,
    [...NODE_ARGS, ...CLI, 'local', 'start', '--port', '0', '--data', data, '--sample'],
    {
      env: { ...process.env, AISETL_HOME: home },
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  const endpoint = await new Promise<string>((res, rej) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /AIS_ENDPOINT=(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) res(m[1]);
    });
    void exited.then((c) => rej(new Error(`aisetl exited early (${c}): ${stderr}`)));
  });
  const state = JSON.parse(readFileSync(join(home, 'aisetl-local.json'), 'utf8'));
  assert.equal(state.pid, child.pid);
  assert.equal(state.endpoint, endpoint);
  assert.ok(existsSync(join(data, 'aisetl-local.json')));
  const shard = await request(`${endpoint}/v1/objects/transform/shard.in`, {
    method: 'GET',
    maxRedirections: undefined,
  } as never);
  const loc = String(shard.headers.location ?? '');
  await shard.body.dump();
  const obj = await request(loc || `${endpoint}/v1/objects/transform/shard.in`);
  assert.equal(await obj.body.text(), 'some text :)\n');
  const st = aisetl(['local', 'status'], { AISETL_HOME: home });
  assert.equal(st.status, 0, st.stderr);
  assert.match(st.stdout, new RegExp(`AIS_ENDPOINT=${endpoint}`));
  const again = aisetl(['local', 'start', '--port', '0', '--data', data], { AISETL_HOME: home });
  assert.equal(again.status, 1);
  assert.match(again.stderr, /already running/);
  assert.ok(again.stderr.includes(`run "aisetl local stop --data ${data}" first`), again.stderr);
  const stop = aisetl(['local', 'stop'], { AISETL_HOME: home });
  assert.equal(stop.status, 0, stop.stderr + '\n--- cluster stderr:\n' + stderr);
  assert.match(stop.stdout, /stopped the local cluster/);
  assert.equal(await exited, 0);
  assert.equal(existsSync(join(home, 'aisetl-local.json')), false);
  const after = aisetl(['local', 'status'], { AISETL_HOME: home });
  assert.equal(after.status, 3);
  assert.match(after.stdout, /not running/);
});

test('build -t IMAGE DIR records a local image', (t) => {
  const home = tmp(t);
  const dir = join(home, 'ctx');
  mkdirSync(dir);
  writeFileSync(join(dir, 'server.py'), 'print("hi")\n');
  writeFileSync(
    join(dir, 'Dockerfile'),
    'FROM python:3.8.5-alpine3.11\nRUN mkdir /code\nWORKDIR /code\nCOPY server.py server.py\nEXPOSE 80\nENTRYPOINT [ "/code/server.py", "--listen", "0.0.0.0", "--port", "80" ]\n',
  );
  const r = aisetl(['build', '-t', 'docker.io/aistore/md5_server:v1', dir], { AISETL_HOME: home });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /built .*md5_server:v1/);
  assert.equal(r.stderr, '', 'RUN mkdir is mapped: nothing to warn about');
  writeFileSync(join(dir, 'Dockerfile'), 'FROM python:3.11\nRUN pip install humanize\nCOPY server.py /code/\n');
  const withRun = aisetl(['build', '-t', 'with-run:v1', dir], { AISETL_HOME: home });
  assert.equal(withRun.status, 0, withRun.stderr);
  assert.match(withRun.stderr, /^warning: .*RUN pip install humanize — not executed locally/m);
  const missing = aisetl(['build', dir], { AISETL_HOME: home });
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /missing -t IMAGE/);
});
