#!/usr/bin/env node
// Drives a code-server workbench in headless Chromium so that VS Code itself runs the extension's integration tests
// in a real (node) remote extension host: the `payload` URL parameter is VS Code's own extensionDevelopmentPath /
// extensionTestsPath contract, the same one @vscode/test-electron uses on desktop.
// usage: node run-vscode-tests.js <serverUrl> <workspaceFolder> <extensionDevelopmentPath> <extensionTestsPath>
// env: TEST_TIMEOUT_S (default 900), CHROMIUM, PROFILE_DIR, VERBOSE=1, SCREENSHOT=<png path taken before exit>
// exit: VS Code's reported code (0 ok, 1 failed), 124 on timeout, 2 on driver error.
const util = require('util');
const os = require('os');
const path = require('path');
const fs = require('fs');
const { execSync } = require('child_process');
const { chromium } = require('playwright-core');

const [serverUrl, folder, devPath, testsPath] = process.argv.slice(2);
if (!testsPath) {
  console.error('usage: run-vscode-tests.js <serverUrl> <folder> <extDevPath> <testsPath>');
  process.exit(2);
}
const t0 = Date.now();
const elapsed = () => ((Date.now() - t0) / 1000).toFixed(1) + 's';

(async () => {
  // Plain paths are parsed as file:// by the browser side and the workbench then hangs with
  // "No extension host found that can launch the test runner": they must be vscode-remote:// URIs.
  const authority = new URL(serverUrl).host;
  const remote = (p) => (/^[a-z-]+:\/\//.test(p) ? p : `vscode-remote://${authority}${p}`);
  const payload = [
    ['extensionDevelopmentPath', remote(devPath)],
    ['extensionTestsPath', remote(testsPath)],
  ];
  const url = `${serverUrl}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const browser = process.env.CHROMIUM || execSync('command -v chromium', { shell: '/bin/sh' }).toString().trim();
  const ctx = await chromium.launchPersistentContext(
    process.env.PROFILE_DIR || fs.mkdtempSync(path.join(os.tmpdir(), 'vsc-chrome-')),
    {
      executablePath: browser,
      headless: true,
      viewport: { width: 1440, height: 900 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  );
  let finish;
  const exited = new Promise((r) => (finish = r));
  // Hooks the workbench calls (as in @vscode/test-web): the extension host's console, then the exit code.
  // A test that logs "[aisetl] screenshot-ready" holds the workbench still for a moment: take the picture then, while
  // the extension host (and so our views) is still alive; at exit it is already gone.
  let shot;
  await ctx.exposeFunction('codeAutomationLog', (_type, args) => {
    const line = util.format(...(Array.isArray(args) ? args : [args]));
    console.log(line);
    if (process.env.SCREENSHOT && !shot && line.includes('[aisetl] screenshot-ready')) {
      shot = new Promise((r) => setTimeout(r, 800))
        .then(() => page.screenshot({ path: process.env.SCREENSHOT }))
        .then(
          () => console.log(`[run-vscode-tests] screenshot saved to ${process.env.SCREENSHOT}`),
          (e) => console.log('[run-vscode-tests] screenshot failed', e.message),
        );
    }
  });
  await ctx.exposeFunction('codeAutomationExit', async (code) => {
    await shot;
    finish(code);
  });
  const page = ctx.pages()[0] || (await ctx.newPage());
  if (process.env.VERBOSE) page.on('console', (m) => console.log('[page]', m.type(), m.text()));
  page.on('pageerror', (e) => console.log('[pageerror]', e.message));
  await page.goto(url);
  const timeoutS = +(process.env.TEST_TIMEOUT_S || 900);
  const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), timeoutS * 1000))]);
  console.log(`[run-vscode-tests] extension host reported exit code ${code} after ${elapsed()}`);
  await ctx.close().catch(() => {});
  process.exit(code === 'timeout' ? 124 : Number(code) || 0);
})().catch((e) => {
  console.error('[run-vscode-tests] driver error', e);
  process.exit(2);
});
