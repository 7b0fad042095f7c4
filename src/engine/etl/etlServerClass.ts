// ETLServer subclasses (aistore.sdk.etl.webserver: FastAPIServer, FlaskServer, HTTPMultiThreadedServer) found in
// Python source without running it: which classes, which base, where their transform methods are. Direct,
// aliased and module-qualified imports count; so does a class deriving from another such class of the same file.
import type { SdkServerKind } from './types';
import { blankComments } from './pythonText';

export type SdkServerBase = SdkServerKind;
export const SDK_SERVER_BASES: readonly SdkServerBase[] = ['FastAPIServer', 'FlaskServer', 'HTTPMultiThreadedServer'];
export const SDK_WEBSERVER_MODULE = 'aistore.sdk.etl.webserver';

export interface TransformMethod {
  name: 'transform' | 'transform_stream';
  /** 0-based position of `def`. */
  line: number;
  character: number;
  /** Parameter names as written (annotations and defaults dropped). */
  params: string[];
  isAsync: boolean;
  /** Offsets of the method body in the source: [first body line start, end). */
  bodyStart: number;
  bodyEnd: number;
  /** Indentation of the body's statements. */
  bodyIndent: string;
}

export interface EtlServerClassInfo {
  className: string;
  base: SdkServerBase;
  line: number;
  methods: TransformMethod[];
}

export interface EtlEntryPoint {
  kind: 'function' | 'method';
  name: string;
  className?: string;
  /** Line of the class statement for methods; the `def` line for functions. */
  anchorLine: number;
  line: number;
  character: number;
}

const IDENT = /^[A-Za-z_]\w*$/;

/** Names (aliases included) that stand for an SDK server class in this module. */
function importedServerNames(code: string): Map<string, SdkServerBase> {
  const names = new Map<string, SdkServerBase>(SDK_SERVER_BASES.map((b) => [b, b]));
  const fromImport = /^from\s+aistore\.sdk\.etl\.webserver(?:\.\w+)?\s+import\s+(\([^)]*\)|[^\n]+)/gm;
  for (const m of code.matchAll(fromImport)) {
    for (const item of m[1].replace(/[()\\]/g, ' ').split(',')) {
      const [name, alias] = item.trim().split(/\s+as\s+/);
      const base = SDK_SERVER_BASES.find((b) => b === name?.trim());
      if (base && alias && IDENT.test(alias.trim())) names.set(alias.trim(), base);
    }
  }
  return names;
}

/** `fs.FastAPIServer`, `aistore.sdk.etl.webserver.fastapi_server.FastAPIServer`, an alias, or a local subclass. */
function resolveBase(
  expr: string,
  names: Map<string, SdkServerBase>,
  local: Map<string, SdkServerBase>,
): SdkServerBase | undefined {
  const e = expr.trim();
  if (!e.includes('.')) return names.get(e) ?? local.get(e);
  const last = e.slice(e.lastIndexOf('.') + 1);
  return SDK_SERVER_BASES.find((b) => b === last);
}

function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of s) {
    if ('([{'.includes(c)) depth++;
    if (')]}'.includes(c)) depth--;
    if (c === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur.trim()) out.push(cur);
  return out.map((p) => p.trim()).filter(Boolean);
}

export function paramNames(params: string): string[] {
  return splitTopLevel(params)
    .map((p) => p.split(/[:=]/)[0].trim())
    .filter((p) => p !== '/' && p !== '');
}

interface Block {
  start: number;
  end: number;
  indent: string;
}

/** The indented block after the statement ending at `headerEnd` (a class or def body). */
function blockAfter(code: string, headerEnd: number, parentIndent: number): Block {
  const firstNl = code.indexOf('\n', headerEnd);
  if (firstNl === -1) return { start: code.length, end: code.length, indent: '' };
  let indent = '';
  let pos = firstNl + 1;
  let end = pos;
  while (pos < code.length) {
    const nl = code.indexOf('\n', pos);
    const lineEnd = nl === -1 ? code.length : nl;
    const line = code.slice(pos, lineEnd);
    if (line.trim() !== '') {
      const ind = /^[ \t]*/.exec(line)![0];
      if (ind.length <= parentIndent) break;
      if (!indent) indent = ind;
      end = lineEnd;
    }
    if (nl === -1) break;
    pos = nl + 1;
  }
  return { start: firstNl + 1, end, indent };
}

function lineOf(code: string, offset: number): { line: number; character: number } {
  let line = 0;
  let last = -1;
  for (let i = code.indexOf('\n'); i !== -1 && i < offset; i = code.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  return { line, character: offset - last - 1 };
}

function methodsOf(code: string, body: Block): TransformMethod[] {
  const out: TransformMethod[] = [];
  const re = /^([ \t]+)(async\s+)?def\s+(transform|transform_stream)\s*\(([^)]*)\)[^\n]*:/gm;
  re.lastIndex = body.start;
  for (let m = re.exec(code); m && m.index < body.end; m = re.exec(code)) {
    if (m[1] !== body.indent) continue;
    const defAt = m.index + m[1].length;
    const inner = blockAfter(code, m.index + m[0].length, m[1].length);
    out.push({
      name: m[3] as TransformMethod['name'],
      ...lineOf(code, defAt),
      params: paramNames(m[4]),
      isAsync: Boolean(m[2]),
      bodyStart: inner.start,
      bodyEnd: inner.end,
      bodyIndent: inner.indent || `${m[1]}    `,
    });
  }
  return out;
}

/** Top-level classes deriving (directly or through a class of this file) from an SDK server. */
export function findSdkServerClasses(text: string): EtlServerClassInfo[] {
  const code = blankComments(text);
  const names = importedServerNames(code);
  const local = new Map<string, SdkServerBase>();
  const out: EtlServerClassInfo[] = [];
  for (const m of code.matchAll(/^class\s+(\w+)\s*\(([^)]*)\)\s*:/gm)) {
    const base = splitTopLevel(m[2])
      .filter((b) => !b.includes('='))
      .map((b) => resolveBase(b, names, local))
      .find(Boolean);
    if (!base) continue;
    local.set(m[1], base);
    const body = blockAfter(code, m.index + m[0].length, 0);
    out.push({ className: m[1], base, line: lineOf(code, m.index).line, methods: methodsOf(code, body) });
  }
  return out;
}

/** Whether the module imports anything from the aistore SDK (a strong hint it is meant as an ETL). */
export function importsAistore(text: string): boolean {
  return /^\s*(?:from\s+aistore(?:\.[\w.]+)?\s+import|import\s+aistore\b)/m.test(blankComments(text));
}

/** Where transforms start: top-level `def transform` functions and transform methods of ETLServer classes. */
export function findEtlEntryPoints(text: string): EtlEntryPoint[] {
  const code = blankComments(text);
  const out: EtlEntryPoint[] = [];
  for (const m of code.matchAll(/^(?:async\s+)?def\s+transform\s*\(/gm)) {
    const p = lineOf(code, m.index);
    out.push({ kind: 'function', name: 'transform', anchorLine: p.line, ...p });
  }
  for (const c of findSdkServerClasses(text)) {
    for (const meth of c.methods) {
      out.push({
        kind: 'method',
        name: meth.name,
        className: c.className,
        anchorLine: c.line,
        line: meth.line,
        character: meth.character,
      });
    }
  }
  return out.sort((a, b) => a.line - b.line);
}

/** Only the SDK's FastAPIServer serves the WebSocket endpoint (/ws) that ws:// targets connect to. */
export function wsServerProblem(server: string, commType: string): string | undefined {
  if (commType !== 'ws://' || server === 'FastAPIServer') return undefined;
  return (
    `ws:// needs a FastAPIServer class: ${server} serves no WebSocket endpoint (/ws), so the ETL would deploy ` +
    'and then fail on every object. Choose hpush:// or hpull://, or derive the class from FastAPIServer.'
  );
}
