import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { WsComm } from '../../../../../src/engine/local/workers/wsClient';

const MiB = 1 << 20;
const FRAGMENTS = 64;

// The reply's bytes: fragment i holds the little-endian uint32 byte offsets, so every fragment differs.
const FILL = `
function fill(buf, i) {
  for (let j = 0; j < buf.length; j += 4) buf.writeUInt32LE((i * buf.length + j) >>> 0, j);
  return buf;
}`;

// A ws server in a child process (its memory is not the test's): after the first message it answers with one
// binary message of FRAGMENTS × 1 MiB fragments, a ping between fragments; in "cut" mode it drops the connection
// after 3 fragments.
const SERVER = `
const http = require('node:http');
const crypto = require('node:crypto');
${FILL}
const [mode, fragments] = [process.argv[1], Number(process.argv[2])];
const srv = http.createServer((req, res) => res.end());
srv.on('upgrade', (req, sock) => {
  const accept = crypto.createHash('sha1')
    .update(req.headers['sec-websocket-key'] + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
  sock.write('HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\n' +
    'Sec-WebSocket-Accept: ' + accept + '\\r\\n\\r\\n');
  sock.once('data', async () => {
    const buf = Buffer.alloc(${MiB});
    for (let i = 0; i < fragments; i++) {
      if (mode === 'cut' && i === 3) return sock.destroy();
      const h = Buffer.alloc(10);
      h[0] = (i === fragments - 1 ? 0x80 : 0) | (i === 0 ? 0x2 : 0x0);
      h[1] = 127;
      h.writeBigUInt64BE(BigInt(buf.length), 2);
      sock.write(h);
      const ok = sock.write(fill(buf, i));
      sock.write(Buffer.from([0x89, 0x00]));
      if (!ok) await new Promise((r) => sock.once('drain', r));
    }
  });
  sock.on('data', () => undefined);
  sock.on('error', () => undefined);
});
srv.listen(0, '127.0.0.1', () => console.log(srv.address().port));
`;

async function startServer(t: { after(fn: () => void): void }, mode: 'full' | 'cut'): Promise<number> {
  const child: ChildProcess = spawn(process.execPath, ['-e', SERVER, mode, String(FRAGMENTS)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.after(() => child.kill('SIGKILL'));
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  return Number(line.toString().trim());
}

function expectedMd5(): string {
  const fill = new Function(`${FILL}; return fill;`)() as (b: Buffer, i: number) => Buffer;
  const buf = Buffer.alloc(MiB);
  const h = crypto.createHash('md5');
  for (let i = 0; i < FRAGMENTS; i++) h.update(fill(buf, i));
  return h.digest('hex');
}

// Collecting garbage before each sample makes RSS show what the stream holds, not what the GC has yet to free.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const rss = (): number => {
  gc();
  return process.memoryUsage().rss;
};

const input = { bucket: 'b', objName: 'o', fqn: '/nonexistent', size: 0 };

describe('ws:// replies stream', () => {
  it('a 64 MiB reply in 1 MiB fragments streams to a slow reader with bounded memory and the right md5', async (t) => {
    const want = expectedMd5();
    const port = await startServer(t, 'full');
    const comm = new WsComm('127.0.0.1', port, { passFqn: true });
    t.after(() => comm.close());
    const base = rss();
    let peak = base;
    const out = await comm.transform(input);
    assert.equal(out.status, 200);
    const h = crypto.createHash('md5');
    let n = 0,
      sinceNap = 0;
    for await (const chunk of out.body as AsyncIterable<Buffer>) {
      h.update(chunk);
      n += chunk.length;
      sinceNap += chunk.length;
      if (sinceNap >= 4 * MiB) {
        // a slow consumer: without backpressure the socket would pile up the object meanwhile
        sinceNap = 0;
        peak = Math.max(peak, rss());
        await new Promise((r) => setTimeout(r, 25));
      }
    }
    peak = Math.max(peak, rss());
    assert.equal(n, FRAGMENTS * MiB);
    assert.equal(h.digest('hex'), want);
    const growth = (peak - base) / MiB;
    assert.ok(growth < 24, `RSS grew by ${growth.toFixed(1)} MiB while streaming a ${FRAGMENTS} MiB reply`);
  });

  it('a connection closed in the middle of a reply errors the output stream (no silent truncation)', async (t) => {
    const port = await startServer(t, 'cut');
    const comm = new WsComm('127.0.0.1', port, { passFqn: true });
    t.after(() => comm.close());
    const out = await comm.transform(input);
    let n = 0;
    await assert.rejects(
      (async () => {
        for await (const chunk of out.body as AsyncIterable<Buffer>) n += (chunk as Buffer).length;
      })(),
      /in the middle of a reply \(after \d+ bytes\): the transformed object is incomplete/,
    );
    assert.ok(n <= 3 * MiB, `got ${n} bytes`);
  });
});
