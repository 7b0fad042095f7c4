// ws:// from a target to one worker (etl-api.md §7.5): a minimal RFC 6455 client (Node 20 has none built in and
// `ws` is only a dev dependency). Per object: binary ctrl JSON frame, then the bytes unless `fqn` is set; the worker
// answers with one message. Each connection carries one object at a time; a few connections run in parallel.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { pathEscape } from './paths';
import type { TransformInput, TransformOutput } from './types';

const OP = { cont: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;
// Loopback only, no intermediaries to protect: an all-zero mask key is valid framing and lets us stream the
// object file straight into the socket without rewriting every byte.
const ZERO_MASK = Buffer.alloc(4);

/** A text message arrives whole (small: acks, errors); a binary one as a stream of its frames' payloads. */
export type WsMessage = { opcode: number; data: Buffer } | { opcode: typeof OP.binary; body: Readable };

// What the parser waits for when it cannot go on: more socket bytes, or a slow consumer of a streamed reply.
const NEED_DATA = 0,
  NEED_READER = 1,
  PROGRESS = 2;
type Step = typeof NEED_DATA | typeof NEED_READER | typeof PROGRESS;
// A streamed reply buffers at most this much ahead of its reader before the socket is paused.
const STREAM_HWM = 1 << 20;

export class WsConnection {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private fragments: Buffer[] = [];
  private fragmentOp = 0;
  private waiter: { resolve(m: WsMessage): void; reject(e: Error): void } | undefined;
  private closedError: Error | undefined;
  private closeSeen = false;
  private parsing = false;
  /** The binary reply being streamed, and where its current data frame stands. */
  private out: Readable | undefined;
  private outBytes = 0;
  private readerWants = true;
  private frame: { left: number; fin: boolean; mask: Buffer | undefined; maskPos: number } | undefined;

  private constructor(
    private readonly socket: Socket,
    head: Buffer,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('error', (e) => this.fail(e));
    socket.on('close', () => this.fail(new Error('ETL worker closed the WebSocket connection')));
    if (head.length) this.onData(head);
  }

  static connect(host: string, port: number, path = '/ws'): Promise<WsConnection> {
    return new Promise((resolve, reject) => {
      const key = crypto.randomBytes(16).toString('base64');
      const req = http.request({
        host,
        port,
        path,
        headers: {
          Connection: 'Upgrade',
          Upgrade: 'websocket',
          'Sec-WebSocket-Version': '13',
          'Sec-WebSocket-Key': key,
        },
      });
      req.once('upgrade', (res, socket, head) => {
        const expected = crypto
          .createHash('sha1')
          .update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11')
          .digest('base64');
        if (res.headers['sec-websocket-accept'] !== expected) {
          socket.destroy();
          reject(new Error('ETL worker answered the WebSocket handshake with a wrong Sec-WebSocket-Accept'));
          return;
        }
        resolve(new WsConnection(socket, head));
      });
      req.once('response', (res) => {
        res.resume();
        reject(new Error(`ETL worker refused the WebSocket upgrade on ${path}: HTTP ${res.statusCode}`));
      });
      req.once('error', reject);
      req.end();
    });
  }

  get closed(): boolean {
    return this.closedError !== undefined;
  }

  sendFrame(opcode: number, payload: Buffer): void {
    this.socket.write(Buffer.concat([frameHeader(opcode, payload.length), payload]));
  }

  /** One binary message whose payload is the file, streamed. */
  async sendFile(file: string, size: number): Promise<void> {
    this.socket.write(frameHeader(OP.binary, size));
    const stream = fs.createReadStream(file);
    let sent = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const part = sent + chunk.length > size ? chunk.subarray(0, size - sent) : chunk;
      sent += part.length;
      if (!this.socket.write(part)) await new Promise((r) => this.socket.once('drain', r));
      if (sent >= size) break;
    }
    if (sent < size) {
      this.socket.destroy();
      throw new Error(`object file ${file} is shorter than its size ${size}`);
    }
  }

  nextMessage(): Promise<WsMessage> {
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
      this.parse();
    });
  }

  destroy(): void {
    this.socket.destroy();
  }

  close(): void {
    if (this.closed) return;
    try {
      this.sendFrame(OP.close, Buffer.from([0x03, 0xe8]));
    } catch {
      /* closing anyway */
    }
    this.socket.end();
  }

  private fail(e: Error): void {
    this.closedError ??= e;
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(this.closedError);
    // bytes already received still reach a streamed reply; it errors only if they do not complete it
    this.parse();
  }

  private onData(d: Buffer): void {
    this.chunks.push(d);
    this.buffered += d.length;
    this.parse();
  }

  private peek(n: number): Buffer {
    if (this.chunks[0].length < n) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0];
  }

  private take(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    let off = 0;
    while (off < n) {
      const c = this.chunks[0];
      const k = Math.min(c.length, n - off);
      c.copy(out, off, 0, k);
      off += k;
      if (k === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(k);
    }
    this.buffered -= n;
    return out;
  }

  /** Up to `n` bytes without copying: the rest of the first received chunk at most. */
  private takeSome(n: number): Buffer {
    const c = this.chunks[0];
    const k = Math.min(c.length, n);
    if (k === c.length) this.chunks.shift();
    else this.chunks[0] = c.subarray(k);
    this.buffered -= k;
    return c.subarray(0, k);
  }

  private parse(): void {
    if (this.parsing) return;
    this.parsing = true;
    try {
      let step: Step = PROGRESS;
      while (step === PROGRESS && (this.waiter || this.out)) step = this.frame ? this.pump() : this.readFrame();
      if (step === NEED_DATA && this.out && this.closedError) {
        const out = this.out;
        this.out = undefined;
        this.frame = undefined;
        out.destroy(
          new Error(
            `${this.closedError.message} in the middle of a reply (after ${this.outBytes} bytes): ` +
              'the transformed object is incomplete',
          ),
        );
      }
    } finally {
      this.parsing = false;
    }
  }

  /** Hands the received part of the current data frame to the streamed reply. */
  private pump(): Step {
    const f = this.frame as NonNullable<WsConnection['frame']>;
    const out = this.out as Readable;
    if (f.left === 0) {
      this.frame = undefined;
      if (f.fin) {
        this.out = undefined;
        out.push(null);
      }
      return PROGRESS;
    }
    if (!this.readerWants) return NEED_READER;
    if (this.buffered === 0) return NEED_DATA;
    const part = this.takeSome(f.left);
    f.left -= part.length;
    if (f.mask) {
      for (let i = 0; i < part.length; i++) part[i] ^= f.mask[(f.maskPos + i) & 3];
      f.maskPos = (f.maskPos + part.length) & 3;
    }
    this.outBytes += part.length;
    if (!out.push(part)) {
      this.readerWants = false;
      this.socket.pause();
    }
    return PROGRESS;
  }

  private onRead(): void {
    this.readerWants = true;
    this.socket.resume();
    this.parse();
  }

  /** One frame header; binary data frames start streaming, text and control frames are read whole. */
  private readFrame(): Step {
    if (this.closeSeen || this.buffered < 2) return NEED_DATA;
    const h = this.peek(Math.min(this.buffered, 14));
    const fin = (h[0] & 0x80) !== 0,
      opcode = h[0] & 0x0f,
      masked = (h[1] & 0x80) !== 0;
    let len = h[1] & 0x7f,
      off = 2;
    if (len === 126) {
      if (this.buffered < 4) return NEED_DATA;
      len = h.readUInt16BE(2);
      off = 4;
    } else if (len === 127) {
      if (this.buffered < 10) return NEED_DATA;
      len = Number(h.readBigUInt64BE(2));
      off = 10;
    }
    const maskOff = off;
    if (masked) off += 4;
    const streamed = opcode === OP.binary || (opcode === OP.cont && this.out !== undefined);
    if (this.buffered < off + (streamed ? 0 : len)) return NEED_DATA;
    const header = this.take(off);
    const mask = masked ? header.subarray(maskOff, maskOff + 4) : undefined;
    if (streamed) {
      this.frame = { left: len, fin, mask, maskPos: 0 };
      if (opcode === OP.binary) this.startStream();
      return PROGRESS;
    }
    const payload = this.take(len);
    if (mask) unmask(payload, mask);
    this.onWholeFrame(fin, opcode, payload);
    return PROGRESS;
  }

  private startStream(): void {
    this.outBytes = 0;
    this.readerWants = true;
    this.out = new Readable({ highWaterMark: STREAM_HWM, read: () => this.onRead() });
    const w = this.waiter;
    this.waiter = undefined;
    w?.resolve({ opcode: OP.binary, body: this.out });
  }

  private onWholeFrame(fin: boolean, opcode: number, payload: Buffer): void {
    if (opcode === OP.ping) {
      if (!this.closedError) this.sendFrame(OP.pong, payload);
      return;
    }
    if (opcode === OP.pong) return;
    if (opcode === OP.close) {
      this.closeSeen = true;
      this.socket.end();
      this.fail(new Error('ETL worker closed the WebSocket connection'));
      return;
    }
    if (opcode !== OP.cont) this.fragmentOp = opcode;
    this.fragments.push(payload);
    if (!fin) return;
    const msg = {
      opcode: this.fragmentOp,
      data: this.fragments.length === 1 ? this.fragments[0] : Buffer.concat(this.fragments),
    };
    this.fragments = [];
    const w = this.waiter;
    this.waiter = undefined;
    w?.resolve(msg);
  }
}

function frameHeader(opcode: number, len: number): Buffer {
  let h: Buffer;
  if (len < 126) {
    h = Buffer.alloc(2);
    h[1] = 0x80 | len;
  } else if (len < 65536) {
    h = Buffer.alloc(4);
    h[1] = 0x80 | 126;
    h.writeUInt16BE(len, 2);
  } else {
    h = Buffer.alloc(10);
    h[1] = 0x80 | 127;
    h.writeBigUInt64BE(BigInt(len), 2);
  }
  h[0] = 0x80 | opcode;
  return Buffer.concat([h, ZERO_MASK]);
}

function unmask(buf: Buffer, key: Buffer): void {
  for (let i = 0; i < buf.length; i++) buf[i] ^= key[i & 3];
}

/** Reads the worker's answer: binary = result; text = direct-put ack (a byte count) or our runtime's JSON error. */
export function wsReplyToOutput(msg: WsMessage): TransformOutput {
  if ('body' in msg) return { status: 200, body: msg.body, headers: {} };
  if (msg.opcode === OP.binary) return { status: 200, body: Readable.from([msg.data]), headers: {} };
  const text = msg.data.toString();
  if (/^\d+$/.test(text.trim()))
    return { status: 204, body: Readable.from([]), headers: { 'ais-direct-put-length': text.trim() } };
  let status = 500,
    error = text;
  try {
    const j = JSON.parse(text) as { status?: number; error?: string };
    if (typeof j.error === 'string') {
      error = j.error;
      status = typeof j.status === 'number' ? j.status : 500;
    }
  } catch {
    /* plain text error from another server */
  }
  return { status, body: Readable.from([Buffer.from(error)]), headers: { 'content-type': 'text/plain' } };
}

/** A small pool of WebSocket connections to one worker, each strictly request/response. */
export class WsComm {
  private idle: WsConnection[] = [];
  private open = 0;
  private queue: { resolve(c: WsConnection): void; reject(e: unknown): void }[] = [];

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly o: { passFqn: boolean; connections?: number },
  ) {}

  async transform(input: TransformInput, signal?: AbortSignal): Promise<TransformOutput> {
    const conn = await this.acquire();
    const onAbort = (): void => conn.destroy();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const ctrl: Record<string, string> = { path: input.objName };
      if (this.o.passFqn) ctrl.fqn = pathEscape(input.fqn);
      if (input.args) ctrl.etl_args = input.args;
      if (input.nodeUrl) ctrl.pipeline = input.nodeUrl;
      const reply = conn.nextMessage();
      reply.catch(() => undefined); // observed below; a failed send must not leave it unhandled
      conn.sendFrame(OP.binary, Buffer.from(JSON.stringify(ctrl)));
      if (!this.o.passFqn) await conn.sendFile(input.fqn, input.size);
      const msg = await reply;
      if ('body' in msg) this.releaseAfter(conn, msg.body);
      else this.release(conn);
      return wsReplyToOutput(msg);
    } catch (e) {
      conn.destroy();
      this.release(conn);
      throw signal?.aborted ? (signal.reason instanceof Error ? signal.reason : new Error('aborted')) : e;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Opens one connection now and keeps it idle: fails fast when the worker has no WebSocket endpoint. */
  async connectOne(): Promise<void> {
    this.open++;
    try {
      this.idle.push(await WsConnection.connect(this.host, this.port));
    } catch (e) {
      this.open--;
      throw e;
    }
  }

  /** A streamed reply holds its connection until it is read to the end; abandoned midway, the rest is unread. */
  private releaseAfter(conn: WsConnection, body: Readable): void {
    let ended = false;
    body.once('end', () => (ended = true));
    body.once('close', () => {
      if (!ended) conn.destroy();
      this.release(conn);
    });
  }

  private async acquire(): Promise<WsConnection> {
    while (this.idle.length) {
      const c = this.idle.pop() as WsConnection;
      if (!c.closed) return c;
      this.open--;
    }
    if (this.open < (this.o.connections ?? 4)) {
      this.open++;
      try {
        return await WsConnection.connect(this.host, this.port);
      } catch (e) {
        this.open--;
        throw e;
      }
    }
    return new Promise((resolve, reject) => this.queue.push({ resolve, reject }));
  }

  private release(c: WsConnection): void {
    if (c.closed) {
      this.open--;
      const next = this.queue.shift();
      if (next) {
        this.open++;
        WsConnection.connect(this.host, this.port).then(next.resolve, (e: unknown) => {
          this.open--;
          next.reject(e);
        });
      }
      return;
    }
    const next = this.queue.shift();
    if (next) next.resolve(c);
    else this.idle.push(c);
  }

  close(): void {
    for (const c of this.idle) c.close();
    this.idle = [];
  }
}
