// Servers in a Python file that imports the aistore SDK, on the default 5.0 local cluster: a runtime spec on
// aistorage/runtime_python running `python <file>`, and a Pod spec on an image built with `aisetl build` FROM
// runtime_python whose CMD runs a file importing the SDK through a module next to it. The official image ships
// the SDK, so both serve; locally they run in the prepared SDK venv (no download: the test skips if that venv is
// not the one the worker needs).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { AisClient } from '../../../../../src/engine/ais';
import type { LocalCluster } from '../../../../../src/engine/local';
import { buildLocalImage } from '../../../../../src/engine/local/images';
import { AISTORE_SDK_VERSION } from '../../../../../src/engine/local/workers/runtimePython';
import { sharedVenvCache } from '../../../../../src/engine/local/workers/venv';
import { SHARD_IN, md5, tempDir } from '../../run/helpers';
import { readyPodSpec, startShardCluster } from '../helpers';
import { TEST_PYTHON_HOME, prereqSkip, useSharedPythonCache } from '../../run/testPython';

useSharedPythonCache();
const SKIP = prereqSkip('sdk') || preparedVenvMismatch([`aistore==${AISTORE_SDK_VERSION}`]);
const tmp = tempDir();
let cluster: LocalCluster;
let client: AisClient;

/** Why the prepared SDK venv is not the one a file importing only the SDK's stdlib server needs, if it is not. */
function preparedVenvMismatch(want: string[]): string | undefined {
  const status = JSON.parse(fs.readFileSync(path.join(TEST_PYTHON_HOME, 'install-status.json'), 'utf8')) as {
    sdk: string;
  };
  const reqFile = path.join(path.dirname(path.dirname(status.sdk)), 'requirements.txt');
  const have = fs.readFileSync(reqFile, 'utf8').split('\n').filter(Boolean);
  if (JSON.stringify(have) === JSON.stringify(want)) return undefined;
  return `the prepared SDK venv holds ${have.join(', ')}, the worker needs ${want.join(', ')} (it would download)`;
}

const MD5_SERVER = `import hashlib

from aistore.sdk.etl.webserver.http_multi_threaded_server import HTTPMultiThreadedServer


class Md5(HTTPMultiThreadedServer):
    def transform(self, data, path, etl_args):
        return hashlib.md5(data).hexdigest().encode()
`;

before(async () => {
  if (SKIP) return;
  ({ cluster, client } = await startShardCluster(tmp.dir, 1));
});
after(async () => {
  await client?.close();
  await cluster?.stop();
  tmp.remove();
});

async function md5InlineAndClean(name: string): Promise<void> {
  const out = await client.getObject('transform', 'shard.in', { etl: { name } });
  assert.equal(Buffer.concat(await out.body.toArray()).toString(), md5(SHARD_IN));
  const text = (await client.etlLogs(name)).map((l) => l.logs).join('\n');
  assert.match(text, /using cached virtualenv \S*venvs\/[0-9a-f]+/, 'ran in the prepared SDK venv');
  await client.stopEtl(name);
  await client.deleteEtl(name);
}

test('runtime spec: `python <file>` whose file imports the SDK serves the md5', { skip: SKIP }, async () => {
  const file = tmp.write('srv_md5.py', `${MD5_SERVER}\n\nif __name__ == "__main__":\n    Md5(port=8000).start()\n`);
  const name = 'sdk-file-spec';
  await client.initEtl({
    name,
    communication: 'hpush://',
    init_timeout: '2m',
    obj_timeout: '45s',
    runtime: { image: 'aistorage/runtime_python:3.11', command: ['python', file] },
  });
  await md5InlineAndClean(name);
});

test(
  'Pod spec on an image built FROM runtime_python: CMD runs a file whose sibling imports the SDK',
  {
    skip: SKIP,
  },
  async () => {
    const context = path.join(tmp.dir, 'built');
    fs.mkdirSync(context);
    fs.writeFileSync(path.join(context, 'md5_impl.py'), MD5_SERVER);
    fs.writeFileSync(path.join(context, 'server.py'), 'from md5_impl import Md5\n\nMd5(port=8000).start()\n');
    fs.writeFileSync(
      path.join(context, 'Dockerfile'),
      'FROM aistorage/runtime_python:3.11\nCOPY server.py md5_impl.py /code/\nCMD python /code/server.py\n',
    );
    const home = path.join(tmp.dir, 'home'); // the image store the local cluster resolves images from
    await buildLocalImage('aisetl-test/sdk-file:v1', context, { storeDir: path.join(home, 'images') });
    const prev = { home: process.env.AISETL_HOME, venvs: process.env.AISETL_VENV_CACHE };
    process.env.AISETL_VENV_CACHE = sharedVenvCache(); // the prepared venvs stay where they are
    process.env.AISETL_HOME = home;
    try {
      const spec = Buffer.from(readyPodSpec('sdk-built-pod', 'aisetl-test/sdk-file:v1')).toString('base64');
      await client.initEtl({ name: 'sdk-built-pod', communication: 'hpush://', init_timeout: '2m', spec });
    } finally {
      restoreEnv('AISETL_HOME', prev.home);
      restoreEnv('AISETL_VENV_CACHE', prev.venvs);
    }
    await md5InlineAndClean('sdk-built-pod');
  },
);

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
