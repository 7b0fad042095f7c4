// Port-forwards started by "Find AIS clusters in Kubernetes", by local URL. They live while the window lives, or
// until "Stop port-forward"; a forward whose cluster entry moved elsewhere serves nobody and is stopped by prune().
import type { PortForwardHandle } from '../engine/k8s';
import { Emitter } from './emitter';
import { Disposable } from './lifecycle';

export class PortForwards extends Disposable {
  private readonly byUrl = new Map<string, PortForwardHandle>();
  private readonly changed = this.register(new Emitter<number>());
  /** Fires the number of running forwards whenever it changes. */
  readonly onDidChange = this.changed.event;

  get size(): number {
    return this.byUrl.size;
  }
  urls(): string[] {
    return [...this.byUrl.keys()];
  }
  has(url: string): boolean {
    return this.byUrl.has(url);
  }

  add(fwd: PortForwardHandle): void {
    this.byUrl.set(fwd.url, fwd);
    this.changed.fire(this.byUrl.size);
  }

  /** Stops the given forwards; resolves with the URLs that were running. */
  async stop(urls: string[]): Promise<string[]> {
    const running = urls.filter((u) => this.byUrl.has(u));
    const handles = running.map((u) => this.byUrl.get(u));
    // Forgotten at once, so the count is right even while the forwards are still closing.
    for (const u of running) this.byUrl.delete(u);
    if (running.length) this.changed.fire(this.byUrl.size);
    await Promise.allSettled(handles.map((h) => h?.dispose()));
    return running;
  }

  /** Stops the forwards `stillUsed` says nobody points at any more. */
  prune(stillUsed: (url: string) => boolean): Promise<string[]> {
    return this.stop(this.urls().filter((u) => !stillUsed(u)));
  }

  override dispose(): void {
    void this.stop(this.urls());
    super.dispose();
  }
}
