// A .py with ETLServer classes: one deployable definition per class (what `Etl.init_class` ships), and the checks
// that catch what only fails inside the pod: the transform signature, async transforms, and bytes vs str when
// the class reads objects straight from the target's disk (ETL_DIRECT_FQN).
import type { EtlDefinition, EtlDiagnostic, QuickFix } from './types';
import { findSdkServerClasses, wsServerProblem, type EtlServerClassInfo, type TransformMethod } from './etlServerClass';
import { ETL_CLASS_CONFIG_PREFIX, parseEtlClassConfig, type EtlClassConfig } from './etlClassConfig';
import { LineIndex } from './text';

type ClassDef = Extract<EtlDefinition, { kind: 'etl-class' }>;

const EXPECTED: Record<TransformMethod['name'], string[]> = {
  transform: ['self', 'data', 'path', 'etl_args'],
  transform_stream: ['self', 'reader', 'path', 'etl_args'],
};

function signatureFix(text: string, m: TransformMethod): QuickFix | undefined {
  const lineText = text.split('\n')[m.line] ?? '';
  const open = lineText.indexOf('(', m.character);
  const close = lineText.indexOf(')', open);
  if (open === -1 || close === -1) return undefined;
  const keep = m.params.slice(0, 4).filter((p) => !p.startsWith('*'));
  const names = EXPECTED[m.name].map((n, i) => keep[i] ?? n);
  return {
    title: `Change to ${m.name}(${names.join(', ')})`,
    range: { start: { line: m.line, character: open + 1 }, end: { line: m.line, character: close } },
    newText: names.join(', '),
  };
}

function methodDiagnostics(text: string, lines: LineIndex, c: EtlServerClassInfo, m: TransformMethod): EtlDiagnostic[] {
  const out: EtlDiagnostic[] = [];
  const range = lines.lineRange(m.line);
  const positional = m.params.filter((p) => !p.startsWith('*'));
  if (positional.length !== 4 && !m.params.some((p) => p.startsWith('*') && !p.startsWith('**'))) {
    const fix = signatureFix(text, m);
    out.push({
      severity: 'error',
      code: 'etl-class-transform-signature',
      range,
      ...(fix ? { fix } : {}),
      message:
        `${c.base} calls ${m.name}(${EXPECTED[m.name].slice(1).join(', ')}) on your instance, so it must be declared ` +
        `as ${m.name}(${EXPECTED[m.name].join(', ')}); this one takes ${positional.length} positional parameter(s).`,
    });
  }
  if (m.isAsync) {
    out.push({
      severity: 'error',
      code: 'etl-class-transform-async',
      range,
      message:
        `${m.name}() is async, but the server calls it synchronously and would get a coroutine instead of ` +
        `bytes: make it a plain def.`,
    });
  }
  return out;
}

function body(text: string, m: TransformMethod): string {
  return text.slice(m.bodyStart, m.bodyEnd);
}

/** With direct file access the first pipeline stage receives a str path; without it, bytes. */
function directFqnDiagnostics(
  text: string,
  lines: LineIndex,
  m: TransformMethod,
  cfg: EtlClassConfig,
): EtlDiagnostic[] {
  if (m.name !== 'transform') return [];
  const data = m.params[1];
  if (!data || data.startsWith('*')) return [];
  const code = body(text, m);
  const handlesStr = new RegExp(`isinstance\\(\\s*${data}\\s*,[^)]*\\bstr\\b`).test(code);
  const opensData = new RegExp(`\\bopen\\(\\s*${data}\\b`).test(code);
  if (cfg.directFqn && !handlesStr && !opensData) {
    const ind = m.bodyIndent;
    return [
      {
        severity: 'warning',
        code: 'etl-class-direct-fqn-bytes',
        range: lines.lineRange(m.line),
        message:
          `direct_fqn = true: the first pipeline stage passes "${data}" as the object's local path (str), not bytes ` +
          '(later stages still pass bytes). Open the file, or handle both with isinstance(…, str).',
        fix: {
          title: `Read the file when ${data} is a path`,
          range: { start: lines.position(m.bodyStart), end: lines.position(m.bodyStart) },
          newText:
            `${ind}if isinstance(${data}, str):  # direct file access: the object's local path\n` +
            `${ind}    with open(${data}, "rb") as f:\n${ind}        ${data} = f.read()\n`,
        },
      },
    ];
  }
  if (!cfg.directFqn && opensData && !handlesStr) {
    return [
      {
        severity: 'warning',
        code: 'etl-class-open-bytes',
        range: lines.lineRange(m.line),
        message:
          `"${data}" holds the object's bytes unless direct file access is on: open(${data}) fails. ` +
          `Add "${ETL_CLASS_CONFIG_PREFIX} direct_fqn = true" (env ETL_DIRECT_FQN) or use the bytes.`,
        fix: {
          title: 'Turn on direct file access (direct_fqn = true)',
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          newText: `${ETL_CLASS_CONFIG_PREFIX} direct_fqn = true\n`,
        },
      },
    ];
  }
  return [];
}

function missingTransform(lines: LineIndex, c: EtlServerClassInfo, bodyIndent: string): EtlDiagnostic {
  const at = lines.lineRange(c.line).end;
  return {
    severity: 'error',
    code: 'etl-class-no-transform',
    range: lines.lineRange(c.line),
    message:
      `${c.className} defines neither transform(self, data, path, etl_args) nor transform_stream(self, reader, ` +
      `path, etl_args): ` +
      `${c.base} answers every object with an error until one is overridden.`,
    fix: {
      title: 'Add a transform method',
      range: { start: at, end: at },
      newText:
        `\n${bodyIndent}def transform(self, data: bytes, path: str, etl_args: str) -> bytes:\n${bodyIndent} ` +
        `   return data\n`,
    },
  };
}

function toDefinition(c: EtlServerClassInfo, cfg: EtlClassConfig): ClassDef {
  const def: ClassDef = { kind: 'etl-class', className: c.className, server: c.base, env: cfg.env };
  const optional: Partial<ClassDef> = {
    name: cfg.name,
    commType: cfg.commType,
    initTimeout: cfg.initTimeout,
    objTimeout: cfg.objTimeout,
    packages: cfg.packages,
    osPackages: cfg.osPackages,
    numWorkers: cfg.numWorkers,
    directFqn: cfg.directFqn,
    supportDirectPut: cfg.supportDirectPut,
  };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) Object.assign(def, { [k]: v });
  return def;
}

export function parseEtlClassFile(text: string): { definitions: EtlDefinition[]; diagnostics: EtlDiagnostic[] } {
  const lines = new LineIndex(text);
  const { config, diagnostics } = parseEtlClassConfig(text);
  const classes = findSdkServerClasses(text);
  const withTransform = new Set(classes.filter((c) => c.methods.length > 0).map((c) => c.className));
  const defs: ClassDef[] = [];
  for (const c of classes) {
    const before = diagnostics.length;
    for (const m of c.methods)
      diagnostics.push(...methodDiagnostics(text, lines, c, m), ...directFqnDiagnostics(text, lines, m, config));
    const inherits = new RegExp(
      `^class\\s+${c.className}\\s*\\([^)]*\\b(${[...withTransform].join('|') || '$^'})\\b`,
      'm',
    ).test(text);
    if (c.methods.length === 0 && !inherits) diagnostics.push(missingTransform(lines, c, '    '));
    const wsProblem = config.commType ? wsServerProblem(c.base, config.commType) : undefined;
    if (wsProblem) {
      const line = config.lines.communication ?? c.line;
      diagnostics.push({
        severity: 'error',
        code: 'etl-class-ws-server',
        range: lines.lineRange(line),
        message: wsProblem,
      });
    }
    if (!diagnostics.slice(before).some((d) => d.severity === 'error')) defs.push(toDefinition(c, config));
  }
  if (config.className && !classes.some((c) => c.className === config.className)) {
    diagnostics.push({
      severity: 'error',
      code: 'etl-class-config-value',
      range: lines.lineRange(config.lines.class ?? 0),
      message:
        `ais-etl class: no ETLServer class "${config.className}" in this file (found: ` +
        `${classes.map((c) => c.className).join(', ')}).`,
    });
  }
  const chosen = config.className ? defs.filter((d) => d.className === config.className) : defs;
  const hasConfigError = diagnostics.some((d) => d.severity === 'error' && d.code.startsWith('etl-class-config'));
  return { definitions: hasConfigError ? [] : chosen, diagnostics };
}
