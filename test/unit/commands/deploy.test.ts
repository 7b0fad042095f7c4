// aistore.deployEtl driven through its prompts with the scripted window: the default name, the name check as the user
// types, Replace / Cancel on a collision, "already deployed" for the same text, and plain-argument collisions.
import { test, beforeEach, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Uri, window } from '../_fakes/vscode';
import { deployEtl } from '../../../src/commands/deploy';
import { CancelledError } from '../../../src/services/errors';
import { DeployedEtls } from '../../../src/services/deployedEtls';
import type { EtlInfo } from '../../../src/engine/ais';
import { commandContext, fakeClient } from '../_fakes/context';
import { LOCAL_329_INFO } from '../_fakes/client';

const root = mkdtempSync(join(tmpdir(), 'ais-deploy-'));
after(() => rmSync(root, { recursive: true, force: true }));
const CODE =
  'import hashlib\n\ndef transform(input_bytes):\n    return hashlib.md5(input_bytes).hexdigest().encode()\n';
const dir = join(root, 'transformer-md5');
mkdirSync(dir);
const file = join(dir, 'code.py');
writeFileSync(file, CODE);

function setup(etls: EtlInfo[]) {
  const calls: string[] = [];
  const client = fakeClient({
    cluster: async () => LOCAL_329_INFO,
    listEtls: async () => etls,
    stopEtl: async (n: string) => {
      calls.push(`stop ${n}`);
    },
    deleteEtl: async (n: string) => {
      calls.push(`delete ${n}`);
    },
    initEtl: async (msg: Record<string, unknown>) => {
      calls.push(`init ${String(msg.name ?? msg.id)}`);
      return 'x1';
    },
  });
  const t = commandContext(client, [{ name: 'local demo', endpoint: 'http://127.0.0.1:1' }]);
  return { ...t, calls, run: (arg: unknown) => deployEtl.invoke(t.ctx, arg) };
}

beforeEach(() => window.reset());

test('the default name comes from the folder and is free on the cluster; prompts count 1/3 … 3/3', async () => {
  const t = setup([{ name: 'transformer-md5', stage: 'Running' }]);
  window.type('transformer-md5-2').pick('hpull://', 'Deploy');
  const r = await t.run({ uri: Uri.file(file) });
  assert.equal(window.boxes[0].value, 'transformer-md5-2');
  assert.deepEqual(
    window.prompts.map((p) => p.replace(/ to .*?(?= \(|$)/, '')),
    [
      'input: Deploy code.py (1/3) ETL name (lowercase letters, digits and "-")',
      'pick: Deploy code.py (2/3)',
      'pick: Deploy code.py (3/3)',
    ],
  );
  assert.equal(r.name, 'transformer-md5-2');
  assert.deepEqual(t.calls, ['init transformer-md5-2']);
  assert.equal(t.ctx.deployed.get(r.cluster, 'transformer-md5-2')?.file, file);
});

test('typing a taken name warns as you type; Enter then Cancel deploys nothing', async () => {
  const t = setup([{ name: 'transformer-md5', stage: 'Running' }]);
  window.type('Bad_Name', 'transformer-md5');
  await assert.rejects(t.run({ uri: Uri.file(file) }), CancelledError);
  assert.match(window.rejectedInputs[0], /Bad_Name.*\[a-z0-9-\]/);
  const warn = window.boxes[0].validationMessage;
  assert.ok(typeof warn === 'object' && /already exists on local demo \(Running\)/.test(warn.message));
  const modal = window.shown.find((m) => m.modal);
  assert.match(modal?.message ?? '', /ETL transformer-md5 already exists on local demo \(Running\)\. Replace it/);
  assert.deepEqual(t.calls, []);
});

test('Replace stops and deletes the old ETL, then deploys under the same name', async () => {
  const t = setup([{ name: 'transformer-md5', stage: 'Running' }]);
  window.type('transformer-md5').click('warning', 'Replace').pick('hpull://', 'Deploy');
  const r = await t.run({ uri: Uri.file(file) });
  assert.equal(r.replaced, true);
  assert.deepEqual(t.calls, ['stop transformer-md5', 'delete transformer-md5', 'init transformer-md5']);
});

test('the same text already running under the name is "already deployed": no prompt after the name, no init', async () => {
  const t = setup([{ name: 'transformer-md5', stage: 'Running' }]);
  t.ctx.deployed.remember('local demo', 'transformer-md5', { file, hash: DeployedEtls.hash(CODE) });
  window.type('transformer-md5');
  const r = await t.run({ uri: Uri.file(file) });
  assert.equal(r.alreadyDeployed, true);
  assert.equal(window.boxes[0].value, 'transformer-md5', 'a name deployed from this file is the default again');
  assert.deepEqual(t.calls, []);
  assert.match(window.shown.at(-1)?.message ?? '', /already deployed on local demo with this content/);
});

test('plain arguments: a taken name is one clear error, replace: true replaces', async () => {
  const t = setup([{ name: 'transformer-md5', stage: 'Aborted' }]);
  await assert.rejects(t.run({ uri: file, name: 'transformer-md5' }), /already exists on local demo \(Aborted\)/);
  const r = await t.run({ uri: file, name: 'transformer-md5', replace: true });
  assert.deepEqual(t.calls, ['stop transformer-md5', 'delete transformer-md5', 'init transformer-md5']);
  assert.equal(r.replaced, true);
});
