// A hand-written ETL server (http.server, Flask, FastAPI) that a spec next to it runs, checked against what
// AIS 4.0+ sends it (etl-api.md §7): hpush is a PUT with an empty body and ?etl_fqn=<local path>, readiness is
// GET /health, and a runtime-spec container listens on 8000. Servers built on the SDK's ETLServer classes
// implement all of this already and are not checked here.
import type { EtlDefinition, EtlDiagnostic, QuickFix } from './types';
import { blankComments } from './pythonText';
import { findSdkServerClasses } from './etlServerClass';
import { findCommandPort } from './fields';
import { RUNTIME_CONTAINER_PORT } from './runtimeSpec';
import { LineIndex } from './text';

export interface ServerUsage {
  specKind: 'pod-spec' | 'runtime-spec';
  /** The spec that runs this server (file name, for messages). */
  specFile: string;
  /** The port the spec's command passes to the server, when it passes one. */
  commandPort?: number;
}

interface Src {
  text: string;
  code: string;
  lines: LineIndex;
}

function insertAt(lines: LineIndex, offset: number, title: string, newText: string): QuickFix {
  const at = lines.position(offset);
  return { title, range: { start: at, end: at }, newText };
}

/** End offset of the indented block (method body) that starts after the line at `offset`. */
function blockEnd(code: string, offset: number): number {
  const indent = /^[ \t]*/.exec(code.slice(code.lastIndexOf('\n', offset) + 1))![0].length;
  let end = code.indexOf('\n', offset);
  if (end === -1) return code.length;
  for (let pos = end + 1; pos < code.length;) {
    const nl = code.indexOf('\n', pos);
    const line = code.slice(pos, nl === -1 ? code.length : nl);
    if (line.trim() !== '') {
      if (/^[ \t]*/.exec(line)![0].length <= indent) break;
      end = nl === -1 ? code.length : nl;
    }
    if (nl === -1) break;
    pos = nl + 1;
  }
  return end;
}

function postOnly(s: Src, usage: ServerUsage): EtlDiagnostic[] {
  const why =
    `AIS 4.0 and later send hpush:// objects as PUT (${usage.specFile} runs this server): a server that only ` +
    'answers POST fails every object with 501 on a current cluster.';
  const post = /^([ \t]+)def\s+do_POST\s*\(/m.exec(s.code);
  if (post && !/\bdo_PUT\b/.test(s.code)) {
    const end = blockEnd(s.code, post.index + post[1].length);
    return [
      {
        severity: 'warning',
        code: 'server-post-only',
        message: `${why} Answer PUT the same way.`,
        range: s.lines.lineRange(s.lines.position(post.index).line),
        fix: insertAt(s.lines, end, 'Answer PUT like POST (do_PUT = do_POST)', `\n\n${post[1]}do_PUT = do_POST`),
      },
    ];
  }
  const out: EtlDiagnostic[] = [];
  for (const m of s.code.matchAll(/methods\s*=\s*\[([^\]]*)\]/g)) {
    if (!/["']POST["']/.test(m[1]) || /["']PUT["']/.test(m[1])) continue;
    const inner = m.index + m[0].indexOf('[') + 1;
    out.push({
      severity: 'warning',
      code: 'server-post-only',
      message: `${why} Add "PUT" to the route's methods.`,
      range: s.lines.range(m.index, m.index + m[0].length),
      fix: {
        title: 'Accept PUT too',
        range: s.lines.range(inner, inner + m[1].length),
        newText: `${m[1].trim()}, "PUT"`,
      },
    });
  }
  const dec = /^([ \t]*)@(\w+)\.post\(([^\n]*)\)[ \t]*$/m.exec(s.code);
  if (dec && !new RegExp(`@${dec[2]}\\.put\\(`).test(s.code)) {
    out.push({
      severity: 'warning',
      code: 'server-post-only',
      message: `${why} Add a PUT route to the same handler.`,
      range: s.lines.lineRange(s.lines.position(dec.index).line),
      fix: insertAt(s.lines, dec.index, 'Route PUT to the same handler', `${dec[1]}@${dec[2]}.put(${dec[3]})\n`),
    });
  }
  return out;
}

const BODY_READ = /(\bself\.rfile\.read\(|\brequest\.(?:get_data\(|data\b|stream\b|body\(\)))/;

function fqnFix(s: Src, line: number): QuickFix | undefined {
  const text = s.text.split('\n')[line]?.replace(/\r$/, '') ?? '';
  const m = /^([ \t]*)(\w+)\s*=\s*(self\.rfile\.read\([^)]*\))\s*$/.exec(text);
  if (!m) return undefined;
  const [, ind, v, read] = m;
  const block = [
    `${ind}import urllib.parse  # AIS >= 4.0: empty body, the object is a local file named by ?etl_fqn=`,
    `${ind}query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)`,
    `${ind}if "etl_fqn" in query:`,
    `${ind}    with open(urllib.parse.unquote(query["etl_fqn"][0]), "rb") as f:`,
    `${ind}        ${v} = f.read()`,
    `${ind}else:`,
    `${ind}    ${v} = ${read}`,
  ].join('\n');
  return {
    title: 'Read the object from ?etl_fqn= when the body is empty',
    range: s.lines.lineRange(line),
    newText: block,
  };
}

function readsBody(s: Src): EtlDiagnostic[] {
  if (/etl_fqn/.test(s.code)) return [];
  const m = BODY_READ.exec(s.code);
  if (!m) return [];
  const line = s.lines.position(m.index).line;
  const fix = fqnFix(s, line);
  return [
    {
      severity: 'warning',
      code: 'server-reads-body',
      range: s.lines.lineRange(line),
      ...(fix ? { fix } : {}),
      message:
        'AIS 4.0 and later send hpush:// objects with an empty body and ?etl_fqn=<path of the object on the target> ' +
        "(the target's disks are mounted read-only in the pod): reading only the body transforms an empty object. " +
        'Open the ' +
        'etl_fqn file when it is given.',
    },
  ];
}

const HEALTH_REPLY = [
  'if self.path == "/health":',
  '    self.send_response(200)',
  '    self.send_header("Content-Length", "7")',
  '    self.end_headers()',
  '    self.wfile.write(b"Running")',
  '    return',
];

function noHealth(s: Src, usage: ServerUsage): EtlDiagnostic[] {
  if (/["']\/health["']/.test(s.code)) return [];
  const message =
    `AIS waits for GET /health to answer 200 before it sends objects (${usage.specFile}: ` +
    `${usage.specKind === 'runtime-spec' ? 'the readiness probe of every runtime spec' : 'the readinessProbe AIS 3.9+ requires'}); this server has no /health.`;
  const warn = (at: number, fix: QuickFix): EtlDiagnostic[] => [
    {
      severity: 'warning',
      code: 'server-no-health',
      message,
      range: s.lines.lineRange(s.lines.position(at).line),
      fix,
    },
  ];
  const get = /^([ \t]+)def\s+do_GET\s*\([^)]*\)[^\n]*:[ \t]*$/m.exec(s.code);
  if (get) {
    const bodyAt = s.code.indexOf('\n', get.index) + 1;
    const ind = /^[ \t]*/.exec(s.code.slice(bodyAt))![0] || `${get[1]}    `;
    const reply = `${HEALTH_REPLY.map((l) => ind + l).join('\n')}\n`;
    return warn(get.index, insertAt(s.lines, bodyAt, 'Answer GET /health with 200', reply));
  }
  const handler = /^([ \t]+)def\s+do_(?:POST|PUT)\s*\(/m.exec(s.code);
  if (!handler) return [{ severity: 'warning', code: 'server-no-health', message, range: s.lines.lineRange(0) }];
  const ind = handler[1];
  const method = [
    `def do_GET(self):`,
    ...HEALTH_REPLY.map((l) => `    ${l}`),
    '    self.send_response(404)',
    '    self.end_headers()',
  ];
  const at = blockEnd(s.code, handler.index + ind.length);
  return warn(
    handler.index,
    insertAt(s.lines, at, 'Add do_GET answering /health', `\n\n${method.map((l) => ind + l).join('\n')}`),
  );
}

/** Default ports in the server's own code (argparse default, port= parameters, (host, port) tuples). */
function wrongPort(s: Src, usage: ServerUsage): EtlDiagnostic[] {
  if (usage.specKind !== 'runtime-spec' || usage.commandPort !== undefined) return [];
  const patterns = [
    /["']--port["'][^\n)]*?\bdefault\s*=\s*(\d{2,5})\b/g,
    /\bport\s*=\s*(\d{2,5})\b/g,
    /\(\s*["'][\w.]*["']\s*,\s*(\d{2,5})\s*\)/g,
  ];
  const out: EtlDiagnostic[] = [];
  for (const re of patterns) {
    for (const m of s.code.matchAll(re)) {
      if (Number(m[1]) === RUNTIME_CONTAINER_PORT) continue;
      const at = m.index + m[0].lastIndexOf(m[1]);
      const range = s.lines.range(at, at + m[1].length);
      if (out.some((d) => d.range.start.line === range.start.line)) continue;
      out.push({
        severity: 'warning',
        code: 'server-port',
        range,
        message:
          `This server listens on ${m[1]}, but AIS connects to port ${RUNTIME_CONTAINER_PORT} of a ` +
          `runtime-spec container (${usage.specFile} passes no --port).`,
        fix: { title: `Listen on ${RUNTIME_CONTAINER_PORT}`, range, newText: String(RUNTIME_CONTAINER_PORT) },
      });
    }
  }
  return out;
}

/** The current contract's checks for a server the spec `usage` runs; nothing for SDK ETLServer classes. */
export function serverContractDiagnostics(text: string, usage: ServerUsage): EtlDiagnostic[] {
  if (findSdkServerClasses(text).length > 0) return [];
  const s: Src = { text, code: blankComments(text), lines: new LineIndex(text) };
  if (!/\bdef\s+do_(?:POST|PUT|GET)\b|@\w+\.(?:route|post|put|get)\(/.test(s.code)) return [];
  return [...postOnly(s, usage), ...readsBody(s), ...noHealth(s, usage), ...wrongPort(s, usage)];
}

/** How a parsed spec runs a server file: by naming it in its command (or its Dockerfile's entrypoint). */
export function serverUsageFromSpec(
  serverFile: string,
  spec: { fileName: string; text: string; kind: string; definitions: EtlDefinition[] },
  dockerfileText?: string,
): ServerUsage | undefined {
  if (spec.kind !== 'pod-spec' && spec.kind !== 'runtime-spec') return undefined;
  const base = serverFile.split(/[\\/]/).pop() ?? serverFile;
  const named = (t: string | undefined) =>
    t !== undefined && new RegExp(`(^|[\\s/'"\\[,])${base.replace(/\./g, '\\.')}\\b`).test(t);
  if (!named(spec.text) && !named(dockerfileText)) return undefined;
  const usage: ServerUsage = { specKind: spec.kind, specFile: spec.fileName.split(/[\\/]/).pop() ?? spec.fileName };
  const def = spec.definitions[0];
  if (def?.kind === 'runtime-spec' && def.command) {
    const port = findCommandPort(def.command.map((text) => ({ text })));
    if (port) usage.commandPort = port.port;
  }
  return usage;
}
