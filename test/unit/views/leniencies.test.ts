import { test } from 'node:test';
import assert from 'node:assert/strict';
import { localOnlyNotes } from '../../../src/views/leniencies';
import { ClustersTreeModel } from '../../../src/views/treeModel';
import { fakeClient } from '../_fakes/client';

test('notes come from the list entry and the details, once each; nothing when the field is absent', () => {
  const note = { id: 'code-init', note: 'code init is refused by AIS 5.0' };
  assert.deepEqual(localOnlyNotes({ localLeniencies: [note] }, { localLeniencies: [note, { id: 'io-comm' }] }), [
    'code init is refused by AIS 5.0',
    'io-comm',
  ]);
  assert.deepEqual(localOnlyNotes({ name: 'x' }, undefined), []);
  assert.deepEqual(localOnlyNotes({ localLeniencies: 'bogus' }), []);
});

test('an ETL relying on a local-only leniency says "works locally only" on its row, the note in the hover', async () => {
  const client = fakeClient({
    cluster: async () => ({
      endpoint: 'x',
      version: { raw: '5.0', major: 5, minor: 0 },
      dialect: 'v5.0' as const,
      deployment: 'aisetl-local',
      local: true,
      etl: 'available' as const,
      commTypes: [],
      codeInit: false,
    }),
    listEtls: async () => [
      { name: 'old-style', stage: 'Running', localLeniencies: [{ id: 'io', note: 'io:// was removed in AIS 5.0' }] },
    ],
    etlDetails: async () => ({ initMsg: {}, kind: 'code' as const, objErrors: [] }),
  });
  const m = new ClustersTreeModel({
    clusters: () => [{ id: 'local', name: 'local', endpoint: 'x', source: 'local' }],
    client: async () => client,
    pageSize: () => 100,
  });
  const [cluster] = await m.children();
  const [, etls] = await m.children(cluster);
  const [row] = await m.children(etls);
  assert.match(row.description ?? '', /works locally only/);
  assert.match(row.tooltip ?? '', /works locally only: io:\/\/ was removed in AIS 5\.0/);
});
