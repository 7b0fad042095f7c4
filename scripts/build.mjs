// Bundles the extension, the `aisetl` CLI and the lazily loaded Kubernetes chunk with esbuild,
// and copies the Python worker code next to them (the local cluster runs it).
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, rmSync, chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const minify = process.argv.includes('--minify') || process.env.AISETL_MINIFY === '1';
const dist = join(root, 'dist');

// The k8s client (5+ MB) must never load at activation: `src/engine/k8s/lazy.ts` does `import('./index')`,
// which this plugin turns into a runtime require of the separate dist/k8s.js entry.
const lazyK8s = {
  name: 'lazy-k8s',
  setup(build) {
    build.onResolve({ filter: /^\.\/index$/ }, (args) =>
      args.importer.replace(/\\/g, '/').endsWith('src/engine/k8s/lazy.ts') ? { path: './k8s.js', external: true } : undefined);
  },
};

const common = {
  bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, minify,
  external: ['vscode'], logLevel: 'warning', absWorkingDir: root,
};
const entries = [
  { entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', plugins: [lazyK8s] },
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', plugins: [lazyK8s], banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['src/engine/k8s/index.ts'], outfile: 'dist/k8s.js' },
].filter((e) => existsSync(join(root, e.entryPoints[0])));

function copyAssets() {
  for (const [from, to] of [['src/engine/local/python', 'python']]) {
    const src = join(root, from);
    if (!existsSync(src)) continue;
    rmSync(join(dist, to), { recursive: true, force: true });
    cpSync(src, join(dist, to), { recursive: true, filter: (p) => !p.includes('__pycache__') });
  }
  if (existsSync(join(dist, 'cli.js'))) chmodSync(join(dist, 'cli.js'), 0o755);
}

mkdirSync(dist, { recursive: true });
if (watch) {
  for (const e of entries) await (await esbuild.context({ ...common, ...e })).watch();
  copyAssets();
  console.log('watching…');
} else {
  const t0 = Date.now();
  await Promise.all(entries.map((e) => esbuild.build({ ...common, ...e })));
  copyAssets();
  console.log(`built ${entries.map((e) => e.outfile).join(', ')} in ${Date.now() - t0} ms`);
}
