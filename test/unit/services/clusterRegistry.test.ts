import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterRegistry } from '../../../src/services/clusterRegistry';
import type { AisClientOptions as ClientOptions } from '../../../src/engine/ais';
import { formatError } from '../../../src/services/errors';
import { fakeClient } from '../_fakes/client';

function registry(settings: unknown[], tokens: Record<string, string> = {}) {
  const made: ClientOptions[] = [];
  const closed: string[] = [];
  let current = settings;
  const reg = new ClusterRegistry({
    readInputs: () => ({ settings: current }),
    getToken: async (ep) => tokens[ep],
    createClient: (o) => {
      made.push(o);
      return fakeClient({
        endpoint: o.endpoint,
        close: async () => {
          closed.push(o.endpoint);
        },
      });
    },
  });
  return {
    reg,
    made,
    closed,
    setSettings: (s: unknown[]) => {
      current = s;
    },
  };
}

test('client per cluster, created once, with the token from secret storage', async () => {
  const { reg, made } = registry([{ name: 'a', endpoint: 'http://a:1' }], { 'http://a:1': 'sekret' });
  const c1 = await reg.client('a');
  const c2 = await reg.client('a');
  assert.equal(c1, c2);
  assert.equal(made.length, 1);
  assert.equal(made[0].token, 'sekret');
});

test('unknown cluster and no cluster give messages that say what to do', () => {
  const { reg } = registry([]);
  const says = (re: RegExp) => (e: unknown) => re.test(formatError(e));
  assert.throws(() => reg.resolve(), says(/No AIStore cluster is configured — .*Start local cluster/));
  assert.throws(() => reg.resolve('nope'), says(/Unknown cluster "nope" — .*Add cluster/));
});

test('active cluster defaults to the first and follows setActive; local endpoint is added first', () => {
  const { reg } = registry([
    { name: 'a', endpoint: 'http://a:1' },
    { name: 'b', endpoint: 'http://b:1' },
  ]);
  const changes: string[] = [];
  reg.onDidChange((w) => changes.push(w));
  assert.equal(reg.active()?.id, 'a');
  reg.setActive('b');
  assert.equal(reg.active()?.id, 'b');
  reg.setLocalEndpoint('http://127.0.0.1:5');
  assert.equal(reg.list()[0].source, 'local');
  assert.equal(reg.local()?.endpoint, 'http://127.0.0.1:5');
  assert.equal(reg.active()?.id, 'b');
  reg.setLocalEndpoint(undefined);
  assert.equal(reg.local(), undefined);
  assert.deepEqual(changes, ['active', 'clusters', 'clusters']);
});

test('reload drops clients whose endpoint changed and keeps the others', async () => {
  const { reg, made, closed, setSettings } = registry([
    { name: 'a', endpoint: 'http://a:1' },
    { name: 'b', endpoint: 'http://b:1' },
  ]);
  await reg.client('a');
  await reg.client('b');
  setSettings([
    { name: 'a', endpoint: 'http://a:2' },
    { name: 'b', endpoint: 'http://b:1' },
  ]);
  reg.reload();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(closed, ['http://a:1']);
  await reg.client('a');
  await reg.client('b');
  assert.deepEqual(
    made.map((m) => m.endpoint),
    ['http://a:1', 'http://b:1', 'http://a:2'],
  );
});
