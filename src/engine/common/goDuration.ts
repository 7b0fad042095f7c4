// Go duration strings ("45s", "1h30m", "1.5m", "500ms"), which is how AIS reads every timeout on the wire. This is
// a port of Go's time.ParseDuration, error wording included: the editor's checks, the AIS client's call timeouts
// and the local cluster's server-side validation all read durations here, so they never disagree with a real AIS.
// It imports nothing, so every engine room may use it.

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3, // U+00B5 micro sign
  μs: 1e-3, // U+03BC Greek mu
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
/** Go's Duration is int64 nanoseconds; longer durations overflow (≈ 292 years). */
const MAX_MS = (2 ** 63 - 1) / 1e6;
const NUMBER = /^(\d*)(\.\d*)?/;
const UNIT = /^[^\d.]*/;

/** Milliseconds, or the error message Go's time.ParseDuration gives for `text`. */
export function parseGoDuration(text: string): number | string {
  const invalid = `time: invalid duration "${text}"`;
  let rest = text;
  const negative = rest.startsWith('-');
  if (negative || rest.startsWith('+')) rest = rest.slice(1);
  if (rest === '0') return 0;
  if (rest === '') return invalid;
  let total = 0;
  while (rest !== '') {
    const [num, whole, fraction = ''] = NUMBER.exec(rest) ?? ['', '', ''];
    if (whole === '' && fraction.length <= 1) return invalid; // no digits: ".s", "-.s", "s"
    rest = rest.slice(num.length);
    const unit = UNIT.exec(rest)?.[0] ?? '';
    if (unit === '') return `time: missing unit in duration "${text}"`;
    if (!(unit in UNIT_MS)) return `time: unknown unit "${unit}" in duration "${text}"`;
    rest = rest.slice(unit.length);
    total += parseFloat(`${whole || '0'}${fraction === '.' ? '' : fraction}`) * UNIT_MS[unit];
    if (total > MAX_MS) return invalid;
  }
  return negative ? -total : total;
}

/** True for strings Go's time.ParseDuration accepts ("45s", "1h30m", "0", "1.5m"). */
export function isGoDuration(text: string): boolean {
  return typeof parseGoDuration(text) === 'number';
}

/** Milliseconds for a valid Go duration string, undefined when it is not one. */
export function goDurationToMs(text: string): number | undefined {
  const ms = parseGoDuration(text);
  return typeof ms === 'number' ? ms : undefined;
}

/** Why `text` is not a usable timeout, or undefined when it is fine. `what` names the field for the message. */
export function durationProblem(text: string, what: string): string | undefined {
  if (!isGoDuration(text)) {
    return `${what} "${text}" is not a duration: use a Go duration string such as "45s", "5m" or "1h30m"`;
  }
  if (text.startsWith('-')) return `${what} "${text}" is negative: use a positive duration such as "45s" or "5m"`;
  return undefined;
}
