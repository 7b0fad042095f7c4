// Small helpers over the `yaml` package AST: typed lookups, source ranges (via LineCounter) and text edits.
import {
  isMap,
  isScalar,
  isSeq,
  type Document,
  type LineCounter,
  type Node,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import type { EtlDiagnostic, QuickFix, Range } from './types';

export type AnyNode = Node | null | undefined;

export function asMap(n: unknown): YAMLMap | undefined {
  return isMap(n) ? n : undefined;
}
export function asSeq(n: unknown): YAMLSeq | undefined {
  return isSeq(n) ? n : undefined;
}

export function keyName(p: Pair): string | undefined {
  return isScalar(p.key) ? String(p.key.value) : undefined;
}

export function getPair(map: YAMLMap | undefined, key: string): Pair<Node, AnyNode> | undefined {
  return map?.items.find((p) => keyName(p) === key) as Pair<Node, AnyNode> | undefined;
}

export function getNode(map: YAMLMap | undefined, key: string): AnyNode {
  return getPair(map, key)?.value;
}

/** The scalar value as a string only when the YAML value really is a string (not a number or bool). */
export function stringValue(n: unknown): string | undefined {
  return isScalar(n) && typeof n.value === 'string' ? n.value : undefined;
}

/** Source-position helpers bound to one document's text and LineCounter. */
export class YamlSource {
  constructor(
    readonly text: string,
    private readonly lc: LineCounter,
  ) {}

  pos(offset: number): { line: number; character: number } {
    const p = this.lc.linePos(offset);
    return { line: p.line - 1, character: p.col - 1 };
  }
  offsets(start: number, end: number): Range {
    return { start: this.pos(start), end: this.pos(end) };
  }
  /** Range of a node's value (not its trailing comments/newlines). */
  node(n: AnyNode, fallback?: Range): Range {
    if (n?.range) return this.offsets(n.range[0], n.range[1]);
    return fallback ?? this.offsets(0, 0);
  }
  /** `key: value` as written. */
  pair(p: Pair | undefined, fallback?: Range): Range {
    const k = p?.key as AnyNode;
    if (!k?.range) return fallback ?? this.offsets(0, 0);
    const v = p?.value as AnyNode;
    return this.offsets(k.range[0], v?.range ? v.range[1] : k.range[1]);
  }
  key(p: Pair | undefined, fallback?: Range): Range {
    return this.node(p?.key as AnyNode, fallback);
  }
  /** Range of the first line of a node: keeps squiggles short on big maps. */
  firstLine(n: AnyNode, fallback?: Range): Range {
    if (!n?.range) return fallback ?? this.offsets(0, 0);
    const start = n.range[0];
    let end = this.text.indexOf('\n', start);
    if (end === -1 || end > n.range[1]) end = n.range[1];
    if (end > start && this.text[end - 1] === '\r') end--;
    return this.offsets(start, end);
  }

  replace(title: string, n: AnyNode, newText: string): QuickFix | undefined {
    if (!n?.range) return undefined;
    return { title, range: this.node(n), newText };
  }

  /** Inserts `line` before the map's first key, at that key's column (the document start for an empty map). */
  prependToMap(title: string, map: YAMLMap, line: string): QuickFix {
    const first = map.items[0]?.key as AnyNode;
    const at = first?.range ? this.pos(first.range[0]) : { line: 0, character: 0 };
    return { title, range: { start: at, end: at }, newText: `${line}\n${' '.repeat(at.character)}` };
  }

  /**
   * Adds `key: value` lines (already indented relative to the map's keys) at the end of a block map,
   * or `flow` (e.g. `key: {a: 1}`) to a flow map. `lines` are relative to the map's key column.
   */
  appendToMap(title: string, map: YAMLMap | undefined, lines: string[], flow?: string): QuickFix | undefined {
    if (!map?.range || map.items.length === 0) return undefined;
    const last = map.items[map.items.length - 1];
    const lastEnd = ((last.value as AnyNode)?.range ?? (last.key as AnyNode)?.range)?.[1];
    if (lastEnd === undefined) return undefined;
    const at = this.pos(lastEnd);
    if (map.flow) {
      const text = flow ?? (lines.length === 1 ? lines[0].trim() : undefined);
      return text === undefined ? undefined : { title, range: { start: at, end: at }, newText: `, ${text}` };
    }
    const indent = ' '.repeat(this.pos((map.items[0].key as Node).range![0]).character);
    return { title, range: { start: at, end: at }, newText: lines.map((l) => `\n${indent}${l}`).join('') };
  }
}

export function diag(
  severity: EtlDiagnostic['severity'],
  code: string,
  message: string,
  range: Range,
  fix?: QuickFix,
): EtlDiagnostic {
  return fix ? { severity, code, message, range, fix } : { severity, code, message, range };
}

/** Plain JS for a node, tolerating alias bombs and other surprises (never throws). */
export function toPlain(node: AnyNode, doc: Document): unknown {
  try {
    return node ? node.toJS(doc, { maxAliasCount: 100 }) : undefined;
  } catch {
    return undefined;
  }
}
