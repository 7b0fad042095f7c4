// Wall-clock helpers for throughput numbers.

export async function timed<T>(fn: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const t0 = process.hrtime.bigint();
  const result = await fn();
  return { result, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
}

export const mibPerSec = (bytes: number, ms: number): number => bytes / (1024 * 1024) / (ms / 1000);
