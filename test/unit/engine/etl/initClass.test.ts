import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildInitClassMessage,
  EtlDefinitionError,
  initClassArgs,
  parseEtlFile,
  probeEtlSdk,
  type EtlClassDefinition,
} from '../../../../src/engine/etl';
import { ALL_COMM_TYPES, etlCluster } from './helpers';
import { ensureSdkVenv, SDK_VERSION } from './sdkVenv';

const FIXTURES = join(__dirname, '..', '..', '..', 'fixtures', 'etl-class');
const EXPECTED_MD5 = '393c6706efb128fbc442d3f7d084a426'; // md5("some text :)\n")
const V50 = etlCluster();
const LOCAL = etlCluster({ dialect: 'v3.29', local: true, commTypes: [...ALL_COMM_TYPES], codeInit: true });

type Env = { name: string; value: string }[];

function classDef(file: string, text?: string): EtlClassDefinition {
  const parsed = parseEtlFile(file, text ?? require('node:fs').readFileSync(file, 'utf8'));
  assert.equal(parsed.kind, 'python-etl-class');
  const def = parsed.definitions[0];
  assert.ok(def && def.kind === 'etl-class', JSON.stringify(parsed.diagnostics));
  return def;
}

/** Unpickles the payload with the SDK in a folder where the helper module does not exist, and runs transform. */
function roundTrip(
  python: string,
  payload: string,
  input: string,
): { status: number | null; out: string; err: string } {
  const script = [
    'import base64, sys, cloudpickle',
    'from aistore.sdk.etl.webserver.base_etl_server import ETLServer',
    'cls = cloudpickle.loads(base64.b64decode(sys.argv[1]))',
    'assert issubclass(cls, ETLServer), cls',
    'sys.stdout.write(cls().transform(sys.stdin.buffer.read(), "bck/obj", "").decode())',
  ].join('\n');
  const cwd = mkdtempSync(join(tmpdir(), 'aisetl-unpickle-'));
  try {
    const r = spawnSync(python, ['-c', script, payload], {
      cwd,
      input,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, PYTHONPATH: '', AIS_TARGET_URL: 'http://127.0.0.1:1' },
    });
    return { status: r.status, out: r.stdout, err: r.stderr };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

describe('buildInitClassMessage with the real SDK', () => {
  let python = '';
  let skip = '';
  let dir = '';
  before(() => {
    const venv = ensureSdkVenv();
    if ('skip' in venv) {
      skip = venv.skip;
      console.log(`# skipped: ${skip}`);
    } else python = venv.python;
    dir = mkdtempSync(join(tmpdir(), 'aisetl-initclass-'));
    for (const f of ['md5_server.py', 'digest_helpers.py']) copyFileSync(join(FIXTURES, f), join(dir, f));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it(
    `sends what aistore ${SDK_VERSION}'s init_class sends, and the payload round-trips`,
    { timeout: 120_000 },
    async (t) => {
      if (skip) return t.skip(skip);
      const file = join(dir, 'md5_server.py');
      const def = classDef(file);
      const built = await buildInitClassMessage(file, def, { name: 'md5-class-etl' }, V50, { python });
      const pyVer = spawnSync(python, ['-c', 'import sys;print("%d.%d"%sys.version_info[:2])'], {
        encoding: 'utf8',
      }).stdout.trim();
      const body = built.body as {
        name: string;
        communication: string;
        support_direct_put: boolean;
        init_timeout: string;
        runtime: { image: string; env: Env };
      };
      assert.equal(body.name, 'md5-class-etl');
      assert.equal(body.communication, 'hpush://');
      assert.equal(body.support_direct_put, true, 'init_class defaults to direct put');
      assert.equal(body.init_timeout, '5m');
      assert.equal(body.runtime.image, `aistorage/runtime_python:${pyVer}`);
      const env = Object.fromEntries(body.runtime.env.map((e) => [e.name, e.value]));
      assert.deepEqual(Object.keys(env).sort(), ['ETL_CLASS_PAYLOAD', 'GREETING', 'NUM_WORKERS', 'PACKAGES']);
      assert.equal(env.PACKAGES, 'humanize');
      assert.equal(env.NUM_WORKERS, '2');
      assert.equal(env.GREETING, 'hello');
      // The helper module is shipped by value: it unpickles where digest_helpers.py does not exist.
      const r = roundTrip(python, env.ETL_CLASS_PAYLOAD, 'some text :)\n');
      assert.equal(r.status, 0, r.err);
      assert.equal(r.out, EXPECTED_MD5);
      assert.ok(
        built.notes.some((n) => n.includes(`aistore ${SDK_VERSION}`)),
        built.notes.join('\n'),
      );
    },
  );

  it(
    'direct_fqn, hpull:// and timeouts reach the SDK (ws:// is refused for this HTTPMultiThreadedServer class)',
    { timeout: 120_000 },
    async (t) => {
      if (skip) return t.skip(skip);
      const file = join(dir, 'md5_server.py');
      const def = { ...classDef(file), directFqn: true };
      const built = await buildInitClassMessage(
        file,
        def,
        { name: 'md5-class-etl', commType: 'hpull://', objTimeout: '2m' },
        LOCAL,
        { python },
      );
      const body = built.body as { communication: string; obj_timeout: string; runtime: { env: Env } };
      assert.equal(body.communication, 'hpull://');
      await assert.rejects(
        buildInitClassMessage(file, def, { name: 'md5-class-etl', commType: 'ws://' }, LOCAL, { python }),
        /ws:\/\/ needs a FastAPIServer class/,
      );
      assert.equal(body.obj_timeout, '2m');
      assert.ok(body.runtime.env.some((e) => e.name === 'ETL_DIRECT_FQN' && e.value === 'true'));
    },
  );

  it('the probe reports the SDK version and the Pythons its init_class supports', { timeout: 60_000 }, async (t) => {
    if (skip) return t.skip(skip);
    const p = await probeEtlSdk(python);
    assert.equal(p.sdk, SDK_VERSION);
    assert.ok(p.version && p.supportedPythons?.includes(p.version), JSON.stringify(p));
    const missing = await probeEtlSdk('/nonexistent/python3');
    assert.ok(missing.error && missing.sdk === undefined);
  });

  it('the New ETL… class template deploys and transforms with the real SDK', { timeout: 120_000 }, async (t) => {
    if (skip) return t.skip(skip);
    const { renderScaffold } = await import('../../../../src/language/scaffoldTemplates');
    const file = join(dir, 'etl_server.py');
    writeFileSync(file, renderScaffold('etl-class', 'md5-etl')[0].content);
    const built = await buildInitClassMessage(file, classDef(file), { name: 'md5-etl' }, V50, { python });
    const env = (built.body as { runtime: { env: Env } }).runtime.env;
    assert.deepEqual(env.map((e) => e.name).sort(), ['ETL_CLASS_PAYLOAD', 'NUM_WORKERS']);
    const r = roundTrip(python, env.find((e) => e.name === 'ETL_CLASS_PAYLOAD')!.value, 'some text :)\n');
    assert.equal(r.out, EXPECTED_MD5, r.err);
  });

  it('an import error names the file and the failing line', { timeout: 60_000 }, async (t) => {
    if (skip) return t.skip(skip);
    const file = join(dir, 'broken.py');
    const text =
      'from aistore.sdk.etl.webserver.fastapi_server import FastAPIServer\nraise RuntimeError("boom at import")\n\n' +
      'class S(FastAPIServer):\n    def transform(self, data, path, etl_args):\n        return data\n';
    writeFileSync(file, text);
    await assert.rejects(
      buildInitClassMessage(file, classDef(file, text), { name: 'broken-etl' }, V50, { python }),
      (e: Error) =>
        e instanceof EtlDefinitionError && /Importing .*broken\.py/.test(e.message) && /boom at import/.test(e.message),
    );
  });
});

describe('buildInitClassMessage without the SDK', () => {
  it('says which interpreter lacks aistore and how to install it', { timeout: 120_000 }, async (t) => {
    const base = process.env.AISETL_PYTHON || 'python3';
    const venv = mkdtempSync(join(tmpdir(), 'aisetl-bare-'));
    t.after(() => rmSync(venv, { recursive: true, force: true }));
    const made = spawnSync(base, ['-m', 'venv', '--without-pip', venv], { encoding: 'utf8', timeout: 60_000 });
    if (made.status !== 0) return t.skip(`no venv: ${made.stderr}`);
    const file = join(FIXTURES, 'md5_server.py');
    await assert.rejects(
      buildInitClassMessage(file, classDef(file), { name: 'md5-class-etl' }, V50, {
        python: join(venv, 'bin', 'python'),
      }),
      (e: Error) =>
        /aistore SDK is not installed in .*aisetl-bare-/.test(e.message) &&
        /pip install "aistore\[etl\]"/.test(e.message),
    );
  });

  it('a missing interpreter is a clear error', async () => {
    const file = join(FIXTURES, 'md5_server.py');
    await assert.rejects(
      buildInitClassMessage(file, classDef(file), { name: 'md5-class-etl' }, V50, { python: '/nonexistent/python3' }),
      /could not be run: install Python 3\.10\+/,
    );
  });

  it('init_class refuses ws:// chosen at deploy for a class that is not a FastAPIServer', () => {
    const def: EtlClassDefinition = { kind: 'etl-class', className: 'S', server: 'FlaskServer' };
    assert.throws(() => initClassArgs(def, { commType: 'ws://' }), /ws:\/\/ needs a FastAPIServer class: FlaskServer/);
    assert.equal(initClassArgs(def, { commType: 'hpull://' }).comm_type, 'hpull');
  });

  it('init_class arguments: header settings, then the deploy choices; requirements.txt without aistore', () => {
    const def: EtlClassDefinition = {
      kind: 'etl-class',
      className: 'S',
      server: 'FastAPIServer',
      numWorkers: 3,
      commType: 'hpull://',
      env: { A: '1' },
    };
    const args = initClassArgs(def, {
      commType: 'ws://',
      dependencies: 'aistore[etl]>=1.24\nnumpy  # arrays\n-r other.txt\npillow==10.*\n',
    });
    assert.deepEqual(args, {
      comm_type: 'ws',
      init_timeout: '5m',
      obj_timeout: '45s',
      direct_put: true,
      direct_file_access: false,
      dependencies: ['numpy', 'pillow==10.*'],
      os_packages: [],
      env: { NUM_WORKERS: '3', A: '1' },
    });
  });
});
