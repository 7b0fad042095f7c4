// What the other files of a document's folder say about it: the ETL specs there (and the Dockerfile) tell whether a
// .py is the server a spec runs, or an ETL in an ETL folder; sibling modules that import it make it a helper.
// Read from disk with a short-lived cache, so analysing while typing stays cheap. Pure: no vscode import.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { detectEtlFileKind, parseEtlFile, type EtlDefinition } from '../engine/etl';

/** Specs and servers are small; bigger files are not read while typing. */
const MAX_SIBLING_BYTES = 256 * 1024;
/** A big folder (a home directory, a data dir) is no ETL folder: read only this many of each kind. */
const MAX_SPECS_READ = 20;
const MAX_MODULES_READ = 50;

export interface SiblingSpec {
  fileName: string;
  text: string;
  kind: string;
  definitions: EtlDefinition[];
}
export interface FolderInfo {
  specs: SiblingSpec[];
  dockerfile?: string;
  pythonModules: { fileName: string; text: string }[];
}

function readSmall(path: string): string | undefined {
  try {
    const st = statSync(path);
    return st.isFile() && st.size <= MAX_SIBLING_BYTES ? readFileSync(path, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

export function readFolder(dir: string): FolderInfo {
  const info: FolderInfo = { specs: [], pythonModules: [] };
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return info;
  }
  let yamlRead = 0;
  for (const name of names) {
    const path = join(dir, name);
    if (/\.(ya?ml)$/i.test(name) && yamlRead++ < MAX_SPECS_READ) {
      const text = readSmall(path);
      const kind = text === undefined ? 'unknown' : detectEtlFileKind(name, text);
      if (text !== undefined && (kind === 'pod-spec' || kind === 'runtime-spec'))
        info.specs.push({ fileName: path, text, ...parseEtlFile(name, text) });
    } else if (name === 'Dockerfile' || name === 'Containerfile') {
      info.dockerfile = readSmall(path);
    } else if (name.endsWith('.py') && info.pythonModules.length < MAX_MODULES_READ) {
      const text = readSmall(path);
      if (text !== undefined) info.pythonModules.push({ fileName: path, text });
    }
  }
  return info;
}

/** One read per folder per `ttlMs`: diagnostics run on every pause in typing. */
export class FolderCache {
  private readonly entries = new Map<string, { at: number; info: FolderInfo }>();
  constructor(
    private readonly ttlMs = 5000,
    private readonly read = readFolder,
    private readonly now = Date.now,
  ) {}

  of(fileName: string): FolderInfo {
    const dir = dirname(fileName);
    const hit = this.entries.get(dir);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.info;
    const info = this.read(dir);
    this.entries.set(dir, { at: this.now(), info });
    if (this.entries.size > 100) this.entries.delete(this.entries.keys().next().value as string);
    return info;
  }

  clear(): void {
    this.entries.clear();
  }
}

/** Whether a sibling module imports this one (then it is a helper, not an ETL missing its transform). */
export function importedBySibling(fileName: string, folder: FolderInfo): boolean {
  const mod = basename(fileName).replace(/\.py$/, '');
  const re = new RegExp(`^\\s*(?:from\\s+${mod}\\s+import|import\\s+(?:[\\w, ]*,\\s*)?${mod}\\b)`, 'm');
  return folder.pythonModules.some((m) => m.fileName !== fileName && re.test(m.text));
}
