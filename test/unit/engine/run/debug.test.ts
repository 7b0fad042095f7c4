// The Debug Adapter Protocol driven from Node against debugpy, for each way an ETL runs: breakpoints stop at the
// user's line with the object's bytes in view, exceptions stop where raised, and the run finishes with the result.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import { freePort, runTransformLocally, type LocalRunRequest } from '../../../../src/engine/run';
import { DapClient, type DapMessage } from './dapClient';
import {
  CLASS_MD5,
  FQN_SERVER,
  IO_MD5,
  SHARD_IN,
  TUTORIAL,
  md5,
  processesMentioning,
  readAll,
  tempDir,
  useSharedPythonCache,
} from './helpers';
import { prereqSkip } from './testPython';

const tmp = tempDir();
// Copies of the tutorial's files: the orphan checks look for processes naming the file, and other tests run the
// repository's copies concurrently.
const tutorial = (name: string): string =>
  tmp.write(name.replace('/', '_'), fs.readFileSync(path.join(TUTORIAL, name), 'utf8'));
useSharedPythonCache();
before(() => useSharedPythonCache());
const NO_DEBUGPY = prereqSkip('debugpy');
const NO_SDK = NO_DEBUGPY ?? prereqSkip('sdk');
after(() => tmp.remove());

interface Variable {
  name: string;
  value: string;
}
interface Frame {
  id: number;
  line: number;
  source?: { path?: string };
}

/** Starts the run under debugpy, attaches, sets breakpoints and exception filters, and returns the session. */
type RunFields = Omit<LocalRunRequest, 'debug' | 'input'>;
const INIT = {
  adapterID: 'debugpy',
  clientID: 'aisetl-test',
  linesStartAt1: true,
  columnsStartAt1: true,
  pathFormat: 'path',
};

async function debugRun(t: TestContext, req: RunFields, lines: number[], filters: string[] = []) {
  const port = await freePort();
  const ac = new AbortController(); // a failed assertion must not leave a debuggee stopped at a breakpoint
  const run = await runTransformLocally({
    input: SHARD_IN,
    objectName: 'transform/shard.in',
    ...req,
    signal: ac.signal,
    debug: { port, waitForClient: true },
  });
  const dap = await DapClient.connect(port);
  t.after(async () => {
    dap.close();
    ac.abort();
    await run.exitInfo;
  });
  await dap.request('initialize', INIT);
  const attached = dap.request('attach', { justMyCode: true });
  await dap.event('initialized');
  const breakpoints = lines.map((line) => ({ line }));
  const bps = await dap.request('setBreakpoints', { source: { path: req.file }, breakpoints });
  await dap.request('setExceptionBreakpoints', { filters });
  await dap.request('configurationDone');
  await attached;
  return { run, dap, bps };
}

async function stoppedFrame(dap: DapClient): Promise<{ stopped: DapMessage; frame: Frame; locals: Variable[] }> {
  const stopped = await dap.event('stopped', 60_000);
  const st = await dap.request('stackTrace', { threadId: stopped.body?.threadId });
  const frame = (st.body?.stackFrames as Frame[])[0];
  const scopes = await dap.request('scopes', { frameId: frame.id });
  const ref = (scopes.body?.scopes as { variablesReference: number }[])[0].variablesReference;
  const vars = await dap.request('variables', { variablesReference: ref });
  return { stopped, frame, locals: vars.body?.variables as Variable[] };
}

const value = (vars: Variable[], name: string): string | undefined => vars.find((v) => v.name === name)?.value;

type Run = Awaited<ReturnType<typeof runTransformLocally>>;

async function finish(dap: DapClient, stopped: DapMessage, run: Run): Promise<string> {
  await dap.resume(stopped.body?.threadId);
  const out = (await readAll(run.output)).toString();
  assert.deepEqual(await run.exitInfo, { ok: true });
  dap.close();
  return out;
}

test(
  'code: stops at code.py line 5 with input_bytes, then returns the md5',
  { timeout: 300_000, skip: NO_DEBUGPY },
  async (t) => {
    const file = tutorial('code.py');
    const { run, dap, bps } = await debugRun(t, { file }, [5]);
    assert.equal((bps.body?.breakpoints as { verified: boolean }[])[0].verified, true);
    const { stopped, frame, locals } = await stoppedFrame(dap);
    assert.equal(stopped.body?.reason, 'breakpoint');
    assert.equal(frame.line, 5);
    assert.equal(frame.source?.path, file);
    assert.equal(value(locals, 'input_bytes'), String.raw`b'some text :)\n'`);
    assert.equal(await finish(dap, stopped, run), md5(SHARD_IN));
    assert.deepEqual(processesMentioning(file), []);
  },
);

test(
  'io: stops in the script with the stdin bytes read, then writes the md5',
  { timeout: 300_000, skip: NO_DEBUGPY },
  async (t) => {
    const file = tmp.write('io_md5.py', IO_MD5);
    const { run, dap } = await debugRun(t, { file }, [5]);
    const { stopped, frame, locals } = await stoppedFrame(dap);
    assert.equal(frame.line, 5);
    assert.equal(value(locals, 'data'), String.raw`b'some text :)\n'`);
    assert.equal(await finish(dap, stopped, run), md5(SHARD_IN));
  },
);

test(
  'etl-class: stops in transform(self, data, path, etl_args) under the SDK server',
  { timeout: 600_000, skip: NO_SDK },
  async (t) => {
    const file = tmp.write('md5_server.py', CLASS_MD5);
    const { run, dap } = await debugRun(t, { file, etlArgs: 'level=1' }, [8]);
    const { stopped, frame, locals } = await stoppedFrame(dap);
    assert.equal(frame.line, 8);
    assert.equal(value(locals, 'data'), String.raw`b'some text :)\n'`);
    assert.equal(value(locals, 'etl_args'), "'level=1'");
    assert.match(value(locals, 'path') ?? '', /shard\.in/);
    assert.equal(await finish(dap, stopped, run), md5(SHARD_IN));
    assert.deepEqual(processesMentioning(file), []);
  },
);

test(
  'server: the tutorial server.py (AIS 3.29) stops in do_POST with the posted bytes',
  { timeout: 300_000, skip: NO_DEBUGPY },
  async (t) => {
    const file = tutorial('server.py');
    const { run, dap } = await debugRun(t, { file, aisVersion: '3.29' }, [18]);
    const { stopped, frame, locals } = await stoppedFrame(dap);
    assert.equal(frame.line, 18);
    assert.equal(value(locals, 'post_data'), String.raw`b'some text :)\n'`);
    assert.equal(await finish(dap, stopped, run), md5(SHARD_IN));
    assert.deepEqual(processesMentioning(file), []);
  },
);

test(
  'server on 5.0: a breakpoint sees etl_fqn, the file holds the object',
  { timeout: 300_000, skip: NO_DEBUGPY },
  async (t) => {
    const file = tmp.write('fqn_server.py', FQN_SERVER);
    const { run, dap } = await debugRun(t, { file, aisVersion: '5.0' }, [7]);
    const { stopped, locals } = await stoppedFrame(dap);
    assert.match(value(locals, 'q') ?? '', /etl_fqn/);
    assert.equal(value(locals, 'data'), String.raw`b'some text :)\n'`);
    assert.equal(await finish(dap, stopped, run), md5(SHARD_IN));
  },
);

for (const filter of ['raised', 'uncaught']) {
  test(
    `exception breakpoint "${filter}" stops where the tutorial io:// script raises`,
    { timeout: 300_000, skip: NO_DEBUGPY },
    async (t) => {
      const file = tutorial('io/code.py');
      const { run, dap } = await debugRun(t, { file }, [], [filter]);
      const { stopped, frame } = await stoppedFrame(dap);
      assert.equal(stopped.body?.reason, 'exception');
      assert.equal(frame.line, 6);
      assert.equal(frame.source?.path, file);
      const info = await dap.request('exceptionInfo', { threadId: stopped.body?.threadId });
      assert.match(String(info.body?.exceptionId), /TypeError/);
      await dap.resume(stopped.body?.threadId);
      await readAll(run.output);
      const exit = await run.exitInfo;
      assert.equal(exit.ok, false);
      dap.close();
      assert.deepEqual(processesMentioning(file), []);
    },
  );
}

test('abort while stopped at a breakpoint ends the debuggee', { timeout: 300_000, skip: NO_DEBUGPY }, async () => {
  const file = tmp.write('abort_me.py', 'def transform(data):\n    x = data\n    return x\n');
  const ac = new AbortController();
  const port = await freePort();
  const debug = { port, waitForClient: true };
  const run = await runTransformLocally({ file, input: SHARD_IN, signal: ac.signal, debug });
  const dap = await DapClient.connect(port);
  await dap.request('initialize', INIT);
  const attached = dap.request('attach', {});
  await dap.event('initialized');
  await dap.request('setBreakpoints', { source: { path: file }, breakpoints: [{ line: 3 }] });
  await dap.request('configurationDone');
  await attached;
  await dap.event('stopped', 60_000);
  ac.abort();
  const exit = await run.exitInfo;
  assert.equal(exit.ok, false);
  dap.close();
  assert.deepEqual(processesMentioning(file), []);
});
