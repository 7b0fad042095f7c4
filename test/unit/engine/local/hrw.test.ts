import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hrwNode, hrwSelect, uname } from '../../../../src/engine/local/hrw';
import { newNodeId } from '../../../../src/engine/local/ids';

test('HRW spreads names evenly and moves only ~1/N of them when a target is added', () => {
  for (let trial = 0; trial < 5; trial++) {
    const two = [hrwNode(newNodeId()), hrwNode(newNodeId())];
    const three = [...two, hrwNode(newNodeId())];
    const counts = new Map<string, number>();
    let moved = 0;
    const N = 20_000;
    for (let i = 0; i < N; i++) {
      const u = uname('b', `shard-${i}.tar`);
      const a = hrwSelect(two, u);
      counts.set(a.id, (counts.get(a.id) ?? 0) + 1);
      const b = hrwSelect(three, u);
      if (b.id !== a.id) {
        moved++;
        assert.equal(b.id, three[2].id, 'a name may only move to the new target');
      }
      assert.equal(hrwSelect(two, u).id, a.id, 'placement is deterministic');
    }
    for (const c of counts.values()) assert.ok(c > N * 0.45 && c < N * 0.55, `uneven split ${[...counts.values()]}`);
    assert.ok(moved > N * 0.28 && moved < N * 0.39, `moved ${moved}`);
  }
});
