// A server ETL run locally: start it (under debugpy when debugging), wait until it accepts connections, send it
// the one request a target of the chosen AIS version would send, stream the answer, stop it.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { healthStatus } from '../local/workers/health';
import { sleep } from '../local/workers/managedProcess';
import { freePort, tcpAccepts } from '../local/workers/ports';
import { failureFrom } from './failure';
import { harnessArgs } from './harness';
import { startRunProcess, type RunProcess } from './process';
import { serverCommand, type ServerCommand } from './serverCommand';
import { startFakeTarget } from './fakeTarget';
import { DEBUGPY_HINT, LocalRunError } from './traceback';
import type { LocalRunExit, LocalRunKind, LocalRunRequest, LocalRunResult } from './types';
import { buildRequest, type ServerRequest } from './serverRequest';

/** A run ready to start: the ETL file, the interpreter and its environment, the temp dir and how to remove it. */
export interface PreparedRun<K extends LocalRunKind = LocalRunKind> {
  req: LocalRunRequest;
  kind: K;
  file: string;
  python: string;
  env: NodeJS.ProcessEnv;
  dir: string;
  harness: string;
  cleanup(): void;
}

export type ServerRun = PreparedRun<'server' | 'etl-class'>;

const START_TIMEOUT_MS = 60_000;

export async function runServer(r: ServerRun): Promise<LocalRunResult> {
  const { req } = r;
  const inputFile = path.join(r.dir, 'object');
  await pipeline(Buffer.isBuffer(req.input) ? [req.input] : req.input, fs.createWriteStream(inputFile));
  const cmd = serverCommand(r.file, r.python, await freePort(), r.kind === 'etl-class');
  for (const n of cmd.notes) req.log?.(`note: ${n}`);
  const target = await startFakeTarget(inputFile);
  const env: NodeJS.ProcessEnv = { ...r.env, AIS_TARGET_URL: target.url, direct_put: 'false', DIRECT_PUT: 'false' };
  for (const e of cmd.env) env[e.name] = e.value;
  const args = [...harnessArgs(r.harness, r.kind, cmd.script, req), '--', ...cmd.args];
  const p = startRunProcess({
    python: r.python,
    args,
    cwd: path.dirname(cmd.script),
    env,
    signal: req.signal,
    debugging: !!req.debug,
    log: req.log,
    stdoutIsLog: true,
    timeoutMs: req.debug ? undefined : req.timeoutMs,
  });
  const stopAll = async (): Promise<void> => {
    await p.kill();
    await target.close();
    r.cleanup();
  };
  try {
    await p.ready;
  } catch (e) {
    await stopAll();
    throw new LocalRunError((e as Error).message, '', DEBUGPY_HINT);
  }
  const request = buildRequest({ cmd, req, inputFile, size: fs.statSync(inputFile).size });
  const output = new PassThrough();
  // Under a debugger the server starts only once the client attached: wait for it after returning.
  const exitInfo = startAndExchange({ kind: r.kind, request, cmd, p, output, req }).finally(stopAll);
  return { output, exitInfo };
}

async function startAndExchange(x: Exchange): Promise<LocalRunExit> {
  try {
    await waitListening(x.cmd, x.p, x.req);
  } catch (e) {
    x.output.end();
    await x.p.kill();
    const done = await x.p.done;
    if (e instanceof LocalRunError && !done.stoppedBy) return { ok: false, error: e };
    const stderr = done.stderr || (e as Error).message;
    const facts = {
      kind: x.kind,
      file: x.cmd.script,
      exit: done.exit,
      stderr,
      stoppedBy: done.stoppedBy,
      timeoutMs: x.req.timeoutMs,
    };
    return { ok: false, error: failureFrom(facts) };
  }
  return exchange(x);
}

async function waitListening(cmd: ServerCommand, p: RunProcess, req: LocalRunRequest): Promise<void> {
  const deadline = req.debug ? Infinity : Date.now() + (req.timeoutMs ?? START_TIMEOUT_MS);
  let exited = false;
  void p.proc.exited.then(() => {
    exited = true;
  });
  for (let wait = 30; ; wait = Math.min(wait * 1.5, 300)) {
    if (exited || req.signal?.aborted) throw new Error('the server stopped before it accepted connections');
    const ok = cmd.readinessPath
      ? (await healthStatus('127.0.0.1', cmd.hostPort, cmd.readinessPath)) < 300 &&
        (await tcpAccepts('127.0.0.1', cmd.hostPort))
      : await tcpAccepts('127.0.0.1', cmd.hostPort, 500);
    if (ok) return;
    if (Date.now() > deadline) {
      const name = path.basename(cmd.script);
      throw new LocalRunError(
        `${name} did not accept connections on local port ${cmd.hostPort} in time.`,
        '',
        `Make the server listen on the port its command line or spec names (container port ${cmd.containerPort}).`,
      );
    }
    await sleep(wait);
  }
}

interface Exchange {
  kind: 'server' | 'etl-class';
  request: ServerRequest;
  cmd: ServerCommand;
  p: RunProcess;
  output: PassThrough;
  req: LocalRunRequest;
}

async function exchange(x: Exchange): Promise<LocalRunExit> {
  const { request, cmd, p, output, req } = x;
  if (request.path.includes('etl_fqn=')) {
    req.log?.(
      'note: like AIS 4.0+, the server gets an empty body and etl_fqn=<path of the object>, path-escaped: ' +
        'it must unquote the value once more after parsing the query (urllib.parse.unquote), then read that file.',
    );
  }
  try {
    let res = await send(request, cmd.hostPort, req.signal);
    if (res.status === 501 && request.method === 'PUT') {
      res.body.resume();
      req.log?.(
        'note: the server answered PUT with 501 (not implemented). AIS sends PUT for hpush://, ' +
          'so this server ' +
          'would fail on a real cluster; retried with POST. Implement do_PUT.',
      );
      res = await send({ ...request, method: 'POST' }, cmd.hostPort, req.signal);
    }
    if (res.status >= 400) return { ok: false, error: await httpFailure(res, x) };
    await pipeline(res.body, output);
    return { ok: true };
  } catch (e) {
    output.end();
    await p.kill();
    const done = await p.done;
    const stderr = done.stderr || (e as Error).message;
    const err = failureFrom({
      kind: x.kind,
      file: cmd.script,
      exit: done.exit,
      stderr,
      stoppedBy: done.stoppedBy,
      timeoutMs: req.timeoutMs,
    });
    return { ok: false, error: err };
  } finally {
    if (!output.writableEnded) output.end();
  }
}

async function httpFailure(res: { status: number; body: Readable }, x: Exchange): Promise<LocalRunError> {
  const { cmd, p } = x;
  const chunks: Buffer[] = [];
  for await (const c of res.body) if (chunks.length < 64) chunks.push(c as Buffer);
  const body = Buffer.concat(chunks).toString().trim();
  await p.kill();
  const done = await p.done;
  const fromLog = failureFrom({ kind: x.kind, file: cmd.script, exit: done.exit, stderr: done.stderr });
  const traceback = body.includes('Traceback') ? body : fromLog.traceback;
  const said = body ? `: ${body.split('\n').slice(-1)[0]}` : '';
  return new LocalRunError(
    `ETL error: the server answered ${res.status}${said}`,
    traceback || body,
    res.status === 501 || res.status === 405
      ? 'The server does not implement the method AIS sends (PUT for hpush://, GET for hpull://): add that handler.'
      : fromLog.hint,
  );
}

function send(r: ServerRequest, port: number, signal?: AbortSignal): Promise<{ status: number; body: Readable }> {
  return new Promise((resolve, reject) => {
    const o = { host: '127.0.0.1', port, method: r.method, path: r.path, headers: r.headers, signal, agent: false };
    const req = http.request(o, (res) => resolve({ status: res.statusCode ?? 0, body: res }));
    req.once('error', reject);
    if (r.bodyFile) fs.createReadStream(r.bodyFile).pipe(req);
    else req.end();
  });
}
