// The `ais-*` snippets, read from snippets/*.json (bundled by esbuild): the same bodies VS Code offers while typing
// (package.json contributes.snippets) are what "AIStore: New ETL…" writes. Pure: no vscode import.
import pythonSnippets from '../../snippets/python.json';
import yamlSnippets from '../../snippets/yaml.json';
import dockerfileSnippets from '../../snippets/dockerfile.json';
import requirementsSnippets from '../../snippets/requirements.json';

export interface SnippetDefinition {
  prefix: string;
  description: string;
  body: string[];
}
/** `requirements` is scaffold-only: VS Code has no built-in language for requirements.txt. */
export type SnippetLanguage = 'python' | 'yaml' | 'dockerfile' | 'requirements';

const FILES: Record<SnippetLanguage, Record<string, SnippetDefinition>> = {
  python: pythonSnippets,
  yaml: yamlSnippets,
  dockerfile: dockerfileSnippets,
  requirements: requirementsSnippets,
};

export function snippetsOf(language: SnippetLanguage): SnippetDefinition[] {
  return Object.values(FILES[language]);
}

export function findSnippet(language: SnippetLanguage, prefix: string): SnippetDefinition {
  const found = snippetsOf(language).find((s) => s.prefix === prefix);
  if (!found)
    throw new Error(
      `No snippet "${prefix}" in snippets/${language}.json: the extension package is incomplete; reinstall it.`,
    );
  return found;
}
