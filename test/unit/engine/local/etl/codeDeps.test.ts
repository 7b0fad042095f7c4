// A code.py with a dependency on the default 5.0 local cluster, deployed as the extension deploys it there:
// runtime_python running `sh -c "pip install … && exec python -c <the SDK wrapper>"`. The shell's pip and python are
// the ETL's venv (built with the dependency beforehand), so the install finds it there, offline, and the host's
// Python is left alone.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AisClient } from '../../../../../src/engine/ais';
import type { LocalCluster } from '../../../../../src/engine/local';
import { SHARD_IN, md5, tempDir } from '../../run/helpers';
import { startShardCluster } from '../helpers';
import { depsCodeInit, prereqSkip, useSharedPythonCache } from '../../run/testPython';

useSharedPythonCache();
const SKIP = prereqSkip('deps');
const tmp = tempDir();
let cluster: LocalCluster;
let client: AisClient;

before(async () => {
  if (SKIP) return;
  ({ cluster, client } = await startShardCluster(tmp.dir, 2));
});
after(async () => {
  await client?.close();
  await cluster?.stop();
  tmp.remove();
});

for (const commType of ['hpush://', 'hpull://'] as const) {
  test(
    `code.py importing humanize, with humanize as its dependency (${commType}): the md5 inline`,
    { skip: SKIP },
    async () => {
      const name = `deps-md5-${commType.slice(0, -3)}`;
      const built = depsCodeInit(tmp.write('code.py', ''), name, commType);
      const cmd = (built.body as { runtime: { command: string[] } }).runtime.command;
      assert.match(cmd.join(' '), /^sh -c pip install .*'humanize' && exec python -c/, 'deployed behind pip install');
      await client.initEtl(built.body);
      const out = await client.getObject('transform', 'shard.in', { etl: { name } });
      assert.equal(Buffer.concat(await out.body.toArray()).toString(), md5(SHARD_IN));
      const logs = await client.etlLogs(name);
      const text = logs.map((l) => l.logs).join('\n');
      // the command's own pip ran against the ETL's venv and found the package there (no download)
      assert.match(text, /Requirement already satisfied: humanize in \S*venvs\/[0-9a-f]+\//);
      assert.doesNotMatch(text, /Downloading|Successfully installed/);
      await client.stopEtl(name);
      await client.deleteEtl(name);
    },
  );
}
