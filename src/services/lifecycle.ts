// One lifecycle idiom for the VS Code layer: classes that own listeners, watches, channels or processes extend
// Disposable and hand each of them to register(), so dispose() releases everything once, in reverse order. Has no
// `vscode` import: vscode.Disposable and our own Emitter subscriptions both fit `Disposable`'s shape.

export interface DisposableLike {
  dispose(): unknown;
}

export function toDisposable(fn: () => unknown): DisposableLike {
  return { dispose: fn };
}

/** Disposes everything in `items` (last registered first); one failing dispose does not stop the others. */
export function disposeAll(items: DisposableLike[]): void {
  while (items.length) {
    try {
      void items.pop()?.dispose();
    } catch {
      /* keep releasing the rest */
    }
  }
}

export abstract class Disposable implements DisposableLike {
  private readonly owned: DisposableLike[] = [];
  private disposedFlag = false;

  protected get isDisposed(): boolean {
    return this.disposedFlag;
  }

  /** Takes ownership of `d`; after dispose() it is released at once (a late watch must not outlive its owner). */
  protected register<T extends DisposableLike>(d: T): T {
    if (this.disposedFlag) void d.dispose();
    else this.owned.push(d);
    return d;
  }

  dispose(): void {
    if (this.disposedFlag) return;
    this.disposedFlag = true;
    disposeAll(this.owned);
  }
}
