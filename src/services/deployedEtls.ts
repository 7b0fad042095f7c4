// Which file the extension deployed under which ETL name, per cluster, and the hash of the text it deployed. Deploy
// uses it to tell "already deployed" from a real name collision and to suggest names; tracebacks from a worker's copy
// of the code are mapped back to this file. Kept in VS Code's global state so a window reload keeps the map.
import { createHash } from 'node:crypto';

export interface DeployedEtl {
  file: string;
  hash: string;
}

/** The subset of vscode.Memento used here (unit tests pass a Map-backed one). */
export interface DeployedStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

const KEY = 'aistore.deployedEtls';

export class DeployedEtls {
  private readonly map: Map<string, DeployedEtl>;

  constructor(private readonly store?: DeployedStore) {
    this.map = new Map(Object.entries(store?.get<Record<string, DeployedEtl>>(KEY) ?? {}));
  }

  static hash(text: string): string {
    return createHash('sha1').update(text).digest('hex');
  }

  get(cluster: string, etl: string): DeployedEtl | undefined {
    return this.map.get(key(cluster, etl));
  }

  remember(cluster: string, etl: string, entry: DeployedEtl): void {
    this.map.set(key(cluster, etl), entry);
    this.save();
  }

  forget(cluster: string, etl: string): void {
    if (this.map.delete(key(cluster, etl))) this.save();
  }

  /** Names deployed from `file` on `cluster` (a redeploy of the same file keeps its name). */
  namesOf(cluster: string, file: string): string[] {
    const prefix = key(cluster, '');
    return [...this.map]
      .filter(([k, v]) => k.startsWith(prefix) && v.file === file)
      .map(([k]) => k.slice(prefix.length));
  }

  /** The user's file for an ETL on any cluster: worker paths name the ETL, not the cluster. */
  fileOf(etl: string): string | undefined {
    for (const [k, v] of this.map) if (k.endsWith(`\u0000${etl}`)) return v.file;
    return undefined;
  }

  private save(): void {
    void this.store?.update(KEY, Object.fromEntries(this.map));
  }
}

function key(cluster: string, etl: string): string {
  return `${cluster}\u0000${etl}`;
}
