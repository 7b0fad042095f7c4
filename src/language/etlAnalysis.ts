// Parses a document once per version and shares the result between diagnostics, code lenses and quick fixes.
// Which documents are worth parsing is decided here too. Pure: the engine's parser is injected.
import type { EtlDiagnostic, EtlFileKind, ParsedEtlFile } from '../engine/etl';

/** What the editor keeps of a parse (a file too big to parse has no definitions to keep). */
export type EtlParse = Pick<ParsedEtlFile, 'kind' | 'diagnostics'>;
export type ParseEtlFileFn = (fileName: string, text: string) => EtlParse;

/** Spec files and transforms are small; beyond this the file is not an ETL definition we should parse as you type. */
export const MAX_ANALYZED_CHARS = 2 * 1024 * 1024;
const ANALYZED_LANGUAGES = new Set(['python', 'yaml']);
const ANALYZED_SCHEMES = new Set(['file', 'untitled', 'vscode-remote']);

export interface DocumentRef {
  uri: string;
  scheme: string;
  languageId: string;
  fileName: string;
  version: number;
}

export function isEtlCandidate(doc: Pick<DocumentRef, 'scheme' | 'languageId'>): boolean {
  return ANALYZED_LANGUAGES.has(doc.languageId) && ANALYZED_SCHEMES.has(doc.scheme);
}

/** Kinds the editor reports on. Anything else (plain Python, other YAML) stays silent: it is not an ETL. */
const REPORTED_KINDS = new Set<EtlFileKind>([
  'python-transform',
  'python-etl-class',
  'io-script',
  'pod-spec',
  'runtime-spec',
]);

export function isReportedKind(kind: EtlFileKind): boolean {
  return REPORTED_KINDS.has(kind);
}

/** What the editor shows for a parse: nothing for files that are not ETL definitions ("Not an ETL" is not news). */
export function diagnosticsToPublish(parsed: EtlParse): EtlDiagnostic[] {
  return isReportedKind(parsed.kind) ? parsed.diagnostics : [];
}

export class EtlAnalysisCache {
  private readonly entries = new Map<string, { version: number; parsed: EtlParse }>();

  constructor(
    private readonly parse: ParseEtlFileFn,
    private readonly maxChars = MAX_ANALYZED_CHARS,
  ) {}

  /** The parse of this document version; undefined for documents that are not analyzed. Never throws. */
  analyze(doc: DocumentRef, getText: () => string): EtlParse | undefined {
    if (!isEtlCandidate(doc)) return undefined;
    const cached = this.entries.get(doc.uri);
    if (cached && cached.version === doc.version) return cached.parsed;
    const text = getText();
    let parsed: EtlParse;
    if (text.length > this.maxChars) {
      parsed = { kind: 'unknown', diagnostics: [] };
    } else {
      try {
        parsed = this.parse(doc.fileName, text);
      } catch {
        // The contract says parseEtlFile never throws; if it does, show nothing rather than break the editor.
        parsed = { kind: 'unknown', diagnostics: [] };
      }
    }
    this.entries.set(doc.uri, { version: doc.version, parsed });
    return parsed;
  }

  /** The last parse, whatever its version (code lenses may ask before the debounced parse ran). */
  peek(uri: string): EtlParse | undefined {
    return this.entries.get(uri)?.parsed;
  }

  forget(uri: string): void {
    this.entries.delete(uri);
  }

  clear(): void {
    this.entries.clear();
  }
}
