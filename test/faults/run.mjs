// Runs the fault suite (test/faults/*.test.ts) with Node's test runner, then prints the fault table: fault, runs,
// objects acknowledged, lost, torn, what the user saw. Exit code = the test runner's.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const files = readdirSync(import.meta.dirname)
  .filter((f) => f.endsWith('.test.ts'))
  .sort()
  .map((f) => relative(root, join(import.meta.dirname, f)));
const tmp = mkdtempSync(join(tmpdir(), 'aisetl-fault-report-'));
const reportFile = join(tmp, 'rows.jsonl');
const t0 = Date.now();
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  { cwd: root, stdio: 'inherit', env: { ...process.env, FAULT_REPORT: reportFile } },
);
let rows = [];
try {
  rows = readFileSync(reportFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
} catch {
  /* no rows */
}
rmSync(tmp, { recursive: true, force: true });
const head = ['fault', 'runs', 'acknowledged', 'lost', 'torn', 'what the user saw'];
const cells = rows.map((x) => [x.fault, String(x.runs), String(x.acknowledged), String(x.lost), String(x.torn), x.saw]);
const w = head.map((h, i) => Math.min(i === 5 ? 200 : 60, Math.max(h.length, ...cells.map((c) => c[i].length))));
const line = (c) => '| ' + c.map((x, i) => x.slice(0, w[i]).padEnd(w[i])).join(' | ') + ' |';
console.log(`\nFault table (${((Date.now() - t0) / 1000).toFixed(0)} s):`);
console.log(line(head));
console.log('|' + w.map((n) => '-'.repeat(n + 2)).join('|') + '|');
for (const c of cells) console.log(line(c));
const lost = rows.reduce((a, x) => a + x.lost, 0),
  torn = rows.reduce((a, x) => a + x.torn, 0);
console.log(
  `${rows.length} faults, ${rows.reduce((a, x) => a + x.runs, 0)} runs, ${rows.reduce((a, x) => a + x.acknowledged, 0)} objects acknowledged, ${lost} lost, ${torn} torn`,
);
process.exit(r.status ?? 1);
