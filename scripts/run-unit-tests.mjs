// Runs every test/unit/**/*.test.ts with Node's test runner (TypeScript through tsx, no compile step).
// Node 20 does not expand globs in `node --test`, so the files are listed here. Extra args filter by path substring.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const filters = process.argv.slice(2);
function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.test.ts') ? [relative(root, p)] : [];
  });
}
const files = walk(join(root, 'test/unit'))
  .sort()
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error('no unit test files matched');
  process.exit(1);
}
// The only step that may reach the network (PyPI, cached after the first run): the tests themselves reach loopback.
spawnSync(process.execPath, ['--import', 'tsx', 'scripts/install-test-python.mjs'], { cwd: root, stdio: 'inherit' });
const concurrency = process.env.TEST_CONCURRENCY || '3';
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
  { cwd: root, stdio: 'inherit' },
);
process.exit(r.status ?? 1);
