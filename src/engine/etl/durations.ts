// Go duration strings (time.ParseDuration), which is how AIS reads every timeout on the wire.
const UNIT = '(?:ns|us|µs|μs|ms|s|m|h)';
const GO_DURATION = new RegExp(`^[-+]?(?:(?:\\d+(?:\\.\\d*)?|\\.\\d+)${UNIT})+$`);

/** True for strings Go's time.ParseDuration accepts ("45s", "1h30m", "0", "1.5m"). */
export function isGoDuration(s: string): boolean {
  return s === '0' || s === '+0' || s === '-0' || GO_DURATION.test(s);
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
  if (!isGoDuration(s)) return undefined;
  const sign = s.startsWith('-') ? -1 : 1;
  const factors: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1e3, m: 60e3, h: 3600e3 };
  let total = 0;
  for (const m of s.replace(/^[-+]/, '').matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(m[1]) * factors[m[2]];
  }
  return sign * total;
}
