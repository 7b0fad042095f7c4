// summarizeSnaps: the local cluster's per-object accounting (snap ext) is summed into JobProgress; AIS's snaps
// (ext null) leave written/failed undefined rather than guessing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarizeSnaps } from '../../../../src/engine/ais';

type Ext = { written: number; failed: number; failed_objs: { name: string; err: string }[] } | null;
const snap = (ext: Ext, loc: number) => ({
  id: 'J',
  stats: { 'loc-objs': String(loc), 'out-objs': '0' },
  'end-time': '2026-01-01T00:00:00Z',
  ext,
});

test('written, failed and the failed list are summed over targets', () => {
  const p = summarizeSnaps('J', 'etl-bck', {
    A: [snap({ written: 3, failed: 1, failed_objs: [{ name: 'ais://s/x', err: 'ETL error: boom' }] }, 3)],
    B: [snap({ written: 2, failed: 0, failed_objs: [] }, 2)],
  });
  assert.equal(p.written, 5);
  assert.equal(p.failed, 1);
  assert.deepEqual(p.failedObjs, [{ objName: 'ais://s/x', message: 'ETL error: boom' }]);
});

test('snaps without the accounting (real AIS) leave it undefined', () => {
  const p = summarizeSnaps('J', 'etl-bck', { A: [snap(null, 3)] });
  assert.equal(p.objs, 3);
  assert.equal(p.written, undefined);
  assert.equal(p.failed, undefined);
});
