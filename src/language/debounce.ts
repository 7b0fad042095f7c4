// One pending call per key (a document URI): each new schedule for the key replaces the previous one, so
// diagnostics are computed once the user pauses typing instead of on every keystroke. Pure: no vscode.

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const systemTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class KeyedDebouncer {
  private readonly pending = new Map<string, unknown>();

  constructor(
    private readonly delayMs: number,
    private readonly timers: Timers = systemTimers,
  ) {}

  schedule(key: string, fn: () => void): void {
    this.cancel(key);
    this.pending.set(
      key,
      this.timers.setTimeout(() => {
        this.pending.delete(key);
        fn();
      }, this.delayMs),
    );
  }

  cancel(key: string): void {
    const handle = this.pending.get(key);
    if (handle !== undefined) {
      this.timers.clearTimeout(handle);
      this.pending.delete(key);
    }
  }

  isPending(key: string): boolean {
    return this.pending.has(key);
  }

  dispose(): void {
    for (const key of [...this.pending.keys()]) this.cancel(key);
  }
}
