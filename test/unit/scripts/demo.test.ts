// `npm run demo` is the README's first command: its cluster + sample data + workspace part must keep working.
// (The VS Code part is exercised by the integration harness, which starts the same code-server.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '../../..');

test('demo --smoke starts the local cluster with the tutorial bucket and writes the demo workspace', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'aisetl-demo-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const r = spawnSync(process.execPath, [join(root, 'scripts/demo.mjs'), '--smoke', '--no-editor'], {
    cwd: root,
    env: { ...process.env, AISETL_DEMO_DIR: dir },
    encoding: 'utf8',
    timeout: 180_000,
  });
  assert.equal(r.status, 0, `demo failed:\n${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /bucket ais:\/\/transform has shard\.in/);
  assert.match(r.stdout, /smoke: code-server up, cluster answered 200/);
  const settings = JSON.parse(readFileSync(join(dir, 'workspace/.vscode/settings.json'), 'utf8'));
  // One identity: the extension's local cluster is the demo's (its name and data folder), found through that folder.
  assert.equal(settings['aistore.local.name'], 'local demo');
  assert.equal(settings['aistore.local.dataDir'], join(dir, 'data'));
  assert.equal(settings['aistore.local.aisVersion'], '5.0', "today's contract unless --ais-version 3.29");
  assert.equal(settings['aistore.clusters'], undefined, 'no fixed endpoint that goes stale after a restart');
  for (const f of ['code.py', 'io/code.py', 'server.py', 'Dockerfile', 'spec.yaml'])
    assert.ok(existsSync(join(dir, 'workspace', f)), f);
});

test('demo --ais-version refuses a release the local cluster cannot emulate, before starting anything', () => {
  const r = spawnSync(process.execPath, [join(root, 'scripts/demo.mjs'), '--ais-version', '4.2', '--smoke'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--ais-version 4\.2: expecting 5\.0 or 3\.29/);
});
