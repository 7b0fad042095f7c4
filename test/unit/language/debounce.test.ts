import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyedDebouncer, type Timers } from '../../../src/language/debounce';

/** Manual clock: nothing runs until advance() — no real waiting, no timing assertions. */
function manualTimers() {
  let now = 0;
  const queue: { at: number; fn: () => void; id: number }[] = [];
  let next = 1;
  const timers: Timers = {
    setTimeout: (fn, ms) => {
      const id = next++;
      queue.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout: (id) => {
      const i = queue.findIndex((q) => q.id === id);
      if (i >= 0) queue.splice(i, 1);
    },
  };
  const advance = (ms: number) => {
    now += ms;
    for (const due of queue.filter((q) => q.at <= now).sort((a, b) => a.at - b.at)) {
      queue.splice(queue.indexOf(due), 1);
      due.fn();
    }
  };
  return { timers, advance, pending: () => queue.length };
}

test('a burst of schedules for one key runs the last one once, after the delay', () => {
  const clock = manualTimers();
  const d = new KeyedDebouncer(300, clock.timers);
  const runs: number[] = [];
  for (let i = 1; i <= 5; i++) {
    d.schedule('doc', () => runs.push(i));
    clock.advance(100);
  }
  assert.deepEqual(runs, []);
  clock.advance(199);
  assert.deepEqual(runs, []);
  clock.advance(1);
  assert.deepEqual(runs, [5]);
  assert.equal(d.isPending('doc'), false);
});

test('keys are independent', () => {
  const clock = manualTimers();
  const d = new KeyedDebouncer(300, clock.timers);
  const runs: string[] = [];
  d.schedule('a', () => runs.push('a'));
  clock.advance(200);
  d.schedule('b', () => runs.push('b'));
  clock.advance(100);
  assert.deepEqual(runs, ['a']);
  clock.advance(200);
  assert.deepEqual(runs, ['a', 'b']);
});

test('cancel and dispose drop pending calls', () => {
  const clock = manualTimers();
  const d = new KeyedDebouncer(300, clock.timers);
  const runs: string[] = [];
  d.schedule('a', () => runs.push('a'));
  d.schedule('b', () => runs.push('b'));
  d.schedule('c', () => runs.push('c'));
  d.cancel('a');
  assert.equal(d.isPending('a'), false);
  d.dispose();
  clock.advance(1000);
  assert.deepEqual(runs, []);
  assert.equal(clock.pending(), 0);
});

test('the default timers really fire (no clock injected)', async () => {
  const d = new KeyedDebouncer(1);
  await new Promise<void>((resolve) => d.schedule('x', resolve));
});
