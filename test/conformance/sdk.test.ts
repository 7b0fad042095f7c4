// The official Python SDK against our local cluster: builds the images sdk_test.py needs in a private image store
// (`aisetl build`), starts the local cluster with the SDK's virtualenv python as its ETL python (so a server written
// with aistore.sdk.etl.webserver can import it), runs sdk_test.py, and reports each of its checks as a subtest.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { CONFORMANCE_DIR, localClusterMissing, peer, REPO_ROOT, startLocal } from './lib/peers';

const sdk = peer('AISETL_SDK');
const skip = 'skip' in sdk ? `Python SDK not installed: ${sdk.skip}` : localClusterMissing();
const MD5_IMAGE = 'docker.io/aistore/md5_server:v1';
const WEB_IMAGE = 'aisetl-conformance/sdk-webserver:v1';

interface Line { status: 'ok' | 'FAIL' | 'skip'; name: string; detail: string }
const LINE = /^(ok|FAIL|skip) - (.*?)(?:: (.*))?$/;

test('Python SDK (aistore 1.25.0) against the local cluster', { skip }, async (t) => {
  const home = mkdtempSync(join(tmpdir(), 'aisetl-sdk-home-'));
  const python = (sdk as { path: string }).path;
  // the local cluster reads both at call time: images and state go to a private home, ETL servers run on the SDK's python
  process.env.AISETL_HOME = home;
  process.env.AISETL_PYTHON = python;
  const cluster = await startLocal(2);
  t.after(async () => {
    await cluster.stop();
    rmSync(home, { recursive: true, force: true });
  });

  const env: NodeJS.ProcessEnv = { ...process.env, AIS_ENDPOINT: cluster.endpoint };
  const images = (await import(join(REPO_ROOT, 'src', 'engine', 'local', 'images', 'index.ts'))) as typeof import('../../src/engine/local/images');
  const fixtures = join(REPO_ROOT, 'test', 'fixtures', 'tutorial');
  try {
    await images.buildLocalImage(MD5_IMAGE, fixtures, { storeDir: images.defaultImageStoreDir() });
    env.SDK_MD5_IMAGE = MD5_IMAGE;
    env.SDK_SPEC_YAML = join(fixtures, 'spec.yaml');
  } catch (e) {
    t.diagnostic(`could not build ${MD5_IMAGE} from ${fixtures}: ${(e as Error).message}`);
  }
  try {
    await images.buildLocalImage(WEB_IMAGE, join(CONFORMANCE_DIR, 'sdk-webserver'), { storeDir: images.defaultImageStoreDir() });
    env.SDK_WEBSERVER_IMAGE = WEB_IMAGE;
  } catch (e) {
    t.diagnostic(`could not build ${WEB_IMAGE}: ${(e as Error).message}`);
  }

  const lines: Line[] = [];
  const other: string[] = [];
  const child = spawn(python, [join(CONFORMANCE_DIR, 'sdk_test.py')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => { if (child.exitCode === null) child.kill('SIGKILL'); });
  child.stderr.on('data', (d: Buffer) => other.push(d.toString()));
  for await (const l of createInterface({ input: child.stdout })) {
    const m = LINE.exec(l);
    if (m) lines.push({ status: m[1] as Line['status'], name: m[2], detail: m[3] ?? '' });
    else other.push(l);
  }
  const code: number = child.exitCode ?? await new Promise((r) => child.once('exit', (c) => r(c ?? 1)));

  for (const l of lines) {
    await t.test(l.name, (st) => {
      if (l.status === 'skip') return st.skip(l.detail);
      if (l.status === 'FAIL') assert.fail(l.detail);
    });
  }
  assert.ok(lines.length > 0, `sdk_test.py reported no checks (exit ${code}):\n${other.join('\n').slice(-3000)}`);
  if (lines.every((l) => l.status !== 'FAIL')) assert.equal(code, 0, `sdk_test.py exited ${code}:\n${other.join('\n').slice(-3000)}`);
});
