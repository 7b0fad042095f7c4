// B4 — activation cost: require dist/extension.js with a stubbed `vscode` module, time require and activate(), check
// that the Kubernetes client was not loaded, and report the .vsix size when it has been packaged. The measurement runs
// in a plain `node` child so the TypeScript loader of the benchmark runner doesn't inflate the numbers.
// Run: node --import tsx bench/b4-activation.ts   (after `npm run build`)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..');

/** Child script: a `vscode` stand-in where every property, call and `new` yields another stub. */
const CHILD = String.raw`
const Module = require('module');
const [bundle, storage, root] = process.argv.slice(1);
const fn = function () {};
const empty = function* () {};
const stub = new Proxy(fn, {
  get: (_t, p) => (p === Symbol.iterator ? empty : p === 'then' || typeof p === 'symbol' ? undefined : p === 'length' ? 0 : stub),
  apply: () => stub, construct: () => stub,
  getPrototypeOf: () => stub,          // esbuild's __toESM reads named imports through the prototype
  set: () => true, defineProperty: () => true,
});
const load = Module._load;
Module._load = function (r, ...a) { return r === 'vscode' ? stub : load.call(this, r, ...a); };
const t0 = process.hrtime.bigint();
const ext = require(bundle);
const t1 = process.hrtime.bigint();
const ctx = {
  subscriptions: [], extensionPath: root, extensionUri: stub,
  globalStorageUri: { fsPath: storage }, storageUri: { fsPath: storage }, logUri: { fsPath: storage },
  secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: stub },
  globalState: { get: () => undefined, update: async () => undefined, keys: () => [] },
  workspaceState: { get: () => undefined, update: async () => undefined, keys: () => [] },
  extensionMode: 1, asAbsolutePath: (p) => require('path').join(root, p),
};
ext.activate(ctx);
const t2 = process.hrtime.bigint();
const k8sLoaded = Object.keys(require.cache).some((k) => k.includes('@kubernetes/client-node') || k.endsWith(require('path').join('dist', 'k8s.js')));
const undiciLoaded = Object.keys(require.cache).some((k) => k.includes('undici'));
for (const d of ctx.subscriptions) { try { d.dispose(); } catch {} }
Promise.resolve(ext.deactivate && ext.deactivate()).finally(() => {
  process.stdout.write(JSON.stringify({ requireMs: Number(t1 - t0) / 1e6, activateMs: Number(t2 - t1) / 1e6, k8sLoaded, undiciLoaded }));
  process.exit(0);
});
`;

import type { BenchResult } from './lib/types';

interface ChildResult {
  requireMs: number;
  activateMs: number;
  k8sLoaded: boolean;
  undiciLoaded: boolean;
}

function measure(bundle: string, storage: string): ChildResult {
  return JSON.parse(
    execFileSync(process.execPath, ['-e', CHILD, bundle, storage, root], { encoding: 'utf8', timeout: 60_000 }),
  ) as ChildResult;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Packages the extension as it ships (minified bundle + .vsix), then times require + activate() of dist/extension.js
 * in fresh node processes (median of 7), against an empty extension measured the same way in the same run.
 */
export async function run(): Promise<BenchResult[]> {
  execFileSync('npm', ['run', '--silent', 'package'], { cwd: root, stdio: 'ignore', timeout: 300_000 });
  const bundle = join(root, 'dist', 'extension.js');
  const vsix = join(root, 'dist', 'aistore-etl.vsix');
  const storage = mkdtempSync(join(tmpdir(), 'b4-'));
  const empty = join(storage, 'empty-extension.js');
  writeFileSync(empty, 'exports.activate = () => {}; exports.deactivate = () => {};');
  try {
    const ours = Array.from({ length: 7 }, () => measure(bundle, storage));
    const base = Array.from({ length: 7 }, () => measure(empty, storage));
    const total = median(ours.map((m) => m.requireMs + m.activateMs));
    const baseTotal = median(base.map((m) => m.requireMs + m.activateMs));
    return [
      {
        name: 'B4 activation (require + activate, median of 7)',
        value: total,
        unit: 'ms',
        baseline: { name: 'an empty extension', value: baseTotal },
        target: { op: '<', value: 50 },
        note: `activate() alone ${median(ours.map((m) => m.activateMs)).toFixed(1)} ms; undici loaded at activation: ${ours[0].undiciLoaded}`,
      },
      {
        name: 'B4 Kubernetes client loaded at activation',
        value: ours.some((m) => m.k8sLoaded) ? 1 : 0,
        unit: 'bool',
        target: { op: '<=', value: 0 },
      },
      { name: 'B4 dist/extension.js size (minified)', value: statSync(bundle).size / 1024, unit: 'KiB' },
      {
        name: 'B4 .vsix size',
        value: statSync(vsix).size / (1024 * 1024),
        unit: 'MiB',
        target: { op: '<=', value: 3 },
      },
    ];
  } finally {
    rmSync(storage, { recursive: true, force: true });
  }
}

if (require.main === module) {
  run().then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
