// Deploy ETL driven through its prompts: a name already taken on the cluster, timeouts typed wrong then right.
import { test, beforeEach, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { window } from '../_fakes/vscode';
import { commandContext, fakeClient } from '../_fakes/context';
import { K8S_CLUSTER_INFO } from '../_fakes/client';
import { deployEtl, timeoutProblem } from '../../../src/commands/deploy';
import { CancelledError } from '../../../src/services/errors';

const dir = mkdtempSync(join(tmpdir(), 'aisetl-deploy-'));
const file = join(dir, 'md5.py');
writeFileSync(file, 'import hashlib\n\ndef transform(data):\n    return hashlib.md5(data).hexdigest().encode()\n');
after(() => rmSync(dir, { recursive: true, force: true }));

function cluster(existing: string[]) {
  const calls: string[] = [];
  const inits: Record<string, unknown>[] = [];
  const client = fakeClient({
    async cluster() {
      return {
        ...K8S_CLUSTER_INFO,
        endpoint: 'http://c:1',
        commTypes: ['hpush://', 'hpull://', 'ws://'],
        codeInit: true,
      };
    },
    async listEtls() {
      return existing.map((name) => ({ name, stage: 'Running' }));
    },
    async stopEtl(name: string) {
      calls.push(`stop ${name}`);
    },
    async deleteEtl(name: string) {
      calls.push(`delete ${name}`);
    },
    async initEtl(msg: Record<string, unknown>) {
      calls.push('init');
      inits.push(msg);
      return 'xid-1';
    },
  });
  return { t: commandContext(client, [{ name: 'prod', endpoint: 'http://c:1' }]), calls, inits };
}

beforeEach(() => window.reset());

test('a name taken on the cluster: "Replace" stops and deletes the old ETL right before the new init', async () => {
  const { t, calls, inits } = cluster(['md5-etl']);
  window.type('md5-etl').click('warning', 'Replace').pick('hpull://', 'Deploy');
  const r = await deployEtl.run(t.ctx, { uri: file });
  // Stopping first is allowed; what matters is that the old ETL is gone right before the new init.
  assert.deepEqual(
    calls.filter((c) => !c.startsWith('stop ')),
    ['delete md5-etl', 'init'],
  );
  assert.deepEqual(
    { name: r.name, commType: r.commType, xid: r.xid },
    { name: 'md5-etl', commType: 'hpull://', xid: 'xid-1' },
  );
  assert.equal(inits[0].name, 'md5-etl');
  const question = window.shown.find((m) => m.kind === 'warning');
  assert.ok(question?.modal);
  assert.match(question.message, /md5-etl already exists on prod/);
  assert.deepEqual(window.unused(), []);
});

test('a name taken on the cluster: dismissing the question cancels and touches nothing', async () => {
  const { t, calls } = cluster(['md5-etl']);
  window.type('md5-etl');
  await assert.rejects(deployEtl.run(t.ctx, { uri: file }), CancelledError);
  assert.deepEqual(calls, []);
});

test('timeouts: a wrong duration is refused in the box; Go durations like 1h30m are accepted', async () => {
  const { t, inits } = cluster([]);
  window.type('md5-etl').pick('hpush://', 'Set timeouts…').type('5 minutes', '1h30m', '45s');
  await deployEtl.run(t.ctx, { uri: file });
  assert.deepEqual(window.rejectedInputs, ['5 minutes: A duration such as 45s, 5m or 1h30m']);
  assert.equal(inits[0].init_timeout, '1h30m');
  assert.equal(inits[0].obj_timeout, '45s');
  assert.equal(timeoutProblem(''), undefined);
  assert.equal(timeoutProblem('90s'), undefined);
  assert.ok(timeoutProblem('-'));
});
