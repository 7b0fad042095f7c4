// Deciding whether a transform result is text, and showing binary results as a hex dump (pure).

/** Binary when the sample has a NUL byte, isn't valid UTF-8, or is mostly control characters. */
export function looksBinary(sample: Buffer): boolean {
  if (sample.length === 0) return false;
  if (sample.includes(0)) return true;
  // A multi-byte character may be cut at the end of the sample: ignore up to 3 trailing bytes when decoding.
  const cut = trimIncompleteUtf8(sample);
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(cut);
  } catch {
    return true;
  }
  let control = 0;
  for (const b of cut) if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) control++;
  return control / cut.length > 0.1;
}

function trimIncompleteUtf8(b: Buffer): Buffer {
  for (let back = 1; back <= Math.min(3, b.length); back++) {
    const c = b[b.length - back];
    if ((c & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    if (c < 0x80) return b; // ASCII: complete
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return need > back ? b.subarray(0, b.length - back) : b;
  }
  return b;
}

/** `00000000  48 65 6c 6c 6f …  |Hello…|` lines, 16 bytes each. */
export function hexDump(buf: Buffer, startOffset = 0): string {
  const lines: string[] = [];
  for (let i = 0; i < buf.length; i += 16) {
    const row = buf.subarray(i, i + 16);
    const hex = [...row].map((b) => b.toString(16).padStart(2, '0'));
    const left = hex.slice(0, 8).join(' ').padEnd(23);
    const right = hex.slice(8).join(' ').padEnd(23);
    const ascii = [...row].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${(startOffset + i).toString(16).padStart(8, '0')}  ${left}  ${right}  |${ascii}|`);
  }
  return lines.join('\n');
}
