// Bundles the integration tests (test/integration/**) for the VS Code extension host: one CJS file per suite,
// `vscode` and `mocha` left external (the host provides the first, node_modules the second).
import * as esbuild from 'esbuild';
import { readdirSync, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const suiteDir = join(root, 'test/integration/suite');
const suites = existsSync(suiteDir)
  ? readdirSync(suiteDir)
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => `test/integration/suite/${f}`)
  : [];
rmSync(join(root, 'out/integration'), { recursive: true, force: true });
await esbuild.build({
  absWorkingDir: root,
  entryPoints: ['test/integration/index.ts', ...suites],
  outdir: 'out/integration',
  outbase: 'test/integration',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
console.log(`built ${suites.length} integration suite(s) into out/integration`);
