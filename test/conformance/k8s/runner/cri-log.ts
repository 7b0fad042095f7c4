// A container log file in the CRI format the kubelet writes and kwok serves through the apiserver
// (`<RFC3339Nano> <stream> F <line>`); kwok answers 400 "unsupported log format" for anything else.
import * as fs from 'node:fs';

export class CriLogFile {
  private readonly fd: number;
  private closed = false;
  private partial: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };

  constructor(readonly path: string) {
    this.fd = fs.openSync(path, 'a');
  }

  /** Raw process output; a line is written once its newline arrives (or at close). */
  write(stream: 'stdout' | 'stderr', chunk: Buffer | string): void {
    const parts = (this.partial[stream] + chunk.toString()).split('\n');
    this.partial[stream] = parts.pop() ?? '';
    for (const line of parts) this.line(stream, line);
  }

  line(stream: 'stdout' | 'stderr', text: string): void {
    if (this.closed) return;
    fs.writeSync(this.fd, `${rfc3339Nano(new Date())} ${stream} F ${text.replace(/\r$/, '')}\n`);
  }

  close(): void {
    if (this.closed) return;
    for (const s of ['stdout', 'stderr'] as const) if (this.partial[s]) this.line(s, this.partial[s]);
    this.closed = true;
    fs.closeSync(this.fd);
  }
}

/** `2026-12-04T22:48:14.123000000Z`: Go's RFC3339Nano with the nanoseconds JavaScript has. */
export function rfc3339Nano(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}
