// Peak resident set size while something runs, sampled on a timer (RSS is what the OS charges the process).

export class RssSampler {
  private timer: NodeJS.Timeout | undefined;
  private base = 0;
  private peak = 0;

  /** Take the baseline now (after a GC when node runs with --expose-gc) and start sampling. */
  start(intervalMs = 10): void {
    (globalThis as { gc?: () => void }).gc?.();
    this.base = process.memoryUsage.rss();
    this.peak = this.base;
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  sample(): void {
    const rss = process.memoryUsage.rss();
    if (rss > this.peak) this.peak = rss;
  }

  /** Stop; returns bytes: baseline, peak and growth (peak - baseline). */
  stop(): { base: number; peak: number; growth: number } {
    this.sample();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    return { base: this.base, peak: this.peak, growth: this.peak - this.base };
  }
}

export const MiB = 1024 * 1024;
