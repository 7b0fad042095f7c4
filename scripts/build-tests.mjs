// Bundles the integration tests (test/integration/**) for the VS Code extension host: one CJS file per suite,
// `vscode` and `mocha` left external (the host provides the first, node_modules the second).
import * as esbuild from 'esbuild';
import { readdirSync, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Two host runs: the main suite, and the Restricted Mode one (its own entry, run in an untrusted workspace).
const suiteDirs = ['test/integration/suite', 'test/integration/restricted/suite'];
const suites = suiteDirs.flatMap((d) =>
  existsSync(join(root, d))
    ? readdirSync(join(root, d))
        .filter((f) => f.endsWith('.test.ts'))
        .map((f) => `${d}/${f}`)
    : [],
);
const entries = ['test/integration/index.ts', 'test/integration/restricted/index.ts'].filter((f) =>
  existsSync(join(root, f)),
);
rmSync(join(root, 'out/integration'), { recursive: true, force: true });
await esbuild.build({
  absWorkingDir: root,
  entryPoints: [...entries, ...suites],
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
