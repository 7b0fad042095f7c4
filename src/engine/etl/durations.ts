// Go duration strings (time.ParseDuration), which is how AIS reads every timeout on the wire. One parser serves the
// editor's checks and the local cluster's server-side validation (which repeats Go's error wording).
const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const TERM = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;

/** Milliseconds, or the error message Go's time.ParseDuration gives. */
export function parseGoDuration(s: string): number | string {
  const orig = s;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) { if (s[0] === '-') sign = -1; s = s.slice(1); }
  if (s === '0') return 0;
  if (s === '') return `time: invalid duration "${orig}"`;
  let total = 0;
  while (s.length > 0) {
    const m = TERM.exec(s);
    if (!m) return /^(\d+(?:\.\d*)?|\.\d+)$/.test(s) ? `time: missing unit in duration "${orig}"` : `time: invalid duration "${orig}"`;
    total += parseFloat(m[1]) * UNIT_MS[m[2]];
    s = s.slice(m[0].length);
  }
  return sign * total;
}

/** True for strings Go's time.ParseDuration accepts ("45s", "1h30m", "0", "1.5m"). */
export function isGoDuration(s: string): boolean {
  return typeof parseGoDuration(s) === 'number';
}

/** Why `s` is not a usable timeout, or undefined when it is fine. `what` names the field for the message. */
export function durationProblem(s: string, what: string): string | undefined {
  if (!isGoDuration(s)) {
    return `${what} "${s}" is not a duration: use a Go duration string such as "45s", "5m" or "1h30m"`;
  }
  if (s.startsWith('-')) return `${what} "${s}" is negative: use a positive duration such as "45s" or "5m"`;
  return undefined;
}

/** Milliseconds for a valid Go duration string (undefined when invalid). */
export function goDurationToMs(s: string): number | undefined {
  const ms = parseGoDuration(s);
  return typeof ms === 'number' ? ms : undefined;
}
