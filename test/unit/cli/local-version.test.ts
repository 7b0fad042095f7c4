// `aisetl local start --ais-version`: which AIS release the local cluster emulates, shown by node_status and status.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts')];

test('an unknown --ais-version is a usage error naming the choices', () => {
  const home = mkdtempSync(join(tmpdir(), 'aisetl-cli-v-'));
  try {
    const r = spawnSync(process.execPath, [...CLI, 'local', 'start', '--ais-version', '4.2', '--data', join(home, 'd')],
      { env: { ...process.env, AISETL_HOME: home }, encoding: 'utf8', cwd: ROOT });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /cannot emulate AIS "4.2": choose one of 5.0, 3.29/);
  } finally { rmSync(home, { recursive: true, force: true }); }
});

test('AISETL_AIS_VERSION=3.29: node_status and `local status` report 3.29.aisetl-local', { timeout: 60_000 }, async (t) => {
  const home = mkdtempSync(join(tmpdir(), 'aisetl-cli-v-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const env = { ...process.env, AISETL_HOME: home };
  // AISETL_AIS_VERSION is the default when --ais-version is not given
  const child = spawn(process.execPath, [...CLI, 'local', 'start', '--port', '0', '--data', join(home, 'd'), '--quiet'],
    { env: { ...env, AISETL_AIS_VERSION: '3.29' }, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
  t.after(() => { if (child.exitCode === null) child.kill('SIGKILL'); });
  const endpoint = await new Promise<string>((res, rej) => {
    let out = '';
    child.stdout.on('data', (d) => { out += d; const m = /AIS_ENDPOINT=(\S+)/.exec(out); if (m) res(m[1]); });
    void exited.then((c) => rej(new Error(`exited early (${c})`)));
  });
  const ns = await (await fetch(`${endpoint}/v1/daemon?what=node_status`)).json() as { ais_version: string };
  assert.equal(ns.ais_version, '3.29.aisetl-local');
  const st = spawnSync(process.execPath, [...CLI, 'local', 'status'], { env, encoding: 'utf8', cwd: ROOT });
  assert.match(st.stdout, /ais_version 3\.29\.aisetl-local/);
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
});
