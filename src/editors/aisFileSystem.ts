// Read-only `ais:` file system: objects open like files, buckets and virtual folders list one level at a time.
import * as vscode from 'vscode';
import type { ClusterClient } from '../services/engine';
import { formatError } from '../services/errors';
import { aisUriComponents, parseAisUri, type AisLocation } from './aisUri';

export const AIS_SCHEME = 'ais';

export function aisUri(loc: AisLocation): vscode.Uri {
  return vscode.Uri.from(aisUriComponents(loc));
}

export interface AisFsDeps {
  client(cluster: string): Promise<ClusterClient>;
  maxOpenBytes(): number;
}

/** Buckets, and prefixes that hold objects, read as folders without times or size. */
function directoryStat(): vscode.FileStat {
  return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0, permissions: vscode.FilePermission.Readonly };
}

export class AisFileSystemProvider implements vscode.FileSystemProvider {
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;

  constructor(private readonly deps: AisFsDeps) {}

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const loc = parseAisUri(uri.authority, uri.path);
    if (!loc.object || loc.object.endsWith('/')) return directoryStat();
    const client = await this.deps.client(loc.cluster);
    try {
      const p = await client.headObject(loc.bucket, loc.object);
      const mtime = p.atime ? Date.parse(p.atime) || 0 : 0;
      return {
        type: vscode.FileType.File,
        ctime: mtime,
        mtime,
        size: p.size,
        permissions: vscode.FilePermission.Readonly,
      };
    } catch (err) {
      if ((err as { status?: number }).status === 404) {
        // No such object: maybe a virtual folder.
        const page = await client
          .listObjectsPage(loc.bucket, { prefix: `${loc.object}/`, pageSize: 1 })
          .catch(() => undefined);
        if (page && page.entries.length) return directoryStat();
        throw vscode.FileSystemError.FileNotFound(uri);
      }
      throw vscode.FileSystemError.Unavailable(`${uri.toString()}: ${formatError(err)}`);
    }
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    const loc = parseAisUri(uri.authority, uri.path);
    const client = await this.deps.client(loc.cluster);
    const prefix = loc.object ? (loc.object.endsWith('/') ? loc.object : `${loc.object}/`) : '';
    const out: [string, vscode.FileType][] = [];
    // One level, page by page; directory listings in the Explorer are expected to be complete.
    let token = '';
    do {
      const page = await client.listObjectsPage(loc.bucket, {
        prefix: prefix || undefined,
        noRecursion: true,
        continuationToken: token || undefined,
        props: 'name,size',
      });
      for (const e of page.entries) {
        const rel = e.name.slice(prefix.length).replace(/\/$/, '');
        if (rel) out.push([rel, e.isDir ? vscode.FileType.Directory : vscode.FileType.File]);
      }
      token = page.continuationToken;
    } while (token);
    return out;
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const loc = parseAisUri(uri.authority, uri.path);
    const client = await this.deps.client(loc.cluster);
    const limit = this.deps.maxOpenBytes();
    const obj = await client.getObject(loc.bucket, loc.object);
    if (obj.size !== undefined && obj.size > limit) {
      obj.body.destroy();
      throw vscode.FileSystemError.Unavailable(
        `ais://${loc.bucket}/${loc.object} is ${obj.size} bytes, more than the ${Math.round(limit / 1048576)} MiB the editor opens — download it instead, or raise "aistore.maxOpenSizeMiB"`,
      );
    }
    const chunks: Buffer[] = [];
    let n = 0;
    for await (const c of obj.body as AsyncIterable<Buffer>) {
      n += c.length;
      if (n > limit) {
        obj.body.destroy();
        throw vscode.FileSystemError.Unavailable(
          `ais://${loc.bucket}/${loc.object} is larger than ${Math.round(limit / 1048576)} MiB — download it instead`,
        );
      }
      chunks.push(c);
    }
    return Buffer.concat(chunks);
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  writeFile(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
}
