// Debugging an ETL in the real VS Code host: a breakpoint set through the API in the tutorial's code.py stops the
// aistore-etl session on that line with the object's bytes in view; continuing opens the md5 in the result editor.
// Attached to the same code.py deployed on the 5.0 local cluster (through the SDK wrapper), the next inline
// transform stops there too, and ending the session restores normal workers.
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ensureDebugpy, localPython } from '../../../src/engine/run';
import {
  MD5_OF_SHARD,
  SHARD_TEXT,
  api,
  attempt,
  freshTutorialStart,
  run,
  textOf,
  tutorialFiles,
  useLocalRelease,
} from './_helpers';

interface StackFrame {
  id: number;
  line: number;
  source?: { path?: string };
}
interface Variable {
  name: string;
  value: string;
}

function waitFor<T>(what: string, ms: number, subscribe: (done: (v: T) => void) => vscode.Disposable): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`no ${what} within ${ms} ms`));
    }, ms);
    const sub = subscribe((v) => {
      clearTimeout(timer);
      sub.dispose();
      resolve(v);
    });
  });
}

/** The first stop of an aistore-etl session: its top frame and the frame's locals, read through DAP requests. */
interface Stop {
  session: vscode.DebugSession;
  threadId: number;
  frame: StackFrame;
  locals: Variable[];
}

function nextStop(): Promise<Stop> {
  return waitFor('stop at a breakpoint', 120_000, (done) =>
    vscode.debug.onDidChangeActiveStackItem((item) => {
      if (!(item instanceof vscode.DebugStackFrame) || item.session.type !== 'aistore-etl') return;
      void (async () => {
        const st = await item.session.customRequest('stackTrace', { threadId: item.threadId });
        const frame = (st.stackFrames as StackFrame[])[0];
        const scopes = await item.session.customRequest('scopes', { frameId: frame.id });
        const variablesReference = scopes.scopes[0].variablesReference;
        const vars = await item.session.customRequest('variables', { variablesReference });
        done({ session: item.session, threadId: item.threadId, frame, locals: vars.variables as Variable[] });
      })();
    }),
  );
}

function resultEditor(ms: number): Promise<vscode.TextEditor> {
  const isResult = (e: vscode.TextEditor) =>
    e.document.uri.scheme === 'aistore-result' && e.document.uri.path.includes('debug');
  const find = () => vscode.window.visibleTextEditors.find(isResult);
  const now = find();
  if (now) return Promise.resolve(now);
  return waitFor('result editor', ms, (done) =>
    vscode.window.onDidChangeVisibleTextEditors(() => {
      const e = find();
      if (e) done(e);
    }),
  );
}

type LocalClient = Awaited<ReturnType<Awaited<ReturnType<typeof api>>['services']['clientFor']>>['client'];

/** Ending the last attach session restarts the ETL's normal workers; the ETL log says when. */
async function normalWorkersAgain(client: LocalClient, etl: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const logs = await client.etlLogs(etl);
    if (logs.some((l) => /debugging ended: normal workers, obj_timeout restored/.test(l.logs))) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`ETL ${etl} did not restart normal workers within 60 s of the end of the debug session`);
}

/** The transform, once the restarted workers answer (the log note comes before they are up). */
async function transformOnceRestarted(object: object): Promise<vscode.Uri> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { result, error } = await attempt<{ uri: vscode.Uri }>('aistore.transformObject', object);
    if (result) return result.uri;
    if (Date.now() > deadline) throw new Error(`the restarted ETL did not answer within 60 s: ${error}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

suite('Debugging an ETL', function () {
  this.timeout(300_000);
  let cleanup: () => void = () => undefined;

  suiteSetup(async () => {
    // debugpy is downloaded once per machine (the consent prompt is for users; here it is installed up front).
    process.env.AISETL_DEBUGPY_DIR ??= path.join(os.homedir(), '.cache', 'aisetl-run-test', 'debugpy');
    // the SDK venv the 5.0 wrapper runs in, built once per machine by the unit tests' install step
    process.env.AISETL_VENV_CACHE ??= path.join(os.homedir(), '.cache', 'aisetl-run-test', 'venvs');
    await ensureDebugpy((await localPython()).exe);
  });

  suiteTeardown(async () => {
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    await vscode.debug.stopDebugging();
    cleanup();
  });

  test('a breakpoint on code.py line 5 stops with input_bytes, continue opens the md5', async () => {
    const { files, client } = await freshTutorialStart(['transform']);
    cleanup = files.cleanup;
    await client.createBucket('transform');
    await client.putObject('transform', 'shard.in', SHARD_TEXT);
    const code = vscode.Uri.file(files.code);
    await vscode.window.showTextDocument(code);
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(code, new vscode.Position(4, 0)))]);
    const stop = nextStop();
    const target = { cluster: 'local', bucket: 'transform', object: 'shard.in', uri: code.toString() };
    const started = await run<boolean>('aistore.debugEtlOnObject', target);
    assert.equal(started, true);
    const { session, threadId, frame, locals } = await stop;
    assert.equal(frame.line, 5);
    // code-server reports the source as a vscode-remote: URI of the same path
    assert.equal(vscode.Uri.parse(frame.source?.path ?? '').path, vscode.Uri.file(files.code).path);
    assert.equal(locals.find((v) => v.name === 'input_bytes')?.value, String.raw`b'some text :)\n'`);
    if (process.env.SCREENSHOT) {
      await vscode.commands.executeCommand('workbench.view.debug');
      console.log('[aisetl] screenshot-ready');
      await new Promise((r) => setTimeout(r, 3000));
    }
    const ended = waitFor<void>('end of the session', 60_000, (done) =>
      vscode.debug.onDidTerminateDebugSession((s) => {
        if (s.id === session.id) done();
      }),
    );
    await session.customRequest('continue', { threadId });
    await ended;
    const result = await resultEditor(30_000);
    assert.equal(result.document.getText(), crypto.createHash('md5').update(SHARD_TEXT).digest('hex'));
  });

  test('attached to code.py on the 5.0 local cluster, the next inline transform stops at the breakpoint', async () => {
    const restore = await useLocalRelease('5.0');
    const files = tutorialFiles();
    try {
      const { client } = await (await api()).services.clientFor('local');
      await client.createBucket('transform');
      await client.putObject('transform', 'shard.in', SHARD_TEXT);
      const code = vscode.Uri.file(files.code);
      await run('aistore.deployEtl', { uri: code, cluster: 'local', name: 'md5-attach-50', commType: 'hpush' });
      vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
      vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(code, new vscode.Position(4, 0)))]);
      const stop = nextStop();
      assert.equal(await run<boolean>('aistore.attachEtl', { cluster: 'local', etl: 'md5-attach-50' }), true);
      const object = { cluster: 'local', bucket: 'transform', object: 'shard.in', etl: 'md5-attach-50' };
      const transformed = run<{ uri: vscode.Uri }>('aistore.transformObject', object);
      const { session, threadId, frame, locals } = await stop;
      assert.equal(session.configuration.request, 'attach');
      assert.equal(frame.line, 5);
      assert.equal(vscode.Uri.parse(frame.source?.path ?? '').path, code.path);
      assert.equal(locals.find((v) => v.name === 'input_bytes')?.value, String.raw`b'some text :)\n'`);
      await session.customRequest('continue', { threadId });
      assert.equal(await textOf((await transformed).uri), MD5_OF_SHARD);

      await vscode.debug.stopDebugging(session); // one stop ends the sessions of every target
      await normalWorkersAgain(client, 'md5-attach-50');
      // the breakpoint is still set, but normal workers run: the transform answers without stopping
      const again = await transformOnceRestarted(object);
      assert.equal(await textOf(again), MD5_OF_SHARD);
    } finally {
      vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
      files.cleanup();
      await restore();
    }
  });
});
