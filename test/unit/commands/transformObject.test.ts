// Transform one object from the palette: the ETL is picked, "| etl2" pipes the result through another ETL, and the
// streamed result becomes a read-only document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { window } from '../_fakes/vscode';
import { commandContext, fakeClient } from '../_fakes/context';
import { transformObject } from '../../../src/commands/transformObject';
import type { GetObjectOptions } from '../../../src/engine/ais';
import { CancelledError } from '../../../src/services/errors';

test('picked ETL and a typed pipeline reach getObject; the result is saved and opened', async () => {
  const asked: GetObjectOptions[] = [];
  const client = fakeClient({
    async listEtls() {
      return [
        { name: 'md5-etl', stage: 'Running' },
        { name: 'gzip-etl', stage: 'Running' },
        { name: 'off-etl', stage: 'Stopped' },
      ];
    },
    async getObject(_b: string, _o: string, o?: GetObjectOptions) {
      asked.push({ etl: o?.etl });
      return { body: Readable.from([Buffer.from('393c6706efb128fbc442d3f7d084a426')]), headers: {}, status: 200 };
    },
  });
  const t = commandContext(client, [{ name: 'prod', endpoint: 'http://c:1' }]);
  try {
    window.pick('md5-etl').type('| gzip-etl');
    const r = await transformObject.run(t.ctx, { bucket: 'transform', object: 'shard.in' });
    assert.deepEqual(asked, [{ etl: { name: 'md5-etl', pipeline: ['gzip-etl'] } }]);
    assert.deepEqual(
      { size: r.size, binary: r.binary, cluster: r.cluster, etl: r.etl },
      { size: 32, binary: false, cluster: 'prod', etl: 'md5-etl' },
    );
    assert.equal(window.opened.at(-1), r.uri.toString());
    assert.equal(await t.ctx.results.provideTextDocumentContent(r.uri), '393c6706efb128fbc442d3f7d084a426');
    assert.deepEqual(
      window.prompts.filter((p) => p.startsWith('pick')),
      ['pick: Transform shard.in'],
    );
    window.pick(undefined);
    await assert.rejects(transformObject.run(t.ctx, { bucket: 'transform', object: 'shard.in' }), CancelledError);
  } finally {
    await t.ctx.results.dispose();
  }
});
