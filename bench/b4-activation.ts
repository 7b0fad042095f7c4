// B4 — activation cost: require dist/extension.js with a stubbed `vscode` module, time require and activate(), check
// that the Kubernetes client was not loaded, and report the .vsix size when it has been packaged. The measurement runs
// in a plain `node` child so the TypeScript loader of the benchmark runner doesn't inflate the numbers.
// Run: node --import tsx bench/b4-activation.ts   (after `npm run build`)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
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

export interface B4Result { name: 'B4'; requireMs: number; activateMs: number; targetMs: number; k8sLoaded: boolean; bundleBytes: number; vsixBytes?: number; vsixTargetBytes: number; pass: boolean }

export async function run(): Promise<B4Result> {
  const bundle = join(root, 'dist', 'extension.js');
  if (!existsSync(bundle)) throw new Error('dist/extension.js is missing — run `npm run build` first');
  const storage = mkdtempSync(join(tmpdir(), 'b4-'));
  try {
    const out = execFileSync(process.execPath, ['-e', CHILD, bundle, storage, root], { encoding: 'utf8', timeout: 60_000 });
    const m = JSON.parse(out) as { requireMs: number; activateMs: number; k8sLoaded: boolean };
    const vsix = join(root, 'dist', 'aistore-etl.vsix');
    const vsixBytes = existsSync(vsix) ? statSync(vsix).size : undefined;
    return {
      name: 'B4', requireMs: m.requireMs, activateMs: m.activateMs, targetMs: 50, k8sLoaded: m.k8sLoaded, bundleBytes: statSync(bundle).size,
      vsixBytes, vsixTargetBytes: 3 * 1024 * 1024,
      pass: m.activateMs < 50 && !m.k8sLoaded && (vsixBytes === undefined || vsixBytes <= 3 * 1024 * 1024),
    };
  } finally {
    rmSync(storage, { recursive: true, force: true });
  }
}

if (require.main === module) {
  run().then((r) => { console.log(JSON.stringify(r, null, 2)); process.exit(r.pass ? 0 : 1); }, (e) => { console.error(e); process.exit(1); });
}
