// Adding and removing clusters through the prompts, and how command errors reach the user.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { clipboard, config, window } from '../_fakes/vscode';
import { commandContext, fakeClient } from '../_fakes/context';
import { addCluster, copyName, removeCluster } from '../../../src/commands/clusters';
import { CancelledError, UiError } from '../../../src/services/errors';

beforeEach(() => window.reset());

test('add cluster: the URL box refuses what is not http(s); the name defaults to the host; it becomes active', async () => {
  const t = commandContext(fakeClient(), [{ name: 'a', endpoint: 'http://a:1' }]);
  window.type('aistore.example.com', 'http://ais.example.com:51080/', '');
  const id = await addCluster.run(t.ctx);
  assert.deepEqual(window.rejectedInputs, ['aistore.example.com: An http:// or https:// URL']);
  assert.equal(id, 'ais.example.com:51080');
  assert.deepEqual(config.clusters, [
    { name: 'a', endpoint: 'http://a:1' },
    { name: 'ais.example.com:51080', endpoint: 'http://ais.example.com:51080' },
  ]);
  assert.equal(t.ctx.registry.active()?.id, id);
  assert.deepEqual(
    window.boxes.map((b) => `${b.title} ${b.step}/${b.totalSteps}`),
    ['Add cluster 1/2', 'Add cluster 2/2'],
  );
});

test('add cluster: an endpoint already listed is refused while typing; given as an argument, it is selected', async () => {
  const t = commandContext(fakeClient(), [{ name: 'a', endpoint: 'http://a:1' }]);
  window.type('http://a:1/', 'http://b:2', 'b');
  await addCluster.run(t.ctx);
  assert.deepEqual(window.rejectedInputs, ['http://a:1/: Already in the Clusters view as "a"']);
  assert.equal((config.clusters as unknown[]).length, 2);
  const again = await addCluster.run(t.ctx, { endpoint: 'http://a:1' });
  assert.equal(again, t.ctx.registry.list().find((c) => c.name === 'a')?.id);
  assert.equal(t.ctx.registry.active()?.id, again);
  assert.equal((config.clusters as unknown[]).length, 2);
});

test('add cluster: dismissing the name box adds nothing', async () => {
  const t = commandContext(fakeClient(), []);
  window.type('http://h:1');
  await assert.rejects(addCluster.run(t.ctx), CancelledError);
  assert.deepEqual(config.clusters, []);
});

test('remove cluster: picked from the list, confirmed, its token removed; "No" keeps it', async () => {
  const t = commandContext(fakeClient(), [
    { name: 'a', endpoint: 'http://a:1' },
    { name: 'b', endpoint: 'http://b:1' },
  ]);
  t.secrets.set('aistore.token:http://b:1', 'tok');
  window.pick('b').click('warning', undefined);
  assert.equal(await removeCluster.run(t.ctx), false);
  assert.equal(t.ctx.registry.list().length, 2);
  window.pick('b').click('warning', 'Remove');
  assert.equal(await removeCluster.run(t.ctx), true);
  assert.deepEqual(
    t.ctx.registry.list().map((c) => c.name),
    ['a'],
  );
  assert.equal(t.secrets.has('aistore.token:http://b:1'), false);
  assert.ok(window.shown.every((m) => m.modal));
});

test('copy name of a bucket node copies its ais:// URL', async () => {
  const t = commandContext(fakeClient(), [{ name: 'a', endpoint: 'http://a:1' }]);
  const view = { label: 'b', icon: 'x', contextValue: 'bucket', collapsible: 'collapsed' as const, clusterId: 'a' };
  const cluster = { ...view, id: 'c', kind: 'cluster' as const, local: false };
  const buckets = { ...view, id: 'bs', kind: 'buckets' as const, parent: cluster };
  assert.equal(
    await copyName.run(t.ctx, { ...view, id: 'b', kind: 'bucket', parent: buckets, bucket: 'b', provider: 'ais' }),
    'ais://b',
  );
  assert.equal(clipboard.text, 'ais://b');
});

test('errors: shown once as "<title> failed: message — hint" with their actions; cancellations only logged', async () => {
  const t = commandContext(fakeClient(), []);
  const seen: string[] = [];
  t.ctx.errors.onDidReport((e) => seen.push(`${e.command}: ${e.message}`));
  let ran = 0;
  window.click('error', 'Open report');
  const err = new UiError('ETL x did not start', {
    hint: 'see its report',
    actions: [
      {
        title: 'Open report',
        run: () => {
          ran++;
        },
      },
    ],
  });
  await t.ctx.errors.report({ id: 'aistore.deployEtl', title: 'Deploy ETL' }, err);
  assert.deepEqual(seen, ['aistore.deployEtl: Deploy ETL failed: ETL x did not start — see its report']);
  assert.deepEqual(window.shown.at(-1)?.buttons, ['Open report', 'Show log']);
  assert.equal(ran, 1);
  await t.ctx.errors.report({ id: 'aistore.deployEtl', title: 'Deploy ETL' }, new CancelledError());
  assert.equal(seen.length, 1);
  assert.equal(window.shown.length, 1);
  assert.match(t.log.lines.at(-1) ?? '', /Deploy ETL: cancelled/);
});
