// The same data folder started as 3.29, then as 5.0 (an upgrade): an ETL deployed with code init on 3.29 is kept,
// Aborted, and starting it again is refused as aisnode 5.0 refuses that init message, with a hint that says what
// works instead (deleting it and deploying again from its file).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { AisClient, AisError } from '../../../../../src/engine/ais';
import { startLocalCluster, type LocalCluster } from '../../../../../src/engine/local';
import { TUTORIAL, tempDir } from '../../run/helpers';

const tmp = tempDir();
let cluster: LocalCluster | undefined;
after(async () => {
  await cluster?.stop();
  tmp.remove();
});

test('a 3.29 code ETL after an upgrade to 5.0: start is refused with a hint to redeploy it', async () => {
  const dataDir = path.join(tmp.dir, 'data');
  cluster = await startLocalCluster({ dataDir, targets: 1, aisVersion: '3.29' });
  let client = new AisClient({ endpoint: cluster.endpoint });
  await client.initEtl({
    name: 'old-md5',
    runtime: 'python3.11v2',
    communication: 'hpull://',
    code: readFileSync(path.join(TUTORIAL, 'code.py')).toString('base64'),
    funcs: { transform: 'transform' },
  });
  await client.close();
  await cluster.stop();

  cluster = await startLocalCluster({ dataDir, targets: 1, aisVersion: '5.0' });
  client = new AisClient({ endpoint: cluster.endpoint });
  try {
    assert.deepEqual(
      (await client.listEtls()).map((e) => [e.name, e.stage]),
      [['old-md5', 'Aborted']],
    );
    const err = await client.startEtl('old-md5').then(
      () => assert.fail('5.0 accepted a code init message'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof AisError);
    assert.equal(err.status, 400);
    assert.match(err.aisMessage, /invalid etl\.InitMsg/);
    assert.equal(
      err.hint,
      'this cluster no longer accepts how ETL "old-md5" was deployed: delete it and deploy it again from its file',
    );
    await client.deleteEtl('old-md5');
    assert.deepEqual(await client.listEtls(), []);
  } finally {
    await client.close();
  }
});
