// Transform bucket driven through its prompts: a new destination whose name is checked by AIS's bucket rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { window } from '../_fakes/vscode';
import { commandContext, fakeClient } from '../_fakes/context';
import { transformBucket } from '../../../src/commands/transformBucket';
import type { BucketTransformRequest, JobProgress } from '../../../src/engine/ais';

test('new destination bucket: an invalid name is refused in the box, the job goes to the corrected one', async () => {
  const started: BucketTransformRequest[] = [];
  const job: JobProgress = {
    id: 'j1',
    kind: 'etl-bck',
    running: false,
    aborted: false,
    objs: 3,
    bytes: 30,
    outObjs: 3,
    inObjs: 3,
    perTarget: {},
  };
  const client = fakeClient({
    async listBuckets() {
      return [
        { name: 'src', provider: 'ais' },
        { name: 'other', provider: 'ais' },
      ];
    },
    async listEtls() {
      return [
        { name: 'md5-etl', stage: 'Running' },
        { name: 'old-etl', stage: 'Aborted' },
      ];
    },
    async startBucketTransform(r: BucketTransformRequest) {
      started.push(r);
      return 'j1';
    },
    async waitJob() {
      return job;
    },
    async jobProgress() {
      return job;
    },
    async etlDetails() {
      return { initMsg: {}, kind: 'code' as const, objErrors: [] };
    },
  });
  const t = commandContext(client, [{ name: 'prod', endpoint: 'http://c:1' }]);
  window
    .pick('src', '$(add) New bucket…')
    .type('no spaces allowed', '..dots', 'src-md5')
    .pick(['Continue on error', 'Dry run']);
  const r = await transformBucket.run(t.ctx);
  assert.equal(window.rejectedInputs.length, 2);
  assert.deepEqual(window.prompts.slice(-4), [
    'pick: Transform bucket (1/4)',
    'pick: Transform bucket (3/4)',
    'input: Transform bucket (3/4) New destination bucket',
    'pick: Transform bucket (4/4): options',
  ]);
  assert.match(window.rejectedInputs[0], /^no spaces allowed: No spaces/);
  assert.match(window.rejectedInputs[1], /^\.\.dots: No "\.\."/);
  assert.deepEqual(started, [
    { src: 'src', dst: 'src-md5', etl: { name: 'md5-etl' }, dryRun: true, continueOnError: true, prefix: undefined },
  ]);
  assert.equal(r.job.objs, 3);
  assert.deepEqual(r.failed, []);
  assert.match(window.shown.at(-1)?.message ?? '', /^Done: src → src-md5 with md5-etl, 3 objects .*dry run/);
  assert.deepEqual(window.unused(), []);
});
