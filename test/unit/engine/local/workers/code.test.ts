import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { describe, it } from 'node:test';
import { startWorker, WorkerTransformError, type EtlWorker } from '../../../../../src/engine/local/workers';
import { WsComm } from '../../../../../src/engine/local/workers/wsClient';
import {
  codeSpec,
  fakeTarget,
  makeCtx,
  pidAlive,
  processesMentioning,
  readAll,
  SHARD_IN,
  SHARD_MD5,
  tmpDir,
  tutorialFile,
  writeObject,
} from './helpers';

const md5 = (b: Buffer | string): string => crypto.createHash('md5').update(b).digest('hex');

async function started(t: { after(fn: () => Promise<void> | void): void }, w: Promise<EtlWorker>): Promise<EtlWorker> {
  const worker = await w;
  t.after(() => worker.stop());
  return worker;
}

describe('code ETL worker (runtime_server.py)', () => {
  it('hpush: the tutorial code.py computes the md5 of shard.in', async (t) => {
    const dir = tmpDir(t);
    const w = await started(t, startWorker(codeSpec(tutorialFile('code.py')), makeCtx(dir)));
    assert.equal(w.state, 'running');
    assert.ok(w.pid && pidAlive(w.pid));
    const out = await w.transform(writeObject(dir, 'shard.in', SHARD_IN));
    assert.equal(out.status, 200);
    assert.equal((await readAll(out.body)).toString(), SHARD_MD5);
  });

  it('hpush with the object as the request body (no etl_fqn), as a real target with latest-ver sends it', async (t) => {
    const dir = tmpDir(t);
    const w = await started(t, startWorker(codeSpec(tutorialFile('code.py')), makeCtx(dir)));
    const base = new URL(w.pullUrl({ bucket: 'b', objName: 'o', fqn: '', size: 0 }));
    const body = await new Promise<string>((resolve, reject) => {
      const req = http.request(
        {
          host: base.hostname,
          port: base.port,
          method: 'PUT',
          path: '/transform/shard.in',
          headers: { 'content-length': Buffer.byteLength(SHARD_IN) },
        },
        (res) => {
          let s = '';
          res.on('data', (c) => {
            s += c;
          });
          res.on('end', () => resolve(`${res.statusCode} ${s}`));
        },
      );
      req.on('error', reject);
      req.end(SHARD_IN);
    });
    assert.equal(body, `200 ${SHARD_MD5}`);
  });

  it('hpull: the redirect URL makes the worker GET the object from AIS_TARGET_URL', async (t) => {
    const dir = tmpDir(t);
    const target = await fakeTarget(new Map([['ais/@#/transform/dir/shard.in', Buffer.from(SHARD_IN)]]));
    t.after(() => target.close());
    const w = await started(
      t,
      startWorker(codeSpec(tutorialFile('code.py'), { commType: 'hpull://' }), makeCtx(dir, target.url)),
    );
    const input = { bucket: 'transform', objName: 'dir/shard.in', fqn: '/nonexistent', size: 13 };
    const url = w.pullUrl(input);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/ais%2F@%23%2Ftransform%2Fdir%2Fshard\.in$/);
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), SHARD_MD5);
    assert.deepEqual(target.gets, ['ais/@#/transform/dir/shard.in']);
    // a missing object: the target's 404 is passed on
    const missing = await fetch(w.pullUrl({ ...input, objName: 'nope' }));
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /not found/);
  });

  it('hpull: transform() (the target calling the worker itself) reads etl_fqn', async (t) => {
    const dir = tmpDir(t);
    const w = await started(t, startWorker(codeSpec(tutorialFile('code.py'), { commType: 'hpull://' }), makeCtx(dir)));
    const out = await w.transform(writeObject(dir, 'a b#c.txt', SHARD_IN));
    assert.equal((await readAll(out.body)).toString(), SHARD_MD5);
  });

  it('ws: md5 and a >64 KiB identity round trip', async (t) => {
    const dir = tmpDir(t);
    const code =
      'import hashlib\ndef transform(b, args=None):\n    return b if args == "echo" else hashlib.md5(b).hexdigest().encode()\n';
    const w = await started(t, startWorker(codeSpec(code, { commType: 'ws://' }), makeCtx(dir)));
    const out = await w.transform(writeObject(dir, 'shard.in', SHARD_IN));
    assert.equal((await readAll(out.body)).toString(), SHARD_MD5);
    const big = crypto.randomBytes(300 * 1024);
    const echoed = await w.transform({ ...writeObject(dir, 'big.bin', big), args: 'echo' });
    assert.equal(echoed.status, 200);
    assert.ok((await readAll(echoed.body)).equals(big));
    // several objects at once over the connection pool; a streamed reply holds its connection until it is read
    const many = await Promise.all(
      Array.from({ length: 20 }, async (_, i) =>
        (await readAll((await w.transform(writeObject(dir, `m${i}`, `obj ${i}`))).body)).toString(),
      ),
    );
    assert.deepEqual(
      many,
      Array.from({ length: 20 }, (_, i) => md5(`obj ${i}`)),
    );
  });

  it('ws: object bytes as a data frame (no fqn, as a container gets them), 1 MiB each way', async (t) => {
    const dir = tmpDir(t);
    const w = await started(
      t,
      startWorker(codeSpec('def transform(b):\n    return b[::-1]\n', { commType: 'ws://' }), makeCtx(dir)),
    );
    const port = Number(new URL(w.pullUrl({ bucket: 'b', objName: 'o', fqn: '', size: 0 })).port);
    const comm = new WsComm('127.0.0.1', port, { passFqn: false });
    t.after(() => comm.close());
    const big = crypto.randomBytes(1 << 20);
    const out = await comm.transform(writeObject(dir, 'big', big));
    assert.ok((await readAll(out.body)).equals(Buffer.from(big).reverse()));
    const small = await comm.transform(writeObject(dir, 'small', 'abc'));
    assert.equal((await readAll(small.body)).toString(), 'cba');
  });

  it('etl_args reach a transform that takes a second parameter', async (t) => {
    const dir = tmpDir(t);
    const code = 'def transform(data, etl_args):\n    return (etl_args or "").encode() + b":" + data\n';
    const w = await started(t, startWorker(codeSpec(code), makeCtx(dir)));
    const out = await w.transform({ ...writeObject(dir, 'x', 'payload'), args: '{"k": "v&w"}' });
    assert.equal((await readAll(out.body)).toString(), '{"k": "v&w"}:payload');
  });

  it('chunk_size > 0 selects the historic streaming form transform(reader, writer)', async (t) => {
    const dir = tmpDir(t);
    const code =
      'def transform(reader, writer):\n    while True:\n        b = reader.read(4)\n        if not b:\n            break\n        writer.write(b.upper())\n';
    const spec = codeSpec('', {
      source: { type: 'code', code, runtime: 'python3.11v2', functionName: 'transform', chunkSize: 4 },
    });
    const w = await started(t, startWorker(spec, makeCtx(dir)));
    assert.equal(
      (await readAll((await w.transform(writeObject(dir, 'x', 'streamed text'))).body)).toString(),
      'STREAMED TEXT',
    );
  });

  it('direct put: with Ais-Node-Url the result goes to the destination and the worker answers 204', async (t) => {
    const dir = tmpDir(t);
    const target = await fakeTarget(new Map());
    t.after(() => target.close());
    const w = await started(t, startWorker(codeSpec(tutorialFile('code.py')), makeCtx(dir, target.url)));
    const nodeUrl = `${target.base}/ais%2F%40%23%2Fdst%2Fshard.in?owt=3&uuid=job1`;
    const out = await w.transform({ ...writeObject(dir, 'shard.in', SHARD_IN), nodeUrl });
    assert.equal(out.status, 204);
    assert.equal(out.headers['ais-direct-put-length'], '32');
    assert.equal(target.puts.length, 1);
    assert.equal(
      target.puts[0].path,
      '/v1/etl/_object/transformer-md5/SECRETabcd/ais%2F%40%23%2Fdst%2Fshard.in?owt=3&uuid=job1',
    );
    assert.equal(target.puts[0].body.toString(), SHARD_MD5);
  });

  it('an exception in the transform answers 500 with the Python traceback', async (t) => {
    const dir = tmpDir(t);
    const code = 'def transform(data):\n    raise ValueError("bad input: " + data.decode())\n';
    const w = await started(t, startWorker(codeSpec(code), makeCtx(dir)));
    const out = await w.transform(writeObject(dir, 'x', 'xyz'));
    assert.equal(out.status, 500);
    const body = (await readAll(out.body)).toString();
    assert.match(body, /Traceback \(most recent call last\)/);
    assert.match(body, /ValueError: bad input: xyz/);
    assert.equal(w.state, 'running');
  });

  it('a hung transform times out (504), the process group is killed and restarted', async (t) => {
    const dir = tmpDir(t);
    const code =
      'import time\ndef transform(data):\n    if data == b"hang":\n        time.sleep(3600)\n    return data.upper()\n';
    const w = await started(t, startWorker(codeSpec(code, { objTimeoutMs: 500 }), makeCtx(dir)));
    const firstPid = w.pid as number;
    const out = await w.transform(writeObject(dir, 'h', 'hang'));
    assert.equal(out.status, 504);
    assert.match((await readAll(out.body)).toString(), /obj_timeout \(500 ms\)/);
    const next = await w.transform(writeObject(dir, 'ok', 'fine'));
    assert.equal((await readAll(next.body)).toString(), 'FINE');
    assert.equal(w.restarts, 1);
    assert.notEqual(w.pid, firstPid);
    assert.equal(pidAlive(firstPid), false);
    assert.match(w.logs(), /exceeded obj_timeout/);
  });

  it('a worker that crashes at start rejects with the log tail and leaves no process', async (t) => {
    const dir = tmpDir(t);
    const code = 'import sys\nprint("loading the model")\nraise RuntimeError("model file missing")\n';
    await assert.rejects(startWorker(codeSpec(code), makeCtx(dir)), (e: Error) => {
      assert.match(e.message, /transformer-md5.*tgt1.*exited with code 3 while starting/s);
      assert.match(e.message, /RuntimeError: model file missing/);
      assert.match(e.message, /loading the model/);
      return true;
    });
    assert.deepEqual(processesMentioning(dir), []);
  });

  it('a missing transform function is named in the rejection', async (t) => {
    const dir = tmpDir(t);
    await assert.rejects(
      startWorker(codeSpec('def other(b):\n    return b\n', { functionName: 'transform' }), makeCtx(dir)),
      /defines no function 'transform' \(found: other\)/,
    );
  });

  it('a worker that never becomes ready is rejected after init_timeout and killed', async (t) => {
    const dir = tmpDir(t);
    const code = 'import time\ntime.sleep(3600)\ndef transform(b):\n    return b\n';
    const ctx = makeCtx(dir);
    const starting = startWorker(codeSpec(code, { initTimeoutMs: 800 }), ctx);
    for (let i = 0; i < 100 && processesMentioning(dir).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(processesMentioning(dir).length, 1, 'the worker process was running while starting');
    await assert.rejects(starting, /did not become ready within init_timeout \(800 ms\)/);
    assert.deepEqual(processesMentioning(dir), [], 'killed after the timeout');
  });

  it('onExit reports an unexpected death with the log tail; stop() leaves no process', async (t) => {
    const dir = tmpDir(t);
    const code = 'import sys\nprint("ready to serve", file=sys.stderr)\ndef transform(b):\n    return b\n';
    const w = await startWorker(codeSpec(code), makeCtx(dir));
    const pid = w.pid as number;
    const reason = new Promise<string>((r) => w.onExit(r));
    process.kill(pid, 'SIGKILL');
    const why = await reason;
    assert.match(why, new RegExp(`pid ${pid}.*killed by SIGKILL`));
    assert.match(why, /ready to serve/);
    assert.equal(w.state, 'failed');
    await assert.rejects(w.transform(writeObject(dir, 'x', 'y')), /is failed/);
    await w.stop();
    assert.equal(w.state, 'stopped');

    const w2 = await startWorker(codeSpec(code), makeCtx(dir));
    const pid2 = w2.pid as number;
    let fired = false;
    w2.onExit(() => {
      fired = true;
    });
    await w2.stop();
    assert.equal(pidAlive(pid2), false);
    assert.equal(fired, false, 'a requested stop is not an unexpected exit');
  });

  it('a transform that kills its process answers 500 with the exit and log tail; onExit fires', async (t) => {
    const dir = tmpDir(t);
    const code =
      'import os, sys\ndef transform(b):\n    print("about to die", file=sys.stderr, flush=True)\n    os._exit(7)\n';
    const w = await started(t, startWorker(codeSpec(code), makeCtx(dir)));
    const reason = new Promise<string>((r) => w.onExit(r));
    const out = await w.transform(writeObject(dir, 'x', 'y'));
    assert.equal(out.status, 500);
    const body = (await readAll(out.body)).toString();
    assert.match(body, /worker process exited with code 7 while transforming transform\/x/);
    assert.match(body, /about to die/);
    assert.match(await reason, /exited with code 7/);
    assert.equal(w.state, 'failed');
  });

  it('a runtime for another Python version runs on the local one, with a note in the log', async (t) => {
    const dir = tmpDir(t);
    const spec = codeSpec('', {
      source: { type: 'code', code: tutorialFile('code.py'), runtime: 'python3.8v2', functionName: 'transform' },
    });
    const w = await started(t, startWorker(spec, makeCtx(dir)));
    assert.match(
      w.logs(),
      /runtime python3\.8v2 asks for Python 3\.8; the local cluster runs it with the local Python 3\.\d+/,
    );
    assert.equal((await readAll((await w.transform(writeObject(dir, 's', SHARD_IN))).body)).toString(), SHARD_MD5);
  });

  it('transformBatch: 1,000 objects through the framed channel, errors per object', async (t) => {
    const dir = tmpDir(t);
    const code =
      'import hashlib\ndef transform(b):\n    if b == b"boom":\n        raise KeyError("boom")\n    return hashlib.md5(b).hexdigest().encode()\n';
    const w = await started(t, startWorker(codeSpec(code), makeCtx(dir)));
    assert.ok(w.transformBatch);
    const inputs = Array.from({ length: 1000 }, (_, i) =>
      writeObject(dir, `o/${i}`, i === 500 ? 'boom' : crypto.randomBytes(4096)),
    );
    const results = new Map<number, Buffer | Error>();
    await w.transformBatch(inputs, (i, out) => {
      assert.ok(!results.has(i));
      results.set(i, out);
    });
    assert.equal(results.size, 1000);
    const bad = results.get(500);
    assert.ok(bad instanceof WorkerTransformError);
    assert.equal(bad.status, 500);
    assert.match(bad.message, /KeyError: 'boom'/);
    for (let i = 0; i < 1000; i++) {
      if (i === 500) continue;
      assert.equal((results.get(i) as Buffer).toString(), md5(fs.readFileSync(inputs[i].fqn)), `object ${i}`);
    }
  });

  it('transformBatch: a hung object gets a timeout error, the others still succeed after the restart', async (t) => {
    const dir = tmpDir(t);
    const code = 'import time\ndef transform(b):\n    if b == b"hang":\n        time.sleep(3600)\n    return b[::-1]\n';
    const w = await started(t, startWorker(codeSpec(code, { objTimeoutMs: 400 }), makeCtx(dir)));
    const inputs = Array.from({ length: 50 }, (_, i) => writeObject(dir, `o${i}`, i === 10 ? 'hang' : `abc${i}`));
    const results = new Map<number, Buffer | Error>();
    await w.transformBatch?.(inputs, (i, out) => results.set(i, out));
    assert.equal(results.size, 50);
    const hung = results.get(10);
    assert.ok(hung instanceof WorkerTransformError && hung.status === 504, String(hung));
    for (let i = 0; i < 50; i++)
      if (i !== 10)
        assert.equal((results.get(i) as Buffer).toString(), [...`abc${i}`].reverse().join(''), `object ${i}`);
    assert.equal(w.restarts, 1);
  });
});
