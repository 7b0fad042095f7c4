// Documents the user opened or acted on through our commands (New ETL…, Deploy, Test) are meant as ETLs: a .py
// among them without a transform gets a diagnostic instead of silence. Pure: keyed by URI string.

const marked = new Set<string>();
const listeners = new Set<(uri: string) => void>();

export function markAsEtlDocument(uri: string): void {
  if (marked.has(uri)) return;
  marked.add(uri);
  for (const l of listeners) l(uri);
}

export function isMarkedAsEtl(uri: string): boolean {
  return marked.has(uri);
}

export function onDidMarkAsEtl(listener: (uri: string) => void): { dispose(): void } {
  listeners.add(listener);
  return { dispose: () => listeners.delete(listener) };
}
