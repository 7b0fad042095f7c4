// What every bench/b*.ts module returns from `run()`. The runner computes ratios and pass/fail.

export interface BenchTarget {
  /** the criterion, e.g. RSS growth < 64 MiB, or ratio >= 0.8 */
  op: '<' | '<=' | '>' | '>=';
  value: number;
  /** what the criterion applies to (default 'value') */
  on?: 'value' | 'ratio';
}

export interface BenchResult {
  /** metric name, e.g. "AisClient.getObject throughput" */
  name: string;
  value: number;
  unit: string;
  /** a reference measured in the same run; ratio = value / baseline.value */
  baseline?: { name: string; value: number };
  target?: BenchTarget;
  note?: string;
}

export type BenchModule = { run(): Promise<BenchResult[]> };
