// A Dockerfile reader for the local image store: the instructions that say where files go and what runs.
// Nothing is executed; RUN lines other than `mkdir` are reported as not run locally.

export interface DockerInstruction { line: number /* 1-based */; keyword: string; args: string }

/** Splits into instructions: comments and blank lines dropped, `\` continuations joined. */
export function readInstructions(text: string): DockerInstruction[] {
  const out: DockerInstruction[] = [];
  const lines = text.split(/\r?\n/);
  let buf = '', start = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (!buf && (/^\s*#/.test(raw) || !raw.trim())) continue;
    if (buf && /^\s*#/.test(raw)) continue; // comment lines inside a continuation are skipped by docker too
    if (!buf) start = i + 1;
    const cont = /\\\s*$/.test(raw);
    buf += (buf ? ' ' : '') + (cont ? raw.replace(/\\\s*$/, '') : raw).trim();
    if (cont) continue;
    const m = /^(\S+)\s*(.*)$/.exec(buf);
    if (m) out.push({ line: start, keyword: m[1].toUpperCase(), args: m[2].trim() });
    buf = '';
  }
  if (buf) {
    const m = /^(\S+)\s*(.*)$/.exec(buf);
    if (m) out.push({ line: start, keyword: m[1].toUpperCase(), args: m[2].trim() });
  }
  return out;
}

/** `["a","b"]` (exec form) → ['a','b']; anything else (shell form) → undefined. */
export function execForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  try {
    const v: unknown = JSON.parse(args);
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
  } catch {
    return undefined;
  }
}

/** ENTRYPOINT/CMD: exec form as is, shell form as `/bin/sh -c "<text>"` (what docker does). */
export function commandForm(args: string): string[] {
  return execForm(args) ?? ['/bin/sh', '-c', args];
}

/** Shell-ish word split; quotes may appear inside a word (`K="a b"`), for COPY/ADD/ENV/RUN mkdir arguments. */
export function splitWords(s: string): string[] {
  const words: string[] = [];
  let cur = '', inWord = false, quote: '"' | "'" | undefined;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < s.length) cur += s[++i];
      else cur += ch;
    } else if (ch === '"' || ch === "'") { quote = ch; inWord = true; }
    else if (/\s/.test(ch)) { if (inWord) words.push(cur); cur = ''; inWord = false; }
    else if (ch === '\\' && i + 1 < s.length) { cur += s[++i]; inWord = true; }
    else { cur += ch; inWord = true; }
  }
  if (inWord) words.push(cur);
  return words;
}

/** ENV K=V K2="v 2" and the legacy ENV K V form. */
export function parseEnv(args: string): [string, string][] {
  if (!/^[^\s=]+=/.test(args)) {
    const m = /^(\S+)\s+(.*)$/.exec(args);
    return m ? [[m[1], m[2]]] : [];
  }
  return splitWords(args).map((w) => {
    const eq = w.indexOf('=');
    return (eq < 0 ? [w, ''] : [w.slice(0, eq), w.slice(eq + 1)]) as [string, string];
  });
}

/** `$VAR` / `${VAR}` / `${VAR:-default}` from ARG/ENV values seen so far. */
export function substitute(s: string, vars: Map<string, string>): string {
  return s.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (_m, a: string | undefined, def: string | undefined, b: string | undefined) => vars.get((a ?? b) as string) ?? def ?? '');
}
