// The file sets "AIStore: New ETL…" can create. Every file is a snippet body from snippets/*.json with its
// tabstops filled in (1 = the ETL name, 2 = the container image where there is one). Pure: no vscode import.
import { findSnippet, type SnippetLanguage } from './snippetCatalog';
import { resolveSnippet } from './snippetBody';

export type ScaffoldTemplateId = 'python-transform' | 'io-script' | 'http-server' | 'runtime-spec' | 'etl-class';

export interface ScaffoldFile {
  path: string;
  content: string;
}

interface TemplateFile {
  path: string;
  language: SnippetLanguage;
  prefix: string;
  /** Tabstop values derived from the ETL name. */
  values?: (name: string) => Record<number, string>;
}

export interface ScaffoldTemplate {
  id: ScaffoldTemplateId;
  label: string;
  detail: string;
  defaultName: string;
  files: TemplateFile[];
  /** The file to open after scaffolding: the one the user edits first. */
  mainFile: string;
}

/** Where a user-built image is expected (the local AIS cluster builds the Dockerfile beside the spec with this tag). */
export function defaultImageFor(name: string): string {
  return `localhost:5000/${name}:v1`;
}

const nameOnly = (name: string) => ({ 1: name });
const imageOnly = (name: string) => ({ 1: defaultImageFor(name) });
const nameAndImage = (name: string) => ({ 1: name, 2: defaultImageFor(name) });

/** In the order New ETL… offers them: what current AIS runs first, the deprecated Pod-spec flow last. */
export const SCAFFOLD_TEMPLATES: readonly ScaffoldTemplate[] = [
  {
    id: 'etl-class',
    label: 'ETL server class (aistore[etl]), deployed like ' + 'Etl.init_class',
    defaultName: 'md5-etl',
    mainFile: 'etl_server.py',
    detail:
      'etl_server.py with a FastAPIServer subclass: Deploy pickles it with your Python onto ' +
      'aistorage/runtime_python, no image to build (AIS ≥ 3.30)',
    files: [{ path: 'etl_server.py', language: 'python', prefix: 'ais-etl-class', values: nameOnly }],
  },
  {
    id: 'runtime-spec',
    label: 'Runtime spec YAML (your image)',
    defaultName: 'md5-etl',
    mainFile: 'etl_spec.yaml',
    detail: 'etl_spec.yaml: name, runtime.image, communication, timeouts (AIS ≥ 3.30)',
    files: [{ path: 'etl_spec.yaml', language: 'yaml', prefix: 'ais-runtime-spec', values: nameOnly }],
  },
  {
    id: 'python-transform',
    label: 'Python transform function',
    defaultName: 'transformer-md5',
    mainFile: 'code.py',
    detail: "code.py with transform(input_bytes) -> bytes, and requirements.txt (the tutorial's simplified flow)",
    files: [
      { path: 'code.py', language: 'python', prefix: 'ais-transform', values: nameOnly },
      { path: 'requirements.txt', language: 'requirements', prefix: 'ais-requirements' },
    ],
  },
  {
    id: 'io-script',
    label: 'io:// script (stdin → stdout)',
    defaultName: 'compute-md5',
    mainFile: 'code.py',
    detail:
      'code.py that reads the object from stdin and writes the result to stdout (AIS ≤ 4.9 and the local cluster)',
    files: [{ path: 'code.py', language: 'python', prefix: 'ais-io', values: nameOnly }],
  },
  {
    id: 'http-server',
    label: 'HTTP server + Dockerfile + Pod spec — AIS ≤ 5.0 ' + '(deprecated)',
    defaultName: 'transformer-md5',
    mainFile: 'spec.yaml',
    detail:
      "server.py (PUT/POST, GET, /health), Dockerfile and spec.yaml (the tutorial's regular flow; Pod specs " +
      'are removed in AIS 5.1)',
    files: [
      { path: 'server.py', language: 'python', prefix: 'ais-server', values: nameOnly },
      { path: 'Dockerfile', language: 'dockerfile', prefix: 'ais-dockerfile', values: imageOnly },
      { path: 'spec.yaml', language: 'yaml', prefix: 'ais-podspec', values: nameAndImage },
    ],
  },
];

export function findTemplate(id: string): ScaffoldTemplate {
  const t = SCAFFOLD_TEMPLATES.find((x) => x.id === id);
  if (!t)
    throw new Error(`Unknown ETL template "${id}": use one of ${SCAFFOLD_TEMPLATES.map((x) => x.id).join(', ')}.`);
  return t;
}

/** The files of a template for an ETL called `name`, contents resolved, each ending with a newline. */
export function renderScaffold(id: ScaffoldTemplateId, name: string): ScaffoldFile[] {
  return findTemplate(id).files.map((f) => {
    const body = findSnippet(f.language, f.prefix).body;
    const text = resolveSnippet(body, { placeholders: f.values?.(name) ?? {} });
    return { path: f.path, content: text.endsWith('\n') ? text : `${text}\n` };
  });
}
