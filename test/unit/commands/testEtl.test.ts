// Test on object: the file runs under a temporary ETL that is removed on success, on error and on cancel; the result
// or the error (traceback pointing at the user's file) is a result document.
import { test, beforeEach, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Uri, executed, window } from '../_fakes/vscode';
import { temporaryEtlName, testOnObject } from '../../../src/commands/testEtl';
import { ResultDocuments } from '../../../src/editors/resultDocuments';
import { CancelledError } from '../../../src/services/errors';
import type { EtlInfo } from '../../../src/engine/ais';
import { commandContext, fakeClient } from '../_fakes/context';
import { LOCAL_329_INFO } from '../_fakes/client';
import type { LocalRunRequest, LocalRunResult } from '../../../src/engine/run';

const root = mkdtempSync(join(tmpdir(), 'ais-testetl-'));
after(() => rmSync(root, { recursive: true, force: true }));
const dir = join(root, 'md5');
mkdirSync(dir);
const file = join(dir, 'code.py');
writeFileSync(file, 'def transform(b):\n    return b\n');

function setup(getObject: () => Promise<{ body: Readable; headers: Record<string, string>; status: number }>) {
  const etls: EtlInfo[] = [];
  const deleted: string[] = [];
  const client = fakeClient({
    cluster: async () => LOCAL_329_INFO,
    listEtls: async () => etls,
    getObject,
    initEtl: async (msg: Record<string, unknown>) => {
      etls.push({ name: String(msg.name), stage: 'Running' });
      return 'x';
    },
    deleteEtl: async (n: string) => {
      deleted.push(n);
      etls.splice(
        etls.findIndex((e) => e.name === n),
        1,
      );
    },
  });
  const t = commandContext(client, [{ name: 'local', endpoint: 'http://127.0.0.1:1' }]);
  t.ctx.results = new ResultDocuments(join(root, `results-${Math.random()}`), () => 1 << 20);
  return { ...t, etls, deleted, run: (arg: unknown) => testOnObject.run(t.ctx, arg as never) };
}

beforeEach(() => {
  executed.length = 0;
  window.reset();
});

const where = {
  uri: Uri.file(file),
  cluster: 'local',
  bucket: 'transform',
  object: 'shard.in',
  commType: 'hpush',
  onCluster: true,
};

test('temporary names are valid, unique per run and say which file they run', () => {
  const a = temporaryEtlName(file);
  assert.match(a, /^tmp-md5-etl-[0-9a-f]{4}$/);
  assert.notEqual(a, temporaryEtlName(file));
  assert.ok(temporaryEtlName(join(root, 'x'.repeat(40), 'code.py')).length <= 32);
});

test('on the cluster: the result is shown next to the input and the temporary ETL is gone', async () => {
  const t = setup(async () => ({ body: Readable.from([Buffer.from('out')]), headers: {}, status: 200 }));
  const r = await t.run(where);
  assert.equal(r.error, undefined);
  assert.deepEqual(t.etls, [], 'nothing left on the cluster');
  assert.deepEqual(t.deleted, [r.etl]);
  assert.equal(decodeURIComponent(r.output.path.split('/').pop() ?? ''), 'shard.in → code.py');
  assert.equal(executed.at(-1)?.command, 'vscode.diff');
  assert.equal(t.ctx.deployed.get('local', r.etl ?? ''), undefined);
});

test('a transform error opens as a document with the traceback mapped to the file; the ETL is removed', async () => {
  const t = setup(async () => {
    const name = t.etls[0].name;
    throw new Error(
      `ETL failed:\nTraceback:\n  File "/d/.etl/${name}/t1/code.py", line 2, in transform\nTypeError: bad`,
    );
  });
  const r = await t.run(where);
  assert.match(r.error ?? '', new RegExp(`${file.replace(/[.]/g, '\\.')}:2, in transform`));
  const saved = t.ctx.results.get(r.output);
  assert.match(readFileSync(saved?.file ?? '', 'utf8'), /TypeError: bad/);
  assert.deepEqual(window.opened, [r.output.toString()]);
  assert.deepEqual(t.etls, []);
  assert.equal(window.shown.filter((m) => m.kind === 'error').length, 0, 'not (only) a toast');
});

test('cancel: the command is cancelled and the ETL is still removed', async () => {
  const t = setup(async () => {
    throw new CancelledError();
  });
  await assert.rejects(t.run(where), CancelledError);
  assert.deepEqual(t.etls, []);
  assert.equal(t.deleted.length, 1);
});

// The default: the file runs on this machine (engine/run), fed by the object; nothing is deployed at all.
function localSetup(run: (req: LocalRunRequest) => Promise<LocalRunResult>) {
  const got: string[] = [];
  const client = fakeClient({
    cluster: async () => LOCAL_329_INFO,
    getObject: async (b: string, o: string) => {
      got.push(`${b}/${o}`);
      return { body: Readable.from([Buffer.from('some text :)\n')]), headers: {}, status: 200 };
    },
  });
  const t = commandContext(client, [{ name: 'local', endpoint: 'http://127.0.0.1:1' }]);
  t.ctx.results = new ResultDocuments(join(root, `results-${Math.random()}`), () => 1 << 20);
  t.ctx.runner = { run: (req) => run(req) };
  return { ...t, got, run: (arg: unknown) => testOnObject.run(t.ctx, arg as never) };
}

const localWhere = { uri: Uri.file(file), cluster: 'local', bucket: 'transform', object: 'shard.in' };

test('locally: the object streams into the run, the output opens as a diff, no ETL is deployed', async () => {
  let seen = '';
  const t = localSetup(async (req) => {
    for await (const c of req.input as Readable) seen += String(c);
    assert.equal(req.objectName, 'transform/shard.in');
    assert.equal(req.aisVersion, '3.29', "the cluster's version decides what the runtime sends");
    return { output: Readable.from([Buffer.from('md5!')]), exitInfo: Promise.resolve({ ok: true as const }) };
  });
  const r = await t.run(localWhere);
  assert.equal(seen, 'some text :)\n');
  assert.equal(r.ranOn, 'local');
  assert.equal(r.etl, undefined);
  assert.equal(readFileSync(t.ctx.results.get(r.output)?.file ?? '', 'utf8'), 'md5!');
  assert.equal(executed.at(-1)?.command, 'vscode.diff');
});

test('locally: a Python error opens as a document with the traceback and what to do, not as a toast', async () => {
  const tb = `Traceback (most recent call last):\n  File "${file}", line 2, in transform\nTypeError: bad`;
  const error = Object.assign(new Error('code.py raised TypeError: bad'), {
    traceback: tb,
    hint: 'fix the line shown',
  });
  const t = localSetup(async () => ({
    output: Readable.from([]),
    exitInfo: Promise.resolve({ ok: false as const, error: error as never }),
  }));
  const r = await t.run(localWhere);
  assert.match(r.error ?? '', /TypeError: bad/);
  const text = readFileSync(t.ctx.results.get(r.output)?.file ?? '', 'utf8');
  assert.match(text, new RegExp(`File "${file.replace(/[.]/g, '\\.')}", line 2`));
  assert.match(text, /What to do: fix the line shown/);
  assert.deepEqual(window.opened, [r.output.toString()]);
  assert.equal(window.shown.filter((m) => m.kind === 'error').length, 0);
});
