// Turning untrusted file input into text we can analyse: size cap, binary and UTF-8 checks, positions.
import type { EtlDiagnostic, Position, Range } from './types';

/** Bigger files are not ETL definitions anyone writes by hand; refuse them with one diagnostic. */
export const MAX_ETL_FILE_BYTES = 10 * 1024 * 1024;
const BINARY_SNIFF_BYTES = 8000;

export type DecodedInput = { ok: true; text: string } | { ok: false; diagnostic: EtlDiagnostic };

export function pointRange(line = 0, character = 0): Range {
  return { start: { line, character }, end: { line, character } };
}

/** Offsets of line starts, for offset → (line, character) in O(log n). */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(private readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo] };
  }
  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }
  /** Range of line `line` without its line break (and without a trailing \r). */
  lineRange(line: number): Range {
    const start = this.starts[Math.min(line, this.starts.length - 1)];
    let end = line + 1 < this.starts.length ? this.starts[line + 1] - 1 : this.text.length;
    if (end > start && this.text[end - 1] === '\r') end--;
    return this.range(start, end);
  }
  get lineCount(): number {
    return this.starts.length;
  }
}

function tooLarge(size: number): EtlDiagnostic {
  const mib = (size / 1024 / 1024).toFixed(1);
  return {
    severity: 'error',
    code: 'file-too-large',
    range: pointRange(),
    message:
      `File is ${mib} MiB, more than the ${MAX_ETL_FILE_BYTES / 1024 / 1024} MiB an ETL definition may have: ` +
      'keep data out of the definition (read objects at transform time) and open the ETL source file itself.',
  };
}

function binary(): EtlDiagnostic {
  return {
    severity: 'error',
    code: 'binary-file',
    range: pointRange(),
    message:
      'File looks binary (it contains NUL bytes): an ETL definition must be a text file (Python, YAML or Dockerfile).',
  };
}

/** Index of the first byte that breaks UTF-8, or -1. */
export function firstInvalidUtf8(buf: Buffer): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i];
    let need = 0;
    let min = 0;
    if (b < 0x80) {
      i++;
      continue;
    }
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

function invalidUtf8(buf: Buffer, at: number): EtlDiagnostic {
  const before = buf.subarray(0, at).toString('utf8');
  const pos = new LineIndex(before).position(before.length);
  return {
    severity: 'error',
    code: 'invalid-utf8',
    range: { start: pos, end: { line: pos.line, character: pos.character + 1 } },
    message:
      `File is not valid UTF-8 (byte 0x${buf[at].toString(16).padStart(2, '0')} at offset ${at}): ` +
      'save it as UTF-8 (in VS Code: "Change File Encoding" → "Save with Encoding" → UTF-8).',
  };
}

/** Never throws: anything we cannot analyse becomes one diagnostic at the top of the file. */
export function decodeInput(input: string | Buffer): DecodedInput {
  if (typeof input === 'string') {
    if (
      input.length > MAX_ETL_FILE_BYTES ||
      (input.length > MAX_ETL_FILE_BYTES / 3 && Buffer.byteLength(input, 'utf8') > MAX_ETL_FILE_BYTES)
    ) {
      return { ok: false, diagnostic: tooLarge(Buffer.byteLength(input, 'utf8')) };
    }
    if (input.slice(0, BINARY_SNIFF_BYTES).includes('\0')) return { ok: false, diagnostic: binary() };
    return { ok: true, text: input };
  }
  if (input.length > MAX_ETL_FILE_BYTES) return { ok: false, diagnostic: tooLarge(input.length) };
  if (input.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return { ok: false, diagnostic: binary() };
  const bad = firstInvalidUtf8(input);
  if (bad !== -1) return { ok: false, diagnostic: invalidUtf8(input, bad) };
  // Drop a UTF-8 BOM the way editors do, so positions match what the user sees.
  const text = input.toString('utf8');
  return { ok: true, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}
