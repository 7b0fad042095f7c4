// Entry points: what kind of ETL file is this, and what does it define (with diagnostics)?
import type { EtlFileKind, ParsedEtlFile } from './types';
import { decodeInput, MAX_ETL_FILE_BYTES, pointRange } from './text';
import { detectPythonKind, noEntryPointDiagnostic, parsePython } from './python';
import { parseEtlClassFile } from './etlClassFile';
import { conversionDiagnostics } from './podToRuntime';
import { detectYamlKind, parseYamlFile } from './yamlFile';
import { parseDockerfile } from './dockerfile';

function baseName(fileName: string): string {
  return fileName.split(/[\\/]/).pop() ?? fileName;
}

export function isDockerfileName(fileName: string): boolean {
  const b = baseName(fileName).toLowerCase();
  return b === 'dockerfile' || b === 'containerfile' || b.endsWith('.dockerfile') || b.startsWith('dockerfile.');
}

function extension(fileName: string): string {
  const m = /\.([^.\\/]+)$/.exec(baseName(fileName));
  return m ? m[1].toLowerCase() : '';
}

function startsWithFrom(text: string): boolean {
  return /^(?:\s*#[^\n]*\n|\s*\n)*\s*(?:ARG\s[^\n]*\n\s*)*FROM\s+\S/i.test(text);
}

export function detectEtlFileKind(fileName: string, text: string): EtlFileKind {
  try {
    // Detection reads at most the cap; parseEtlFile reports the oversize file itself.
    const t = text.length > MAX_ETL_FILE_BYTES ? text.slice(0, 64 * 1024) : text;
    if (isDockerfileName(fileName)) return 'dockerfile';
    const ext = extension(fileName);
    if (ext === 'py') return detectPythonKind(t);
    if (ext === 'yaml' || ext === 'yml' || ext === 'json') return detectYamlKind(t);
    if (startsWithFrom(t)) return 'dockerfile';
    const py = detectPythonKind(t);
    if (py !== 'unknown') return py;
    return detectYamlKind(t);
  } catch {
    return 'unknown';
  }
}

function parseText(fileName: string, text: string): ParsedEtlFile {
  const kind = detectEtlFileKind(fileName, text);
  switch (kind) {
    case 'python-transform':
    case 'io-script':
      return { kind, ...parsePython(kind, text) };
    case 'python-etl-class':
      return { kind, ...parseEtlClassFile(text) };
    case 'pod-spec': {
      const parsed = parseYamlFile(fileName, text);
      if (parsed.kind === 'pod-spec') parsed.diagnostics.push(...conversionDiagnostics(fileName, text));
      return parsed;
    }
    case 'runtime-spec':
      return parseYamlFile(fileName, text);
    case 'dockerfile':
      return { kind, definitions: [], diagnostics: parseDockerfile(text).diagnostics };
    case 'unknown': {
      const ext = extension(fileName);
      if (ext === 'yaml' || ext === 'yml' || ext === 'json') return parseYamlFile(fileName, text);
      if (ext === 'py') return { kind, definitions: [], diagnostics: [noEntryPointDiagnostic(text)] };
      const message =
        'Not recognised as an ETL definition: expected a Python transform() or ETLServer class, an ' +
        'io:// ' +
        'stdin/stdout script, a runtime or Pod spec YAML, or a Dockerfile.';
      return {
        kind,
        definitions: [],
        diagnostics: [{ severity: 'info', code: 'unknown-kind', message, range: pointRange() }],
      };
    }
  }
}

/** Never throws: malformed, binary, non-UTF-8 or oversized input comes back as diagnostics. */
export function parseEtlFile(fileName: string, text: string | Buffer): ParsedEtlFile {
  try {
    const decoded = decodeInput(text);
    if (!decoded.ok) return { kind: 'unknown', definitions: [], diagnostics: [decoded.diagnostic] };
    return parseText(fileName, decoded.text);
  } catch (e) {
    return {
      kind: 'unknown',
      definitions: [],
      diagnostics: [
        {
          severity: 'error',
          code: 'internal-error',
          range: pointRange(),
          message: `Could not analyse this file (${e instanceof Error ? e.message : String(e)}); please report it with the file attached.`,
        },
      ],
    };
  }
}
