// Messages assembled from several parts (our text, the AIS error, its hint, the worker's note) tend to say the same
// sentence twice. These helpers keep every sentence once and make one short line for places like tree rows.

/** The text with sentences that already appeared dropped (case and trailing punctuation ignored). */
export function withoutRepeats(text: string): string {
  const seen = new Set<string>();
  const parts = text.split(/(?<=[.!?:;—])\s+|\n+/);
  const kept = parts.filter((p) => {
    const k = p.trim().toLowerCase().replace(/[.!?:;—\s]+$/, '');
    if (!k) return false;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return kept.join(' ');
}

/** The first line (or sentence), at most `max` characters, for a tree row; the full text belongs in the hover. */
export function oneLine(text: string, max = 80): string {
  const first = text.trim().split('\n')[0].split(/(?<=\.)\s/)[0].trim();
  return first.length <= max ? first : `${first.slice(0, max - 1).trimEnd()}…`;
}
