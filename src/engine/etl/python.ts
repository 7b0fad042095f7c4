// Python ETL sources: recognising code ETLs (`def transform(`) and io:// scripts (stdin → stdout),
// and the few checks worth doing without a Python parser.
import type { EtlDefinition, EtlDiagnostic, QuickFix } from './types';
import { LineIndex, pointRange } from './text';
import { blankComments } from './pythonText';
import { findSdkServerClasses } from './etlServerClass';

import { DEFAULT_PYTHON_RUNTIME, PYTHON_RUNTIMES } from './runtimes';

export { DEFAULT_PYTHON_RUNTIME, PYTHON_RUNTIMES };
export const DEFAULT_TRANSFORM_FUNCTION = 'transform';

function topLevelTransformOffset(code: string, fn: string): number {
  const re = new RegExp(
    `^(?:(?:async\\s+)?def\\s+${fn}\\s*\\(|${fn}\\s*=|from\\s+\\S+\\s+import\\s+[^\\n]*\\b${fn}\\b)`,
    'm',
  );
  const m = re.exec(code);
  return m ? m.index : -1;
}

function readsStdinWritesStdout(code: string): boolean {
  return /\bsys\.stdin\b/.test(code) && (/\bsys\.stdout\b/.test(code) || /\bprint\s*\(/.test(code));
}

export function detectPythonKind(text: string): 'python-transform' | 'python-etl-class' | 'io-script' | 'unknown' {
  const code = blankComments(text);
  // An ETLServer class is deployed as init_class ships it, even when the module also has helper functions.
  if (findSdkServerClasses(text).length > 0) return 'python-etl-class';
  if (topLevelTransformOffset(code, DEFAULT_TRANSFORM_FUNCTION) !== -1) return 'python-transform';
  if (readsStdinWritesStdout(code)) return 'io-script';
  // A module using the SDK's servers without a usable class is an ETL with no entry point yet.
  if (/^\s*(?:from|import)\s+aistore\.sdk\.etl\.webserver\b/m.test(code)) return 'unknown';
  // A nested/indented transform is still meant as a code ETL: parse it so the user learns why it won't work.
  if (/^[ \t]+(?:async\s+)?def\s+transform\s*\(/m.test(code)) return 'python-transform';
  return 'unknown';
}

function transformDiagnostics(text: string, lines: LineIndex): EtlDiagnostic[] {
  const code = blankComments(text);
  const top = topLevelTransformOffset(code, DEFAULT_TRANSFORM_FUNCTION);
  if (top === -1) {
    const nested = /^([ \t]+)(?:async\s+)?def\s+transform\s*\(/m.exec(code);
    const range = nested ? lines.lineRange(lines.position(nested.index).line) : pointRange();
    return [
      {
        severity: 'error',
        code: 'python-no-transform',
        range,
        message: nested
          ? 'transform() is not defined at the top level of the module: AIS imports the module and calls its top-level transform(data: bytes) -> bytes; move it out of the class/function.'
          : 'No top-level transform() found: a code ETL must define `def transform(data: bytes) -> bytes` that returns the transformed object.',
      },
    ];
  }
  const sig = /^(?:async\s+)?def\s+transform\s*\(([^)]*)\)/m.exec(code.slice(top));
  const out: EtlDiagnostic[] = [];
  if (sig && sig[1].trim() === '') {
    out.push({
      severity: 'error',
      code: 'transform-signature',
      range: lines.lineRange(lines.position(top).line),
      message:
        'transform() takes no arguments, but AIS calls it with the object bytes: declare it as `def transform(data: bytes) -> bytes`.',
    });
  }
  if (/^async\s+def\s+transform/m.test(code.slice(top, top + 20))) {
    out.push({
      severity: 'error',
      code: 'transform-async',
      range: lines.lineRange(lines.position(top).line),
      message: 'transform() is async, but AIS calls it synchronously and would get a coroutine: make it a plain `def`.',
    });
  }
  return out;
}

/**
 * `for chunk in sys.stdin.buffer.read():` iterates the bytes one int at a time, so `md5.update(chunk)` raises
 * TypeError in Python 3 (the tutorial's io:// script does this). Fix: read once, or iterate real chunks.
 */
function ioBytesLoopDiagnostics(text: string, lines: LineIndex): EtlDiagnostic[] {
  const out: EtlDiagnostic[] = [];
  const header =
    /^([ \t]*)for[ \t]+(\w+)[ \t]+in[ \t]+(sys\.stdin\.buffer\.read\(([^)\n]*)\))[ \t]*:[ \t]*(?:#[^\r\n]*)?\r?$/gm;
  for (const m of text.matchAll(header)) {
    const [, indent, loopVar, readCall, readArg] = m;
    const start = m.index;
    const headerLine = lines.position(start).line;
    const fix =
      singleCallFix(text, lines, headerLine, indent, loopVar) ??
      chunkedIterFix(lines, start + m[0].indexOf(readCall), readCall.length, readArg.trim());
    out.push({
      severity: 'warning',
      code: 'io-iterates-bytes',
      range: lines.lineRange(headerLine),
      fix,
      message: `Iterating sys.stdin.buffer.read() yields single ints, not chunks: "${loopVar}" is an int and e.g. md5.update(${loopVar}) raises TypeError. Read the bytes once (md5.update(sys.stdin.buffer.read())) or iterate fixed-size chunks.`,
    });
  }
  return out;
}

function singleCallFix(
  text: string,
  lines: LineIndex,
  headerLine: number,
  indent: string,
  loopVar: string,
): QuickFix | undefined {
  const all = text.split('\n');
  const body: number[] = [];
  for (let l = headerLine + 1; l < all.length; l++) {
    const s = all[l].replace(/\r$/, '');
    if (s.trim() === '') continue;
    const ind = /^[ \t]*/.exec(s)![0];
    if (ind.length <= indent.length) break;
    body.push(l);
  }
  if (body.length !== 1) return undefined;
  const call = new RegExp(`^[ \\t]*([\\w.]+)\\(\\s*${loopVar}\\s*\\)[ \\t]*$`).exec(all[body[0]].replace(/\r$/, ''));
  if (!call) return undefined;
  const from = lines.lineRange(headerLine).start;
  const to = lines.lineRange(body[0]).end;
  return {
    title: `Replace the loop with ${call[1]}(sys.stdin.buffer.read())`,
    range: { start: { line: from.line, character: indent.length }, end: to },
    newText: `${call[1]}(sys.stdin.buffer.read())`,
  };
}

function chunkedIterFix(lines: LineIndex, offset: number, length: number, arg: string): QuickFix {
  const size = arg === '' || arg === '-1' ? '1 << 20' : arg;
  return {
    title: 'Iterate over chunks of bytes instead of single ints',
    range: lines.range(offset, offset + length),
    newText: `iter(lambda: sys.stdin.buffer.read(${size}), b"")`,
  };
}

/** A Python string literal for `s`: a readable raw triple-quoted string when safe, else base64. */
function pythonLiteral(s: string): { literal: string; needsBase64: boolean } {
  const rawSafe = !s.includes("'''") && !/\\$/.test(s) && !s.endsWith("'") && !s.includes('\r');
  if (rawSafe) return { literal: `r'''${s}'''`, needsBase64: false };
  return {
    literal: `base64.b64decode("${Buffer.from(s, 'utf8').toString('base64')}").decode("utf-8")`,
    needsBase64: true,
  };
}

/**
 * Converts an io:// script (stdin → stdout) into a module with `transform(data: bytes) -> bytes` that runs the
 * original script per object. Used for AIS ≥3.30 deployments and offered as a quick fix (5.0 removed io://).
 */
export function ioScriptToTransform(script: string): string {
  const { literal, needsBase64 } = pythonLiteral(script);
  return [
    '# Converted from an io:// script (AIS 5.0 removed io://): transform() runs the original script',
    '# with the object on stdin and returns what it wrote to stdout.',
    ...(needsBase64 ? ['import base64'] : []),
    'import subprocess',
    'import sys',
    '',
    `IO_SCRIPT = ${literal}`,
    '',
    '',
    'def transform(data: bytes) -> bytes:',
    '    proc = subprocess.run([sys.executable, "-c", IO_SCRIPT], input=data, capture_output=True, check=False)',
    '    sys.stderr.write(proc.stderr.decode("utf-8", errors="replace"))',
    '    if proc.returncode != 0:',
    '        tail = proc.stderr.decode("utf-8", errors="replace")[-2000:]',
    '        raise RuntimeError(f"io script exited with status {proc.returncode}: {tail}")',
    '    return proc.stdout',
    '',
  ].join('\n');
}

function convertFix(text: string, lines: LineIndex): QuickFix {
  const last = lines.lineRange(lines.lineCount - 1).end;
  return {
    title: 'Convert to a transform(bytes) function',
    range: { start: { line: 0, character: 0 }, end: last },
    newText: ioScriptToTransform(text),
  };
}

export function parsePython(
  kind: 'python-transform' | 'io-script',
  text: string,
): { definitions: EtlDefinition[]; diagnostics: EtlDiagnostic[] } {
  const lines = new LineIndex(text);
  if (kind === 'python-transform') {
    const diagnostics = transformDiagnostics(text, lines);
    const ok = !diagnostics.some((d) => d.severity === 'error');
    return {
      definitions: ok
        ? [{ kind: 'code', code: text, runtime: DEFAULT_PYTHON_RUNTIME, functionName: DEFAULT_TRANSFORM_FUNCTION }]
        : [],
      diagnostics,
    };
  }
  const firstStdin = /\bsys\.stdin\b/.exec(blankComments(text));
  const at = firstStdin ? lines.lineRange(lines.position(firstStdin.index).line) : pointRange();
  const diagnostics: EtlDiagnostic[] = [
    ...ioBytesLoopDiagnostics(text, lines),
    {
      severity: 'info',
      code: 'io-script-legacy',
      range: at,
      fix: convertFix(text, lines),
      message:
        'io:// scripts run on AIS 3.7–4.9 only (removed in 5.0); on 3.30–4.9 the extension deploys them through a Python runtime wrapper. Quick fix: convert to a transform(bytes) function.',
    },
  ];
  return { definitions: [{ kind: 'io', code: text, runtime: DEFAULT_PYTHON_RUNTIME, commType: 'io://' }], diagnostics };
}

/** What "Add a transform" inserts into a Python file without an entry point: the plain function form. */
export const TRANSFORM_SKELETON = [
  '',
  '',
  'def transform(data: bytes) -> bytes:',
  '    """AIS calls this with each object\'s bytes and stores what it returns as the transformed object."""',
  '    return data',
  '',
].join('\n');

/** A Python file with no transform entry point: the diagnostic, with a fix that appends a transform skeleton. */
export function noEntryPointDiagnostic(text: string): EtlDiagnostic {
  const lines = new LineIndex(text);
  const end = lines.lineRange(lines.lineCount - 1).end;
  const trailing = text.endsWith('\n') ? '' : '\n';
  return {
    severity: 'info',
    code: 'python-no-transform',
    range: pointRange(),
    message:
      'No ETL entry point: define a top-level `def transform(data: bytes) -> bytes`, or a class deriving from ' +
      'FastAPIServer, FlaskServer or HTTPMultiThreadedServer (aistore.sdk.etl.webserver) with ' +
      'transform(self, data, path, etl_args). An io:// script reads sys.stdin and writes sys.stdout.',
    fix: {
      title: 'Add a transform(data) ' + 'function',
      range: { start: end, end },
      newText: `${trailing}${TRANSFORM_SKELETON}`,
    },
  };
}
