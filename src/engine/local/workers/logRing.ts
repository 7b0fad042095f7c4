// Bounded in-memory log of a worker: the last N lines of its stdout/stderr plus our own notes.
export class LogRing {
  private lines: string[] = [];
  private partial = '';

  constructor(
    private readonly maxLines = 2000,
    private readonly maxLineLength = 8192,
  ) {}

  /** Appends raw process output; incomplete last lines are kept until their newline arrives. */
  write(chunk: Buffer | string): void {
    const text = this.partial + chunk.toString();
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    if (this.partial.length > this.maxLineLength) {
      parts.push(this.partial);
      this.partial = '';
    }
    for (const line of parts) this.push(line);
  }

  push(line: string): void {
    this.lines.push(line.length > this.maxLineLength ? line.slice(0, this.maxLineLength) + '…' : line);
    if (this.lines.length > this.maxLines) this.lines.splice(0, this.lines.length - this.maxLines);
  }

  tail(n: number): string {
    const all = this.partial ? [...this.lines, this.partial] : this.lines;
    return all.slice(-n).join('\n');
  }

  text(): string {
    const body = this.lines.join('\n');
    return (body ? body + '\n' : '') + this.partial;
  }
}
