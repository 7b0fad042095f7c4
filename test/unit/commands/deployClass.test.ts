// aistore.deployEtl on an ETLServer class file: the init body is what the SDK's init_class builds in the ETL Python
// (a real venv with aistore[etl] from PyPI; skipped with the reason when it cannot be made).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Uri, window } from '../_fakes/vscode';
import { CancelledError } from '../../../src/services/errors';
import { deployEtl } from '../../../src/commands/deploy';
import type { ClusterInfo } from '../../../src/engine/ais';
import { commandContext, fakeClient } from '../_fakes/context';
import { ensureSdkVenv } from '../engine/etl/sdkVenv';
import { isMarkedAsEtl } from '../../../src/language/etlIntent';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'etl-class');
const INFO = {
  endpoint: 'http://127.0.0.1:1',
  version: { raw: '5.0.0', major: 5, minor: 0 },
  dialect: 'v5.0',
  deployment: 'K8s',
  local: false,
  etl: 'available',
  commTypes: ['hpush://', 'hpull://', 'ws://'],
  codeInit: false,
} as ClusterInfo;

test(
  'Deploy on an ETLServer class sends the SDK-built init_class body to the cluster',
  { timeout: 600_000 },
  async (t) => {
    const venv = ensureSdkVenv();
    if ('skip' in venv) return t.skip(venv.skip);
    const dir = mkdtempSync(join(tmpdir(), 'aisetl-deploy-class-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    for (const f of ['md5_server.py', 'digest_helpers.py']) copyFileSync(join(FIXTURES, f), join(dir, f));
    const saved = process.env.AISETL_PYTHON;
    process.env.AISETL_PYTHON = venv.python;
    t.after(() => {
      if (saved === undefined) delete process.env.AISETL_PYTHON;
      else process.env.AISETL_PYTHON = saved;
    });
    const sent: Record<string, unknown>[] = [];
    const client = fakeClient({
      cluster: async () => INFO,
      listEtls: async () => [],
      initEtl: async (body) => {
        sent.push(body);
        return 'etl-xid1';
      },
    });
    const { ctx } = commandContext(client, [{ name: 'k8s', endpoint: 'http://127.0.0.1:1' }]);
    const file = join(dir, 'md5_server.py');
    window.shown.length = 0;
    const res = await deployEtl.run(ctx, { uri: file, cluster: 'k8s', name: 'md5-class-etl' });
    assert.equal(res.xid, 'etl-xid1');
    assert.equal(sent.length, 1);
    const body = sent[0] as {
      name: string;
      support_direct_put: boolean;
      runtime: { image: string; env: { name: string; value: string }[] };
    };
    assert.equal(body.name, 'md5-class-etl');
    assert.match(body.runtime.image, /^aistorage\/runtime_python:3\.\d+$/);
    assert.deepEqual(body.runtime.env.map((e) => e.name).sort(), [
      'ETL_CLASS_PAYLOAD',
      'GREETING',
      'NUM_WORKERS',
      'PACKAGES',
    ]);
    assert.ok(res.notes.some((n) => /init_class/.test(n)));
    assert.ok(isMarkedAsEtl(`file://${file}`), 'the deployed file is marked as meant for an ETL');
  },
);

test('Deploy offers no ws:// for a class whose server has no /ws endpoint (HTTPMultiThreadedServer)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'aisetl-deploy-class-ws-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const offered: string[][] = [];
  const client = fakeClient({ cluster: async () => INFO, listEtls: async () => [] });
  const { ctx } = commandContext(client, [{ name: 'k8s', endpoint: 'http://127.0.0.1:1' }]);
  for (const server of ['HTTPMultiThreadedServer', 'FastAPIServer']) {
    const file = join(dir, `${server.toLowerCase()}.py`);
    const module = server === 'FastAPIServer' ? 'fastapi_server' : 'http_multi_threaded_server';
    writeFileSync(
      file,
      `from aistore.sdk.etl.webserver.${module} import ${server}\n\n\nclass Up(${server}):\n` +
        '    def transform(self, data, path, etl_args):\n        return data.upper()\n',
    );
    window.reset();
    window.type('upper-etl').pick((items) => {
      offered.push(items.map((i) => i.label));
      return undefined; // Escape: nothing is deployed
    });
    await assert.rejects(deployEtl.invoke(ctx, { uri: Uri.file(file), cluster: 'k8s' }), CancelledError);
  }
  assert.deepEqual(offered, [
    ['hpush://', 'hpull://'],
    ['hpush://', 'hpull://', 'ws://'],
  ]);
});
