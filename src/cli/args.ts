// Minimal argv parsing for `aisetl`: flags `--name value`, `--name=value`, `-t value`, booleans, positionals.
export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
}

export class UsageError extends Error {}

/** `spec` maps every accepted flag (and short alias) to whether it takes a value. */
export function parseArgv(argv: string[], spec: Record<string, { value: boolean; alias?: string }>): ParsedArgs {
  const byAlias = new Map(
    Object.entries(spec)
      .filter(([, v]) => v.alias)
      .map(([k, v]) => [v.alias!, k]),
  );
  const out: ParsedArgs = { positionals: [], flags: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      out.positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const raw = a.startsWith('--') ? a.slice(2, eq > 0 ? eq : undefined) : a.slice(1, eq > 0 ? eq : undefined);
    const name = a.startsWith('--') ? raw : (byAlias.get(raw) ?? raw);
    const s = spec[name];
    if (!s) throw new UsageError(`unknown option "${a}"`);
    if (!s.value) {
      out.flags.set(name, true);
      continue;
    }
    const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
    if (v === undefined) throw new UsageError(`option "${a}" needs a value`);
    out.flags.set(name, v);
  }
  return out;
}

export function intFlag(p: ParsedArgs, name: string, def: number, min: number, max: number): number {
  const v = p.flags.get(name);
  if (v === undefined) return def;
  const n = Number(v);
  if (v === true || !Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be an integer between ${min} and ${max} (got "${v}")`);
  return n;
}
