import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Disposable, disposeAll, toDisposable } from '../../../src/services/lifecycle';
import { PortForwards } from '../../../src/services/portForwards';

class Owner extends Disposable {
  own(name: string, log: string[]) {
    return this.register(toDisposable(() => log.push(name)));
  }
  get gone() {
    return this.isDisposed;
  }
}

test('dispose releases what was registered, last first, once; a late registration is released at once', () => {
  const log: string[] = [];
  const o = new Owner();
  o.own('a', log);
  o.own('b', log);
  o.dispose();
  o.dispose();
  assert.deepEqual(log, ['b', 'a']);
  assert.equal(o.gone, true);
  o.own('late', log);
  assert.deepEqual(log, ['b', 'a', 'late']);
});

test('disposeAll keeps going when one dispose throws', () => {
  const log: string[] = [];
  disposeAll([
    toDisposable(() => log.push('first')),
    toDisposable(() => {
      throw new Error('x');
    }),
    toDisposable(() => log.push('last')),
  ]);
  assert.deepEqual(log, ['last', 'first']);
});

test('port-forwards: add, stop one, prune the ones nobody uses, and report the count', async () => {
  const stopped: string[] = [];
  const fwd = (port: number) => ({
    localPort: port,
    url: `http://127.0.0.1:${port}`,
    dispose: async () => {
      stopped.push(String(port));
    },
  });
  const pf = new PortForwards();
  const counts: number[] = [];
  pf.onDidChange((n) => counts.push(n));
  pf.add(fwd(1));
  pf.add(fwd(2));
  pf.add(fwd(3));
  assert.deepEqual(await pf.stop(['http://127.0.0.1:2', 'http://127.0.0.1:9']), ['http://127.0.0.1:2']);
  assert.deepEqual(await pf.prune((url) => url.endsWith(':1')), ['http://127.0.0.1:3']);
  assert.deepEqual(pf.urls(), ['http://127.0.0.1:1']);
  pf.dispose();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(stopped, ['2', '3', '1']);
  assert.deepEqual(counts, [1, 2, 3, 2, 1, 0]);
});
