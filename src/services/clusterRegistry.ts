// The known clusters and one client per cluster. Knows nothing about VS Code: reading settings, secrets and files is
// injected, which keeps it testable and lets the views ask "client for cluster X" without caring where X came from.
import { mergeClusterSources, type ClusterEntry, type ClusterInputs } from './clusterSources';
import { Emitter } from './emitter';
import type { AisClientOptions } from '../engine/ais';
import type { ClusterClient } from './engine';
import { UiError } from './errors';
import { Disposable } from './lifecycle';

export interface ClusterRegistryDeps {
  readInputs(): Omit<ClusterInputs, 'localEndpoint'>;
  getToken(endpoint: string): Promise<string | undefined>;
  createClient(o: AisClientOptions): ClusterClient;
  log?(msg: string): void;
}

export class ClusterRegistry extends Disposable {
  private entries: ClusterEntry[] = [];
  private clients = new Map<string, Promise<ClusterClient>>();
  private localEndpoint: string | undefined;
  private activeId: string | undefined;
  private readonly changed = this.register(new Emitter<'clusters' | 'active'>());
  /** 'clusters' when the list changed (the tree reloads), 'active' when only the active cluster changed. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly deps: ClusterRegistryDeps) {
    super();
    this.register({
      dispose: () => {
        for (const id of [...this.clients.keys()]) this.dropClient(id);
      },
    });
    this.reload();
  }

  /** Re-reads settings/env/CLI config; clients of clusters that stayed are kept. */
  reload(): void {
    const { clusters, problems } = mergeClusterSources({
      ...this.deps.readInputs(),
      localEndpoint: this.localEndpoint,
    });
    const byId = new Map(clusters.map((c) => [c.id, c]));
    for (const [id] of this.clients) {
      const old = this.entries.find((e) => e.id === id);
      const now = byId.get(id);
      if (!now || !old || now.endpoint !== old.endpoint || JSON.stringify(now.tls) !== JSON.stringify(old.tls))
        this.dropClient(id);
    }
    this.entries = clusters;
    for (const p of problems) this.deps.log?.(p);
    if (this.activeId && !byId.has(this.activeId)) this.activeId = undefined;
    this.changed.fire('clusters');
  }

  list(): readonly ClusterEntry[] {
    return this.entries;
  }
  get(idOrName: string): ClusterEntry | undefined {
    return this.entries.find((e) => e.id === idOrName) ?? this.entries.find((e) => e.endpoint === idOrName);
  }
  /** The named cluster, or the active one; throws a user-facing error when none fits. */
  resolve(idOrName?: string): ClusterEntry {
    const e = idOrName ? this.get(idOrName) : this.active();
    if (e) return e;
    if (idOrName) {
      throw new UiError(`Unknown cluster "${idOrName}"`, {
        hint: 'add it with "AIStore: Add cluster…" or pick one in the Clusters view',
      });
    }
    throw new UiError('No AIStore cluster is configured', {
      hint: 'run "AIStore: Start local cluster" or "AIStore: Add cluster…"',
    });
  }

  active(): ClusterEntry | undefined {
    return (this.activeId && this.get(this.activeId)) || this.entries[0];
  }
  setActive(id: string | undefined): void {
    this.activeId = id;
    this.changed.fire('active');
  }

  setLocalEndpoint(endpoint: string | undefined): void {
    if (endpoint === this.localEndpoint) return;
    this.localEndpoint = endpoint;
    this.reload();
  }
  local(): ClusterEntry | undefined {
    return this.entries.find((e) => e.source === 'local');
  }

  client(id: string): Promise<ClusterClient> {
    let c = this.clients.get(id);
    if (!c) {
      const entry = this.resolve(id);
      c = this.deps
        .getToken(entry.endpoint)
        .then((token) =>
          this.deps.createClient({ endpoint: entry.endpoint, token, tls: entry.tls, userAgent: 'aistore-etl-vscode' }),
        );
      this.clients.set(id, c);
      c.catch(() => this.clients.delete(id));
    }
    return c;
  }

  /** After a token change: the next call makes a new client with the new token. */
  dropClient(id: string): void {
    const c = this.clients.get(id);
    this.clients.delete(id);
    void c?.then((x) => x.close()).catch(() => undefined);
  }
}
