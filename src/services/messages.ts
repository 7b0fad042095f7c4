// Messages assembled from several parts (our text, the AIS error, its hint, the worker's note) tend to say the same
// sentence twice. These helpers keep every sentence once and make one short line for places like tree rows.

/** The text with sentences that already appeared dropped (case and end punctuation ignored); the rest is verbatim. */
export function withoutRepeats(text: string): string {
  const seen = new Set<string>();
  // Sentences or clauses (up to a colon) and the separators after them alternate: [s0, sep0, s1, sep1, …].
  const parts = text.split(/((?<=[.!?:])\s+|\n+)/);
  let out = '';
  for (let i = 0; i < parts.length; i += 2) {
    const k = parts[i]
      .trim()
      .toLowerCase()
      .replace(/[.!?\s]+$/, '');
    // Short parts ("Error:") may rightly repeat; a repeated sentence or clause is the same news twice.
    if (k.length > 12 && seen.has(k)) continue;
    if (k) seen.add(k);
    out += parts[i] + (parts[i + 1] ?? '');
  }
  return out.trimEnd();
}

/** The first line (or sentence), at most `max` characters, for a tree row; the full text belongs in the hover. */
export function oneLine(text: string, max = 80): string {
  const first = text
    .trim()
    .split('\n')[0]
    .split(/(?<=\.)\s/)[0]
    .trim();
  return first.length <= max ? first : `${first.slice(0, max - 1).trimEnd()}…`;
}
