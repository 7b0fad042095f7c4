// Whether the interpreter that deploys ETLServer classes has the aistore SDK: asked once, re-asked after a minute
// (or on refresh, e.g. after an install), never while typing. Pure: the probe is injected.
import type { EtlSdkProbe } from '../engine/etl';

export class SdkStatus {
  private result: EtlSdkProbe | undefined;
  private at = 0;
  private pending: Promise<void> | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly probe: () => Promise<EtlSdkProbe>,
    private readonly ttlMs = 60_000,
    private readonly now = Date.now,
  ) {}

  /** The last answer (undefined before the first); starts a new probe when it is stale. */
  get(): EtlSdkProbe | undefined {
    if (!this.pending && (this.result === undefined || this.now() - this.at > this.ttlMs)) this.refresh();
    return this.result;
  }

  refresh(): Promise<void> {
    this.pending ??= this.probe()
      .then(
        (r) => {
          const changed = JSON.stringify(r) !== JSON.stringify(this.result);
          this.result = r;
          this.at = this.now();
          if (changed) for (const l of this.listeners) l();
        },
        () => undefined,
      )
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}
