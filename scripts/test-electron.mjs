// `npm run test:electron`: the same integration tests in desktop VS Code (Electron), for machines that can download it.
// Offline machines (like CI here) use `npm run test:integration` (code-server + headless Chromium) instead.
import { runTests } from '@vscode/test-electron';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, cpSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
for (const script of ['scripts/build.mjs', 'scripts/build-tests.mjs']) {
  if (spawnSync(process.execPath, [join(root, script)], { stdio: 'inherit' }).status !== 0) process.exit(1);
}
const ws = mkdtempSync(join(tmpdir(), 'aisetl-ws-'));
if (existsSync(join(root, 'test/fixtures/tutorial')))
  cpSync(join(root, 'test/fixtures/tutorial'), join(ws, 'tutorial'), { recursive: true });
try {
  await runTests({
    version: process.env.VSCODE_VERSION || '1.100.3',
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'out/integration/index.js'),
    launchArgs: [ws, '--disable-extensions', '--disable-workspace-trust'],
    extensionTestsEnv: { AISETL_TEST_WORKSPACE: ws, AISETL_HOME: mkdtempSync(join(tmpdir(), 'aisetl-home-')) },
  });
} catch (e) {
  console.error(`integration tests failed or VS Code could not start: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
}
