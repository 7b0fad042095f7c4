// Etl.init_class on a 5.0 local cluster: an HTTPMultiThreadedServer subclass cloudpickled by Python into
// ETL_CLASS_PAYLOAD on aistorage/runtime_python:<X.Y>, served by the SDK's own server in a cached venv, receiving
// what aisnode 5.0 sends (PUT ?etl_fqn= with an empty body). Installs aistore[etl] from PyPI once into
// AISETL_VENV_CACHE (default here: ~/.cache/aisetl-test/venvs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AisClient } from '../../../../../src/engine/ais';
import { startLocalCluster, type LocalCluster } from '../../../../../src/engine/local';
import { classInterpreter } from '../../../../../src/engine/local/workers/classRuntime';
import { findPython } from '../../../../../src/engine/local/workers/python';
import { md5 } from '../helpers';

const CLASS = `
import hashlib
from aistore.sdk.etl.webserver.http_multi_threaded_server import HTTPMultiThreadedServer
from aistore.sdk.etl.webserver.utils import serialize_class

class Md5Server(HTTPMultiThreadedServer):
    def transform(self, data, path, etl_args):
        if isinstance(data, str):  # ETL_DIRECT_FQN=true: the local file path instead of bytes
            return ("fqn:" + data).encode()
        return (hashlib.md5(data).hexdigest() + (":" + etl_args if etl_args else "")).encode()

print(serialize_class(Md5Server))
`;

let dir: string;
let cluster: LocalCluster;
let client: AisClient;
let payload: string;
let image: string;
const prevCache = process.env.AISETL_VENV_CACHE;

before(async () => {
  process.env.AISETL_VENV_CACHE ??= join(homedir(), '.cache', 'aisetl-test', 'venvs');
  const py = await findPython();
  image = `aistorage/runtime_python:${py.version}`;
  // the payload is made the way the SDK makes it: by a client of the same Python version as the image
  const venvPy = await classInterpreter({
    name: 'payload',
    image,
    env: [],
    venvCache: process.env.AISETL_VENV_CACHE,
    log: () => undefined,
    timeoutMs: 600_000,
  });
  payload = execFileSync(venvPy, ['-c', CLASS], { encoding: 'utf8' }).trim();
  dir = mkdtempSync(join(tmpdir(), 'aisetl-class-'));
  cluster = await startLocalCluster({ dataDir: join(dir, 'data'), targets: 2, aisVersion: '5.0' });
  client = new AisClient({ endpoint: cluster.endpoint, timeoutMs: 300_000 });
  await client.createBucket('src');
  for (let i = 0; i < 20; i++) await client.putObject('src', `o-${i}`, `object ${i}\n`);
});
after(async () => {
  await client?.close();
  await cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (prevCache === undefined) delete process.env.AISETL_VENV_CACHE;
  else process.env.AISETL_VENV_CACHE = prevCache;
});

const initClass = (name: string, env: Record<string, string>, img = image, comm = 'hpush://') =>
  client.initEtl({
    name,
    communication: comm,
    init_timeout: '5m',
    obj_timeout: '45s',
    support_direct_put: true,
    runtime: {
      image: img,
      env: Object.entries({ ETL_CLASS_PAYLOAD: payload, ...env }).map(([n, value]) => ({ name: n, value })),
    },
  });

async function text(s: { body: NodeJS.ReadableStream }): Promise<string> {
  let out = '';
  for await (const c of s.body) out += c.toString();
  return out;
}

test('init_class: inline with etl_args, a bucket job, stop and delete', { timeout: 600_000 }, async () => {
  await initClass('md5-class', { NUM_WORKERS: '2' });
  assert.equal(await text(await client.getObject('src', 'o-3', { etl: { name: 'md5-class' } })), md5('object 3\n'));
  assert.equal(
    await text(await client.getObject('src', 'o-3', { etl: { name: 'md5-class', args: 'x1' } })),
    `${md5('object 3\n')}:x1`,
  );
  const id = await client.startBucketTransform({ src: 'src', dst: 'dst', etl: { name: 'md5-class' } });
  const p = await client.waitJob(id, 'etl-bck', { intervalMs: 100 });
  assert.equal(p.aborted, false, p.err);
  assert.equal(await text(await client.getObject('dst', 'o-11')), md5('object 11\n'));
  // single-object copies: when another target owns the destination, the SDK server direct-puts it there (204)
  await client.createBucket('copies');
  for (let i = 0; i < 6; i++)
    await client.transformObjectTo('src', `o-${i}`, 'copies', `c-${i}`, { name: 'md5-class' });
  for (let i = 0; i < 6; i++)
    assert.equal(await text(await client.getObject('copies', `c-${i}`)), md5(`object ${i}\n`));
  await client.stopEtl('md5-class');
  await client.deleteEtl('md5-class');
  assert.deepEqual(cluster.workerPids(), []);
});

// etl_fqn is url.PathEscape(fqn) inside the query; the SDK server unquotes it once more after parsing the query
const ODD_NAMES = ['pct%20name.txt', 'sp ace.txt', 'plus+x.txt', 'q?x.txt', 'hash#x.txt', 'dir/ü €.txt'];

test(
  'names with %, space, +, ?, # and non-ASCII: inline and a bucket job, hpush and hpull',
  { timeout: 600_000 },
  async () => {
    await client.createBucket('names');
    for (const n of ODD_NAMES) await client.putObject('names', n, `named ${n}\n`);
    for (const comm of ['hpush://', 'hpull://']) {
      const name = `names-${comm.slice(0, 5)}`;
      await initClass(name, {}, image, comm);
      for (const n of ODD_NAMES)
        assert.equal(await text(await client.getObject('names', n, { etl: { name } })), md5(`named ${n}\n`), n);
      const dst = `names-out-${comm.slice(0, 5)}`;
      const id = await client.startBucketTransform({ src: 'names', dst, etl: { name } });
      const p = await client.waitJob(id, 'etl-bck', { intervalMs: 100 });
      assert.equal(p.aborted, false, p.err);
      for (const n of ODD_NAMES) assert.equal(await text(await client.getObject(dst, n)), md5(`named ${n}\n`), n);
      await client.deleteEtl(name);
    }
  },
);

test('ETL_DIRECT_FQN=true: the class gets the path aisnode 5.0 sends in etl_fqn', { timeout: 300_000 }, async () => {
  await initClass('fqn-class', { ETL_DIRECT_FQN: 'true' });
  const out = await text(await client.getObject('src', 'o-5', { etl: { name: 'fqn-class' } }));
  assert.match(out, /^fqn:\//);
  assert.ok(out.startsWith(`fqn:${join(dir, 'data')}`) && out.endsWith('/src/o-5'), out);
  await client.deleteEtl('fqn-class');
});

test(
  'a FastAPIServer class runs under uvicorn with NUM_WORKERS workers, over ws:// with direct put',
  { timeout: 600_000 },
  async () => {
    const venvPy = await classInterpreter({
      name: 'payload',
      image,
      env: [],
      venvCache: process.env.AISETL_VENV_CACHE!,
      log: () => undefined,
      timeoutMs: 600_000,
    });
    const upper = execFileSync(
      venvPy,
      [
        '-c',
        [
          'from aistore.sdk.etl.webserver.fastapi_server import FastAPIServer',
          'from aistore.sdk.etl.webserver.utils import serialize_class',
          'class Upper(FastAPIServer):',
          '    def transform(self, data, path, etl_args):',
          '        return data.upper()',
          'print(serialize_class(Upper))',
        ].join('\n'),
      ],
      { encoding: 'utf8' },
    ).trim();
    for (const comm of ['hpush://', 'ws://']) {
      const name = `upper-${comm.slice(0, 2)}-class`;
      await client.initEtl({
        name,
        communication: comm,
        init_timeout: '5m',
        obj_timeout: '45s',
        support_direct_put: true,
        runtime: {
          image,
          env: [
            { name: 'ETL_CLASS_PAYLOAD', value: upper },
            { name: 'NUM_WORKERS', value: '2' },
          ],
        },
      });
      assert.equal(await text(await client.getObject('src', 'o-4', { etl: { name } })), 'OBJECT 4\n', comm);
      const logs = (await client.etlLogs(name)).map((l) => l.logs).join('\n');
      assert.match(logs, /uvicorn aisetl_class_server:app .*--workers 2/);
      await client.deleteEtl(name);
    }
  },
);

test(
  'OS_PACKAGES that are not on this machine, and a Python version that is not, are init errors saying so',
  { timeout: 120_000 },
  async () => {
    await assert.rejects(
      initClass('ospkg-class', { OS_PACKAGES: 'no-such-apk-pkg' }),
      /OS_PACKAGES asks for no-such-apk-pkg .*cannot install OS packages/s,
    );
    await client.deleteEtl('ospkg-class');
    await assert.rejects(
      initClass('pyver-class', {}, 'aistorage/runtime_python:3.99'),
      (e: Error) => /Python 3\.99/.test(e.message) && /the local Python is 3\.\d+/.test(e.message),
    );
    await client.deleteEtl('pyver-class');
  },
);
