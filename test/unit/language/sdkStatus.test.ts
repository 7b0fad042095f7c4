import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EtlSdkProbe } from '../../../src/engine/etl';
import { SdkStatus } from '../../../src/language/sdkStatus';
import { isMarkedAsEtl, markAsEtlDocument, onDidMarkAsEtl } from '../../../src/language/etlIntent';
import { isDeployableKind } from '../../../src/language/publish';

test(
  'the interpreter is probed once, answers are shared, a stale answer is re-asked, changes are ' + 'announced',
  async () => {
    let calls = 0;
    let answer: EtlSdkProbe = { python: 'python3', version: '3.11' };
    let now = 0;
    const status = new SdkStatus(
      async () => {
        calls++;
        return answer;
      },
      1000,
      () => now,
    );
    let changes = 0;
    status.onDidChange(() => changes++);
    assert.equal(status.get(), undefined, 'nothing before the first answer');
    status.get();
    await status.refresh();
    assert.equal(calls, 1, 'concurrent asks share one probe');
    assert.deepEqual(status.get(), answer);
    assert.equal(changes, 1);
    answer = { ...answer, sdk: '2.0.0' };
    now = 5000;
    status.get();
    await status.refresh();
    assert.equal(status.get()?.sdk, '2.0.0');
    assert.equal(changes, 2);
  },
);

test('documents marked as ETLs are remembered and announced once', () => {
  const seen: string[] = [];
  const sub = onDidMarkAsEtl((u) => seen.push(u));
  markAsEtlDocument('file:///w/a.py');
  markAsEtlDocument('file:///w/a.py');
  sub.dispose();
  markAsEtlDocument('file:///w/b.py');
  assert.deepEqual(seen, ['file:///w/a.py']);
  assert.ok(isMarkedAsEtl('file:///w/b.py'));
  assert.ok(!isMarkedAsEtl('file:///w/c.py'));
});

test('deployable kinds: the editor-title Deploy button shows only for these', () => {
  for (const k of ['python-transform', 'python-etl-class', 'io-script', 'pod-spec', 'runtime-spec'] as const)
    assert.ok(isDeployableKind(k), k);
  for (const k of ['dockerfile', 'unknown'] as const) assert.ok(!isDeployableKind(k), k);
});
