// Go durations in init messages: parsed by the engine's one parser (Go's error wording), formatted back like Go.
export { parseGoDuration } from '../../etl/durations';

export function formatGoDuration(ms: number): string {
  if (ms % 3_600_000 === 0 && ms > 0) return `${ms / 3_600_000}h0m0s`.replace(/0m0s$/, '');
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000}m`;
  return `${ms / 1000}s`;
}
