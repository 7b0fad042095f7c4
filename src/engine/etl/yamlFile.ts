// A YAML file with one or more ETL documents (`---`): runtime specs and/or Pod specs, as the CLI reads them
// (cmd/cli/cli/etl.go: parseSpecNode — top-level `runtime` → runtime spec, top-level `spec` → Pod spec).
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import type { EtlDefinition, EtlDiagnostic, EtlFileKind, ParsedEtlFile } from './types';
import { parsePodSpecDoc } from './podSpec';
import { parseRuntimeSpecDoc } from './runtimeSpec';
import { suggestEtlName } from './names';
import { asMap, diag, getNode, getPair, stringValue, YamlSource, type AnyNode } from './yamlAst';

type DocKind = 'runtime-spec' | 'pod-spec' | 'unknown';

export function yamlDocKind(doc: Document): DocKind {
  const root = asMap(doc.contents);
  if (!root) return 'unknown';
  if (getPair(root, 'runtime')) return 'runtime-spec';
  if (getPair(root, 'spec') || stringValue(getNode(root, 'kind')) === 'Pod') return 'pod-spec';
  return 'unknown';
}

export function parseYamlDocuments(text: string): { docs: Document.Parsed[]; lineCounter: LineCounter } {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const docs = Array.isArray(parsed) ? parsed : [];
  return { docs, lineCounter };
}

/** Cheap line-based guess, used when the YAML is too broken to have a usable AST. */
function guessYamlKind(text: string): EtlFileKind {
  const runtime = /^runtime[ \t]*:/m.exec(text)?.index ?? -1;
  const pod = /^(?:spec[ \t]*:|kind[ \t]*:[ \t]*["']?Pod\b)/m.exec(text)?.index ?? -1;
  if (runtime === -1 && pod === -1) return 'unknown';
  if (runtime === -1) return 'pod-spec';
  if (pod === -1) return 'runtime-spec';
  return runtime < pod ? 'runtime-spec' : 'pod-spec';
}

/** Kind of the first ETL document, for detection without diagnostics. */
export function detectYamlKind(text: string): EtlFileKind {
  for (const doc of parseYamlDocuments(text).docs) {
    const k = yamlDocKind(doc);
    if (k !== 'unknown') return k;
  }
  return guessYamlKind(text);
}

function baseNameSuggestion(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  return suggestEtlName(base.replace(/\.(ya?ml|json)$/i, '')) ?? '';
}

/** What every document of one file shares while it is parsed. */
interface YamlFileScan {
  fileName: string;
  text: string;
  src: YamlSource;
  multiDoc: boolean;
  /** ETL name → line of its first definition, to flag duplicates. */
  seenNames: Map<string, number>;
}

function syntaxErrors(doc: Document.Parsed, src: YamlSource): EtlDiagnostic[] {
  return doc.errors.map((e) =>
    diag(
      'error',
      'yaml-syntax',
      `YAML syntax error: ${e.message.split('\n')[0]}`,
      src.offsets(e.pos[0], Math.max(e.pos[1], e.pos[0])),
    ),
  );
}

function unknownDocument(contents: NonNullable<Document.Parsed['contents']>, src: YamlSource): EtlDiagnostic {
  return diag(
    'error',
    'unknown-document',
    asMap(contents) !== undefined
      ? "unknown document (missing 'runtime' or 'spec'): a runtime spec needs `runtime: {image: …}`, a Pod spec needs `kind: Pod` and `spec.containers`."
      : 'This YAML document is not a map: an ETL definition is a runtime spec (name, runtime.image) or a Pod spec (kind: Pod).',
    src.firstLine(contents),
  );
}

function checkDuplicateName(
  scan: YamlFileScan,
  name: string | undefined,
  nameNode: AnyNode,
  out: EtlDiagnostic[],
): void {
  if (!name) return;
  const firstLine = scan.seenNames.get(name);
  if (firstLine === undefined) {
    scan.seenNames.set(name, scan.src.node(nameNode).start.line);
    return;
  }
  out.push(
    diag(
      'error',
      'name-duplicate',
      `Duplicate ETL name "${name}" (already defined on line ${firstLine + 1}): every ETL in the file needs its own name.`,
      scan.src.node(nameNode),
    ),
  );
}

function parseDefinitionDoc(
  scan: YamlFileScan,
  doc: Document.Parsed,
  docKind: Exclude<DocKind, 'unknown'>,
  out: EtlDiagnostic[],
): EtlDefinition | undefined {
  const range = doc.contents!.range;
  const docText = scan.multiDoc ? scan.text.slice(range[0], range[2]) : scan.text;
  const def =
    docKind === 'runtime-spec'
      ? parseRuntimeSpecDoc(doc, scan.src, scan.multiDoc, baseNameSuggestion(scan.fileName), out)
      : parsePodSpecDoc(doc, scan.src, docText, out);
  const nameNode =
    docKind === 'runtime-spec'
      ? getNode(asMap(doc.contents), 'name')
      : getNode(asMap(getNode(asMap(doc.contents), 'metadata')), 'name');
  checkDuplicateName(scan, def?.name, nameNode, out);
  return def;
}

export function parseYamlFile(fileName: string, text: string): ParsedEtlFile {
  const { docs, lineCounter } = parseYamlDocuments(text);
  const src = new YamlSource(text, lineCounter);
  const diagnostics: EtlDiagnostic[] = [];
  const definitions: EtlDefinition[] = [];
  let kind: EtlFileKind = 'unknown';
  const nonEmpty = docs.filter((d) => d.contents !== null);
  const scan: YamlFileScan = { fileName, text, src, multiDoc: nonEmpty.length > 1, seenNames: new Map() };

  for (const doc of docs) {
    const out = syntaxErrors(doc, src);
    const docKind = yamlDocKind(doc);
    if (doc.contents === null || doc.errors.length > 0) {
      diagnostics.push(...out);
      continue;
    }
    if (docKind === 'unknown') {
      diagnostics.push(...out, unknownDocument(doc.contents, src));
      continue;
    }
    if (kind === 'unknown') kind = docKind;
    const def = parseDefinitionDoc(scan, doc, docKind, out);
    diagnostics.push(...out);
    if (def && !out.some((d) => d.severity === 'error')) definitions.push(def);
  }
  if (nonEmpty.length === 0 && !diagnostics.some((d) => d.code === 'yaml-syntax')) {
    diagnostics.push(
      diag(
        'error',
        'empty-yaml',
        'Empty YAML: write a runtime spec (name, runtime.image) or a Pod spec (kind: Pod).',
        src.offsets(0, 0),
      ),
    );
  }
  return { kind: kind === 'unknown' ? guessYamlKind(text) : kind, definitions, diagnostics };
}
