// Node's end of the framed fast path (see python/aisetl_batch.py for the frame layout): requests go to the worker's
// fd 3, results come back on fd 4, matched by id. No HTTP, no per-object round trip: Node keeps a window of
// objects in flight so Python never waits.
import type { Readable, Writable } from 'node:stream';
import { WorkerTransformError } from './types';

const REQ_HEADER = 13; // u32 id | u8 kind | u32 args_len | u32 payload_len
const RESP_HEADER = 13; // u32 id | u8 status | u64 len
const KIND_FQN = 1;
const ST_OK = 0,
  ST_ERROR = 1,
  ST_HELLO = 2,
  ST_TIMEOUT = 3;

export interface Hello {
  port: number;
  python: string;
}
type Pending = { resolve(b: Buffer): void; reject(e: Error): void };

export class BatchChannel {
  readonly hello: Promise<Hello>;
  private resolveHello!: (h: Hello) => void;
  private rejectHello!: (e: Error) => void;
  private pending = new Map<number, Pending>();
  private nextId = 1;
  private chunks: Buffer[] = [];
  private buffered = 0;
  private closedError: Error | undefined;

  constructor(
    private readonly toWorker: Writable,
    fromWorker: Readable,
    private readonly timeoutMs: number,
  ) {
    this.hello = new Promise((resolve, reject) => {
      this.resolveHello = resolve;
      this.rejectHello = reject;
    });
    this.hello.catch(() => undefined);
    fromWorker.on('data', (d: Buffer) => this.onData(d));
    fromWorker.on('error', () => undefined); // the process exit reports the failure
    toWorker.on('error', () => undefined);
  }

  get inFlight(): number {
    return this.pending.size;
  }

  /** Queues one object; resolves with the transformed bytes. `ready()` tells when to stop writing for a while. */
  submit(fqn: string, args?: string): Promise<Buffer> {
    if (this.closedError) return Promise.reject(this.closedError);
    const id = this.nextId;
    this.nextId = this.nextId >= 0xfffffff0 ? 1 : this.nextId + 1;
    const payload = Buffer.from(fqn);
    const argBuf = args ? Buffer.from(args) : Buffer.alloc(0);
    const header = Buffer.allocUnsafe(REQ_HEADER);
    header.writeUInt32BE(id, 0);
    header.writeUInt8(KIND_FQN, 4);
    header.writeUInt32BE(argBuf.length, 5);
    header.writeUInt32BE(payload.length, 9);
    const p = new Promise<Buffer>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.writable = this.toWorker.write(Buffer.concat([header, argBuf, payload]));
    return p;
  }

  /** False after a write filled the pipe: await `drained()` before submitting more. */
  writable = true;
  drained(): Promise<void> {
    if (this.writable || this.closedError) return Promise.resolve();
    return new Promise((resolve) =>
      this.toWorker.once('drain', () => {
        this.writable = true;
        resolve();
      }),
    );
  }

  /** Everything still pending fails with `e` (the worker died or is being replaced). */
  fail(e: Error): void {
    this.closedError ??= e;
    this.rejectHello(e);
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(e);
  }

  close(): void {
    this.toWorker.end();
  }

  private onData(d: Buffer): void {
    this.chunks.push(d);
    this.buffered += d.length;
    while (this.buffered >= RESP_HEADER) {
      if (this.chunks[0].length < RESP_HEADER) this.chunks = [Buffer.concat(this.chunks)];
      const h = this.chunks[0];
      const len = Number(h.readBigUInt64BE(5));
      if (this.buffered < RESP_HEADER + len) return;
      const frame = this.take(RESP_HEADER + len);
      this.deliver(frame.readUInt32BE(0), frame.readUInt8(4), frame.subarray(RESP_HEADER));
    }
  }

  private take(n: number): Buffer {
    if (this.chunks[0].length < n) this.chunks = [Buffer.concat(this.chunks)];
    const c = this.chunks[0];
    const out = c.subarray(0, n);
    if (n === c.length) this.chunks.shift();
    else this.chunks[0] = c.subarray(n);
    this.buffered -= n;
    return out;
  }

  private deliver(id: number, status: number, body: Buffer): void {
    if (status === ST_HELLO) {
      this.resolveHello(JSON.parse(body.toString()) as Hello);
      return;
    }
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if (status === ST_OK) p.resolve(body);
    else if (status === ST_TIMEOUT)
      p.reject(
        new WorkerTransformError(
          504,
          `${body.toString()}: the worker was killed and restarted (obj_timeout ${this.timeoutMs} ms); raise obj_timeout or fix the transform`,
        ),
      );
    else if (status === ST_ERROR) p.reject(new WorkerTransformError(500, body.toString()));
    else p.reject(new WorkerTransformError(500, `unexpected batch status ${status} from the worker`));
  }
}
