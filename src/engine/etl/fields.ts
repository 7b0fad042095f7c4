// Field checks shared by runtime specs and Pod specs: names, comm types, durations, booleans, ports.
import { isScalar, type Node, type Pair, type YAMLMap } from 'yaml';
import type { CommType, EtlDiagnostic } from './types';
import { COMM_TYPES, describeCommTypes, normalizeCommType, suggestEtlName, validateEtlName } from './names';
import { durationProblem } from '../common/goDuration';
import { diag, stringValue, type AnyNode, type YamlSource } from './yamlAst';

const NAME_CODES: [RegExp, string][] = [
  [/is empty$/, 'name-empty'],
  [/is too short$/, 'name-too-short'],
  [/is too long$/, 'name-too-long'],
  [/can only contain/, 'name-invalid-chars'],
  [/must start with/, 'name-start-end'],
];

export function checkName(src: YamlSource, node: AnyNode, out: EtlDiagnostic[]): string | undefined {
  const name = stringValue(node);
  if (name === undefined) {
    out.push(diag('error', 'name-not-string', 'ETL name must be a string such as "my-etl": quote it.', src.node(node)));
    return undefined;
  }
  const problem = validateEtlName(name);
  if (problem) {
    const code = NAME_CODES.find(([re]) => re.test(problem))?.[1] ?? 'name-invalid';
    const suggestion = suggestEtlName(name);
    const fix =
      suggestion && suggestion !== name ? src.replace(`Rename to "${suggestion}"`, node, suggestion) : undefined;
    out.push(
      diag(
        'error',
        code,
        `${problem}. Names are 6–32 characters of [a-z0-9-], starting with a letter and ending with a letter or digit.`,
        src.node(node),
        fix,
      ),
    );
  }
  return name;
}

/** Exactly what AIS accepts, with the `://` (the server rejects "hpush"). */
export function checkCommType(src: YamlSource, node: AnyNode, out: EtlDiagnostic[]): CommType | undefined {
  const raw = isScalar(node) ? String(node.value ?? '') : undefined;
  const range = src.node(node);
  if (raw === undefined || raw === '') {
    out.push(diag('error', 'comm-type-unknown', `communication must be one of ${describeCommTypes()}.`, range));
    return undefined;
  }
  if ((COMM_TYPES as readonly string[]).includes(raw)) {
    const ct = raw as CommType;
    if (ct === 'io://') {
      out.push(
        diag(
          'warning',
          'comm-type-io',
          'io:// works only on AIS 3.7–4.9 and only with an image that contains the io:// server; AIS 5.0 removed it. Prefer "hpush://".',
          range,
        ),
      );
    }
    return ct;
  }
  const normalized = normalizeCommType(raw);
  if (normalized) {
    out.push(
      diag(
        'error',
        'comm-type-no-scheme',
        `unknown comm-type "${raw}": AIS accepts only ${describeCommTypes()}, with the "://" — write "${normalized}".`,
        range,
        src.replace(`Change to "${normalized}"`, node, normalized),
      ),
    );
    return normalized;
  }
  const removed = /^hrev(:\/\/)?$/i.test(raw) ? ' (hrev:// was removed in AIS 3.28)' : '';
  out.push(
    diag(
      'error',
      'comm-type-unknown',
      `unknown comm-type "${raw}"${removed}: use one of ${describeCommTypes()} (io:// only on AIS ≤4.9).`,
      range,
    ),
  );
  return undefined;
}

/** Go duration strings only; numbers get a fix that appends "s". */
export function checkDuration(src: YamlSource, node: AnyNode, field: string, out: EtlDiagnostic[]): string | undefined {
  if (isScalar(node) && typeof node.value === 'number') {
    const seconds = `${node.value}s`;
    out.push(
      diag(
        'error',
        'timeout-number',
        `${field}: ${node.value} is a number, but AIS reads timeouts as Go duration strings: write "${seconds}" (or "5m", "1h30m").`,
        src.node(node),
        src.replace(`Change to "${seconds}"`, node, `"${seconds}"`),
      ),
    );
    return undefined;
  }
  const s = stringValue(node);
  if (s === undefined) {
    out.push(
      diag('error', 'timeout-invalid', `${field} must be a Go duration string such as "45s" or "5m".`, src.node(node)),
    );
    return undefined;
  }
  const problem = durationProblem(s, field);
  if (problem) {
    const fix = /^\d+(\.\d+)?$/.test(s) ? src.replace(`Change to "${s}s"`, node, `"${s}s"`) : undefined;
    out.push(diag('error', 'timeout-invalid', problem, src.node(node), fix));
    return undefined;
  }
  return s;
}

/** Go strconv.ParseBool, which AIS uses for the support_direct_put annotation. */
export function parseGoBool(s: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return undefined;
}

/** A YAML boolean field (runtime spec `support_direct_put`). */
export function checkBool(src: YamlSource, node: AnyNode, field: string, out: EtlDiagnostic[]): boolean | undefined {
  if (isScalar(node) && typeof node.value === 'boolean') return node.value;
  const s = stringValue(node);
  const parsed = s === undefined ? undefined : parseGoBool(s);
  const fix = parsed === undefined ? undefined : src.replace(`Change to ${parsed}`, node, String(parsed));
  out.push(
    diag(
      'error',
      'bool-invalid',
      `${field} must be true or false (a YAML boolean, without quotes).`,
      src.node(node),
      fix,
    ),
  );
  return undefined;
}

export interface CommandPort {
  port: number;
  node: Node | undefined;
  wholeArg: boolean;
}

/** The port a server command line listens on: `--port 80`, `-p 80`, `--port=80`, `--bind 0.0.0.0:80`, `-b :80`. */
export function findCommandPort(args: { text: string; node?: Node }[]): CommandPort | undefined {
  const tokens: { text: string; node?: Node; whole: boolean }[] = [];
  for (const a of args) {
    const parts = a.text.trim().split(/\s+/).filter(Boolean);
    for (const p of parts)
      tokens.push({ text: p.replace(/^['"]|['"]$/g, ''), node: a.node, whole: parts.length === 1 });
  }
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i].text;
    const next = tokens[i + 1];
    let m = /^(?:--port|--bind|--listen-port|-b|-p)=(?:[\w.-]*:)?(\d{1,5})$/.exec(t);
    if (m) return { port: Number(m[1]), node: tokens[i].node, wholeArg: false };
    if (/^(?:--port|-p|--listen-port)$/.test(t) && next && /^\d{1,5}$/.test(next.text)) {
      return { port: Number(next.text), node: next.node, wholeArg: next.whole };
    }
    if (/^(?:--bind|-b)$/.test(t) && next && (m = /^[\w.-]*:(\d{1,5})$/.exec(next.text))) {
      return { port: Number(m[1]), node: next.node, wholeArg: false };
    }
  }
  return undefined;
}

/** Warn about keys AIS silently ignores (jsoniter drops unknown fields), suggesting the close known key. */
export function checkUnknownKeys(
  src: YamlSource,
  map: YAMLMap | undefined,
  known: readonly string[],
  where: string,
  out: EtlDiagnostic[],
): void {
  for (const p of (map?.items ?? []) as Pair<Node, AnyNode>[]) {
    const k = isScalar(p.key) ? String(p.key.value) : undefined;
    if (k === undefined || known.includes(k)) continue;
    const close = known.find((c) => editDistance(c, k) <= 2);
    const fix = close ? src.replace(`Change to "${close}"`, p.key, close) : undefined;
    out.push(
      diag(
        'warning',
        'unknown-field',
        `Unknown field "${k}"${where ? ` in ${where}` : ''} is ignored by AIS${close ? `: did you mean "${close}"?` : '.'}`,
        src.key(p),
        fix,
      ),
    );
  }
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}
