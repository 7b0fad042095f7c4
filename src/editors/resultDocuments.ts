// Read-only `aistore-result:` documents for transform results. The bytes live in a temp file (streamed there); the
// document shows the text, or for binary/big results an info header plus a hex dump / preview of the head.
import { readFile, rm } from 'node:fs/promises';
import * as vscode from 'vscode';
import { formatBytes } from '../services/format';
import { hexDump, looksBinary } from './binary';
import { readHead, resultFileName, saveStream, type SavedResult } from './resultFiles';
import { Readable } from 'node:stream';

export const RESULT_SCHEME = 'aistore-result';
const PREVIEW_BYTES = 64 * 1024;

export interface ResultEntry extends SavedResult {
  binary: boolean;
  title: string;
  source: string;
  etl: string;
}

/** Where a result came from; `label` names the transform in the tab when the ETL name is temporary. */
export interface ResultSource {
  cluster: string;
  bucket: string;
  object: string;
  etl: string;
  label?: string;
}

/** "shard.in → transformer-md5" (slashes would make path segments). */
export function resultTabName(object: string, by: string): string {
  return `${object.split('/').pop() ?? object} → ${by}`.replace(/[\\/]/g, '_');
}

export class ResultDocuments implements vscode.TextDocumentContentProvider {
  private readonly entries = new Map<string, ResultEntry>();
  private seq = 0;
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly dir: string,
    private readonly maxTextBytes: () => number,
  ) {}

  /** Streams `body` to a temp file and returns the document URI (nothing is opened yet). */
  async save(
    body: Readable,
    o: ResultSource & { signal?: AbortSignal; onBytes?(n: number): void },
  ): Promise<{ uri: vscode.Uri; entry: ResultEntry }> {
    const id = ++this.seq;
    const saved = await saveStream(body, this.dir, resultFileName(id, o.object, o.etl), {
      signal: o.signal,
      onBytes: o.onBytes,
    });
    return this.add(id, saved, o);
  }

  /** A result that is text we already hold: the error a transform ended with, traceback included. */
  async saveText(text: string, o: ResultSource): Promise<{ uri: vscode.Uri; entry: ResultEntry }> {
    const id = ++this.seq;
    const saved = await saveStream(Readable.from([Buffer.from(text)]), this.dir, resultFileName(id, o.object, o.etl));
    return this.add(id, saved, o);
  }

  private add(id: number, saved: SavedResult, o: ResultSource): { uri: vscode.Uri; entry: ResultEntry } {
    const base = o.object.split('/').pop() ?? o.object;
    const title = resultTabName(o.object, o.label ?? o.etl);
    const entry: ResultEntry = {
      ...saved,
      binary: looksBinary(saved.head),
      title,
      source: `ais://${o.bucket}/${o.object}`,
      etl: o.etl,
    };
    // The last path segment is the tab's name: "shard.in → transformer-md5" says what was transformed by what.
    const uri = vscode.Uri.from({
      scheme: RESULT_SCHEME,
      path: `/${id}/${title}`,
      query: `cluster=${encodeURIComponent(o.cluster)}&object=${encodeURIComponent(base)}`,
    });
    this.entries.set(uri.path, entry);
    return { uri, entry };
  }

  get(uri: vscode.Uri): ResultEntry | undefined {
    return this.entries.get(uri.path);
  }

  isBig(entry: ResultEntry): boolean {
    return entry.size > this.maxTextBytes();
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const e = this.entries.get(uri.path);
    if (!e) return 'This transform result is no longer available — run "Transform with ETL…" again.';
    if (!e.binary && !this.isBig(e)) return readFile(e.file, 'utf8');
    const header = [
      `# ${e.source} transformed by ETL ${e.etl}`,
      `# ${formatBytes(e.size)} (${e.size} bytes), ${e.binary ? 'binary' : 'text'}`,
      `# saved to ${e.file}`,
    ];
    if (e.binary)
      return `${header.join('\n')}\n# first ${Math.min(e.size, 4096)} bytes:\n\n${hexDump(e.head.subarray(0, 4096))}\n`;
    const preview = await readHead(e.file, PREVIEW_BYTES);
    return `${header.join('\n')}\n# too big to open here: first ${formatBytes(preview.length)} shown\n\n${preview.toString('utf8')}`;
  }

  async dispose(): Promise<void> {
    this.changed.dispose();
    this.entries.clear();
    await rm(this.dir, { recursive: true, force: true });
  }
}
