// A small Debug Adapter Protocol client over TCP, for driving debugpy from tests.
import * as net from 'node:net';

export interface DapMessage {
  seq: number;
  type: 'request' | 'response' | 'event';
  command?: string;
  event?: string;
  request_seq?: number;
  success?: boolean;
  message?: string;
  body?: Record<string, unknown>;
}

interface Waiter {
  match: (m: DapMessage) => boolean;
  resolve: (m: DapMessage) => void;
  reject: (e: Error) => void;
}

const CLOSED = 'the debug adapter closed the connection';

export class DapClient {
  private seq = 1;
  private buf = Buffer.alloc(0);
  private readonly pending = new Map<number, (m: DapMessage) => void>();
  private readonly events: DapMessage[] = [];
  private waiters: Waiter[] = [];

  private constructor(private readonly sock: net.Socket) {
    sock.on('data', (d: Buffer) => this.onData(d));
    sock.on('error', () => undefined);
    // A debuggee that died must fail the test, not leave it waiting on a closed connection.
    sock.on('close', () => {
      const gone = new Error(CLOSED);
      for (const p of this.pending.values()) p({ seq: 0, type: 'response', success: false, message: gone.message });
      this.pending.clear();
      for (const w of this.waiters) w.reject(gone);
      this.waiters = [];
    });
  }

  static async connect(port: number, timeoutMs = 20_000): Promise<DapClient> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const sock = await new Promise<net.Socket>((resolve, reject) => {
          const s = net.connect({ host: '127.0.0.1', port });
          s.once('connect', () => resolve(s));
          s.once('error', reject);
        });
        return new DapClient(sock);
      } catch (e) {
        if (Date.now() > deadline) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  private onData(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d]);
    for (;;) {
      const headerEnd = this.buf.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const len = Number(/Content-Length: (\d+)/i.exec(this.buf.subarray(0, headerEnd).toString())?.[1]);
      if (this.buf.length < headerEnd + 4 + len) return;
      const msg = JSON.parse(this.buf.subarray(headerEnd + 4, headerEnd + 4 + len).toString()) as DapMessage;
      this.buf = this.buf.subarray(headerEnd + 4 + len);
      if (msg.type === 'response' && msg.request_seq !== undefined) this.pending.get(msg.request_seq)?.(msg);
      if (msg.type === 'event') this.events.push(msg);
      this.waiters = this.waiters.filter((w) => (w.match(msg) ? (w.resolve(msg), false) : true));
    }
  }

  /** Sends a request; the promise resolves with its response (rejects when success is false). */
  request(command: string, args: Record<string, unknown> = {}): Promise<DapMessage> {
    const seq = this.seq++;
    const body = Buffer.from(JSON.stringify({ seq, type: 'request', command, arguments: args }));
    this.sock.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]));
    return new Promise((resolve, reject) => {
      const fail = (m: DapMessage): Error => new Error(`${command}: ${m.message ?? 'failed'}`);
      this.pending.set(seq, (m) => (m.success ? resolve(m) : reject(fail(m))));
    });
  }

  /**
   * Resumes a stopped thread. A debuggee that finishes at once may end (and close the adapter's connection) before
   * debugpy answers "continue"; that is a normal end, so only a refusal fails. The caller checks the run's result.
   */
  async resume(threadId: unknown): Promise<void> {
    try {
      await this.request('continue', { threadId });
    } catch (e) {
      if (!(e as Error).message.endsWith(CLOSED)) throw e;
    }
  }

  /** The next event named `name` (or one already received and not yet taken). */
  event(name: string, timeoutMs = 30_000): Promise<DapMessage> {
    const i = this.events.findIndex((e) => e.event === name);
    if (i >= 0) return Promise.resolve(this.events.splice(i, 1)[0]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${name}" event within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        match: (m) => m.type === 'event' && m.event === name,
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
        resolve: (m) => {
          clearTimeout(timer);
          this.events.splice(this.events.indexOf(m), 1);
          resolve(m);
        },
      });
    });
  }

  close(): void {
    this.sock.destroy();
  }
}
