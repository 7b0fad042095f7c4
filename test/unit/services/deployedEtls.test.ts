import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeployedEtls, type DeployedStore } from '../../../src/services/deployedEtls';

function memento(): DeployedStore & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return {
    data,
    get: <T>(k: string) => data.get(k) as T | undefined,
    update: async (k, v) => {
      data.set(k, v);
    },
  };
}

test('remembers the file and hash per cluster and ETL, and survives a reload through the store', () => {
  const store = memento();
  const d = new DeployedEtls(store);
  d.remember('local', 'transformer-md5', { file: '/ws/md5/code.py', hash: DeployedEtls.hash('a') });
  d.remember('prod', 'other-etl', { file: '/ws/x/code.py', hash: 'h' });
  const again = new DeployedEtls(store);
  assert.equal(again.get('local', 'transformer-md5')?.file, '/ws/md5/code.py');
  assert.equal(again.get('prod', 'transformer-md5'), undefined);
  assert.deepEqual(again.namesOf('local', '/ws/md5/code.py'), ['transformer-md5']);
  assert.equal(again.fileOf('other-etl'), '/ws/x/code.py');
  again.forget('local', 'transformer-md5');
  assert.equal(new DeployedEtls(store).get('local', 'transformer-md5'), undefined);
});

test('hash differs when the text differs', () => {
  assert.notEqual(DeployedEtls.hash('a'), DeployedEtls.hash('b'));
  assert.equal(DeployedEtls.hash('a'), DeployedEtls.hash('a'));
});
