import { test } from 'node:test';
import assert from 'node:assert/strict';
import { window } from '../_fakes/vscode';
import { commandContext, fakeClient } from '../_fakes/context';
import { UiError } from '../../../src/services/errors';

test('an error that offers "Show logs" gets no second "Show log" button, and says each sentence once', async () => {
  const t = commandContext(fakeClient(), []);
  const err = new UiError('ETL x did not start: ETL "x" already exists. ETL "x" already exists.', {
    actions: [{ title: 'Show logs', run: () => undefined }],
  });
  await t.ctx.errors.report({ id: 'aistore.deployEtl', title: 'Deploy ETL' }, err);
  const shown = window.shown.at(-1);
  assert.deepEqual(shown?.buttons, ['Show logs']);
  assert.equal(shown?.message, 'Deploy ETL failed: ETL x did not start: ETL "x" already exists.');
});
