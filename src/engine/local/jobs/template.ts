// AIS list-range templates (bash brace style): "shard-{001..999}.tar", "a{1..10..2}b{0..3}". Names are
// generated lazily so a huge range never materialises in memory.
import { badRequest } from '../errors';

interface Range {
  start: number;
  end: number;
  step: number;
  width: number;
}

const MAX_TEMPLATE_NAMES = 100_000_000;

export function* expandTemplate(tpl: string): Generator<string> {
  const parts: (string | Range)[] = [];
  const re = /\{(\d+)\.\.(\d+)(?:\.\.(\d+))?\}/g;
  let last = 0;
  let total = 1;
  for (let m = re.exec(tpl); m; m = re.exec(tpl)) {
    parts.push(tpl.slice(last, m.index));
    const start = Number(m[1]),
      end = Number(m[2]),
      step = m[3] ? Number(m[3]) : 1;
    if (step <= 0 || end < start)
      throw badRequest(
        `invalid template "${tpl}": range {${m[1]}..${m[2]}${m[3] ? '..' + m[3] : ''}} must be increasing with a positive step`,
      );
    total *= Math.floor((end - start) / step) + 1;
    if (total > MAX_TEMPLATE_NAMES)
      throw badRequest(`template "${tpl}" expands to more than ${MAX_TEMPLATE_NAMES} names`);
    parts.push({ start, end, step, width: m[1].length > 1 && m[1].startsWith('0') ? m[1].length : 0 });
    last = m.index + m[0].length;
  }
  parts.push(tpl.slice(last));
  if (parts.length === 1) throw badRequest(`invalid template "${tpl}": expecting a range like "shard-{001..999}.tar"`);
  yield* expand(parts, 0, '');
}

function* expand(parts: (string | Range)[], i: number, acc: string): Generator<string> {
  if (i === parts.length) {
    yield acc;
    return;
  }
  const p = parts[i];
  if (typeof p === 'string') {
    yield* expand(parts, i + 1, acc + p);
    return;
  }
  for (let n = p.start; n <= p.end; n += p.step) yield* expand(parts, i + 1, acc + String(n).padStart(p.width, '0'));
}
