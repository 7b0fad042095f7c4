// A YAML file with one or more ETL documents (`---`): runtime specs and/or Pod specs, as the CLI reads them
// (cmd/cli/cli/etl.go: parseSpecNode — top-level `runtime` → runtime spec, top-level `spec` → Pod spec).
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import type { EtlDefinition, EtlDiagnostic, EtlFileKind, ParsedEtlFile } from './types';
import { parsePodSpecDoc } from './podSpec';
import { parseRuntimeSpecDoc } from './runtimeSpec';
import { suggestEtlName } from './names';
import { asMap, diag, getNode, getPair, stringValue, YamlSource } from './yamlAst';

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

export function parseYamlFile(fileName: string, text: string): ParsedEtlFile {
  const { docs, lineCounter } = parseYamlDocuments(text);
  const src = new YamlSource(text, lineCounter);
  const diagnostics: EtlDiagnostic[] = [];
  const definitions: EtlDefinition[] = [];
  let kind: EtlFileKind = 'unknown';
  const nonEmpty = docs.filter((d) => d.contents !== null);
  const multiDoc = nonEmpty.length > 1;
  const seenNames = new Map<string, number>();

  for (const doc of docs) {
    const out: EtlDiagnostic[] = [];
    for (const e of doc.errors) {
      out.push(diag('error', 'yaml-syntax', `YAML syntax error: ${e.message.split('\n')[0]}`, src.offsets(e.pos[0], Math.max(e.pos[1], e.pos[0]))));
    }
    if (doc.contents === null) { diagnostics.push(...out); continue; }
    if (doc.errors.length > 0) { diagnostics.push(...out); continue; }
    const docKind = yamlDocKind(doc);
    if (docKind === 'unknown') {
      const isMapDoc = asMap(doc.contents) !== undefined;
      out.push(diag('error', 'unknown-document',
        isMapDoc ? "unknown document (missing 'runtime' or 'spec'): a runtime spec needs `runtime: {image: …}`, a Pod spec needs `kind: Pod` and `spec.containers`."
          : 'This YAML document is not a map: an ETL definition is a runtime spec (name, runtime.image) or a Pod spec (kind: Pod).',
        src.firstLine(doc.contents)));
      diagnostics.push(...out);
      continue;
    }
    if (kind === 'unknown') kind = docKind;
    const range = doc.contents.range!;
    const docText = multiDoc ? text.slice(range[0], range[2]) : text;
    const def = docKind === 'runtime-spec'
      ? parseRuntimeSpecDoc(doc, src, multiDoc, baseNameSuggestion(fileName), out)
      : parsePodSpecDoc(doc, src, docText, out);
    const nameNode = docKind === 'runtime-spec' ? getNode(asMap(doc.contents), 'name') : getNode(asMap(getNode(asMap(doc.contents), 'metadata')), 'name');
    const name = def?.name;
    if (name) {
      const firstLine = seenNames.get(name);
      if (firstLine !== undefined) {
        out.push(diag('error', 'name-duplicate', `Duplicate ETL name "${name}" (already defined on line ${firstLine + 1}): every ETL in the file needs its own name.`, src.node(nameNode)));
      } else {
        seenNames.set(name, src.node(nameNode).start.line);
      }
    }
    diagnostics.push(...out);
    if (def && !out.some((d) => d.severity === 'error')) definitions.push(def);
  }
  if (nonEmpty.length === 0 && !diagnostics.some((d) => d.code === 'yaml-syntax')) {
    diagnostics.push(diag('error', 'empty-yaml', 'Empty YAML: write a runtime spec (name, runtime.image) or a Pod spec (kind: Pod).', src.offsets(0, 0)));
  }
  return { kind: kind === 'unknown' ? guessYamlKind(text) : kind, definitions, diagnostics };
}
