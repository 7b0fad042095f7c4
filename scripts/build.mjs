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

// Heavy modules load on first use, never at activation: each is its own bundle in dist/ and the importing module's
// relative import is rewritten into a runtime require of that file. Under tsx (tests) the imports resolve normally.
//  - the k8s client (5+ MB): `src/engine/k8s/lazy.ts` does `import('./index')` → dist/k8s.js
//  - the AIS client with undici (~0.5 MB minified): `src/services/engine.ts` does `require('../engine/ais')`
//    → dist/engine-ais.js
const lazyChunks = [
  { importer: 'src/engine/k8s/lazy.ts', spec: './index', file: './k8s.js' },
  { importer: 'src/services/engine.ts', spec: '../engine/ais', file: './engine-ais.js' },
];
const lazy = {
  name: 'lazy-chunks',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      const from = args.importer.replace(/\\/g, '/');
      const hit = lazyChunks.find((c) => from.endsWith(c.importer) && args.path === c.spec);
      return hit ? { path: hit.file, external: true } : undefined;
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minify,
  external: ['vscode'],
  logLevel: 'warning',
  absWorkingDir: root,
};
const entries = [
  { entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', plugins: [lazy] },
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', plugins: [lazy], banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['src/engine/k8s/index.ts'], outfile: 'dist/k8s.js' },
  { entryPoints: ['src/engine/ais/index.ts'], outfile: 'dist/engine-ais.js' },
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
