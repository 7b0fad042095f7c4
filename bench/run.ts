// Runs every bench/b*.ts module (or those named on the command line: `npm run bench -- b2`) and prints one table.
// Each module exports `async function run(): Promise<BenchResult[]>`; ratios are value / baseline from the same run.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchModule, BenchResult, BenchTarget } from './lib/types';

interface Row {
  bench: string;
  r?: BenchResult;
  error?: string;
}

function pickModules(args: string[]): string[] {
  const all = readdirSync(__dirname)
    .filter((f) => /^b\d+.*\.ts$/.test(f))
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  if (args.length === 0) return all;
  const picked = all.filter((f) =>
    args.some((a) => f === a || f.startsWith(`${a}-`) || f === `${a}.ts` || f.replace(/\.ts$/, '') === a),
  );
  const unknown = args.filter(
    (a) => !picked.some((f) => f.startsWith(`${a}-`) || f.replace(/\.ts$/, '') === a || f === a),
  );
  if (unknown.length)
    throw new Error(
      `no benchmark named ${unknown.join(', ')}; have: ${all.map((f) => f.replace(/\.ts$/, '')).join(', ')}`,
    );
  return picked;
}

function passes(r: BenchResult): boolean | undefined {
  const t: BenchTarget | undefined = r.target;
  if (!t) return undefined;
  const v = t.on === 'ratio' ? ratio(r) : r.value;
  if (v === undefined) return false;
  return t.op === '<' ? v < t.value : t.op === '<=' ? v <= t.value : t.op === '>' ? v > t.value : v >= t.value;
}

const ratio = (r: BenchResult): number | undefined =>
  r.baseline && r.baseline.value !== 0 ? r.value / r.baseline.value : undefined;
const fmt = (n: number | undefined, digits = 1): string =>
  n === undefined || !Number.isFinite(n) ? '' : n.toFixed(digits);

function printTable(rows: Row[]): void {
  const head = ['bench', 'metric', 'value', 'unit', 'baseline', 'ratio', 'target', 'ok', 'note'];
  const lines = rows.map(({ bench, r, error }) => {
    if (!r) return [bench, `ERROR: ${error}`, '', '', '', '', '', 'FAIL', ''];
    const ok = passes(r);
    const target = r.target ? `${r.target.on === 'ratio' ? 'ratio ' : ''}${r.target.op} ${r.target.value}` : '';
    return [
      bench,
      r.name,
      fmt(r.value),
      r.unit,
      r.baseline ? `${fmt(r.baseline.value)} (${r.baseline.name})` : '',
      fmt(ratio(r), 2),
      target,
      ok === undefined ? '' : ok ? 'yes' : 'NO',
      r.note ?? '',
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(line(l));
}

/** Modules are written by several people: say precisely what is wrong with a malformed result. */
function checkResults(out: unknown): BenchResult[] {
  if (!Array.isArray(out))
    throw new Error(
      `run() returned ${out === null ? 'null' : typeof out}, expected BenchResult[] (see bench/lib/types.ts)`,
    );
  for (const r of out as Partial<BenchResult>[]) {
    if (typeof r?.name !== 'string' || typeof r.value !== 'number' || typeof r.unit !== 'string') {
      throw new Error(`run() returned an entry without name/value/unit: ${JSON.stringify(r).slice(0, 120)}`);
    }
  }
  return out as BenchResult[];
}

async function main(): Promise<void> {
  const files = pickModules(process.argv.slice(2).filter((a) => !a.startsWith('-')));
  const rows: Row[] = [];
  for (const f of files) {
    const bench = f.replace(/\.ts$/, '');
    process.stderr.write(`running ${bench}…\n`);
    try {
      const mod = (await import(join(__dirname, f))) as BenchModule;
      if (typeof mod.run !== 'function') throw new Error('module does not export run(); see bench/lib/types.ts');
      for (const r of checkResults(await mod.run())) rows.push({ bench, r });
    } catch (e) {
      rows.push({ bench, error: (e as Error).message });
    }
  }
  printTable(rows);
  if (rows.some((row) => !row.r || passes(row.r) === false)) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error((e as Error).message);
  process.exitCode = 1;
});
