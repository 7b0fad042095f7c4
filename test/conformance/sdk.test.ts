// The official Python SDK (aistore 1.25.0) runs sdk_test.py twice: against the real aisnode (the reference for the
// non-ETL checks; its build has no ETL) and against our local cluster (everything, including ETL servers written
// with aistore.sdk.etl.webserver). Each check sdk_test.py reports becomes a subtest here.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test, type TestContext } from 'node:test';
import { CONFORMANCE_DIR, localClusterMissing, peer, REPO_ROOT, startAisnode, startLocal } from './lib/peers';

const sdk = peer('AISETL_SDK');
const noSdk = 'skip' in sdk ? `Python SDK not installed: ${sdk.skip}` : undefined;
const aisnode = peer('AISETL_AISNODE');
const MD5_IMAGE = 'docker.io/aistore/md5_server:v1';
const WEB_IMAGE = 'aisetl-conformance/sdk-webserver:v1';
const OVERALL_TIMEOUT_MS = 6 * 60_000;
const LINE = /^(ok|FAIL|skip) - (.*?)(?: -- (.*))?$/;

interface Line { status: 'ok' | 'FAIL' | 'skip'; name: string; detail: string }

/** Run sdk_test.py against `endpoint` and turn its lines into subtests of `t`. */
async function runSdkChecks(t: TestContext, env: NodeJS.ProcessEnv): Promise<void> {
  const python = (sdk as { path: string }).path;
  const lines: Line[] = [];
  const other: string[] = [];
  let running: string | undefined;   // the check sdk_test.py started last and has not reported
  const child = spawn(python, [join(CONFORMANCE_DIR, 'sdk_test.py')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  // each check has its own alarm in sdk_test.py; this bounds the whole run if Python itself wedges
  const overall = setTimeout(() => child.kill('SIGKILL'), OVERALL_TIMEOUT_MS);
  t.after(() => { clearTimeout(overall); if (child.exitCode === null) child.kill('SIGKILL'); });
  child.stderr.on('data', (d: Buffer) => other.push(d.toString()));
  const exited = new Promise<number>((r) => child.once('exit', (c) => r(c ?? 1)));
  for await (const l of createInterface({ input: child.stdout })) {
    const m = LINE.exec(l);
    if (m) { lines.push({ status: m[1] as Line['status'], name: m[2], detail: m[3] ?? '' }); running = undefined; }
    else if (l.startsWith('start - ')) running = l.slice('start - '.length);
    else other.push(l);
  }
  const code = await exited;
  clearTimeout(overall);
  if (running) lines.push({ status: 'FAIL', name: running, detail: `sdk_test.py was killed after ${OVERALL_TIMEOUT_MS / 1000}s while this check ran` });

  for (const l of lines) {
    await t.test(l.name, (st) => {
      if (l.status === 'skip') return st.skip(l.detail);
      if (l.status === 'FAIL') assert.fail(l.detail);
    });
  }
  const tail = other.join('\n').slice(-3000);
  assert.ok(lines.length > 0, `sdk_test.py reported no checks (exit ${code}):\n${tail}`);
  if (lines.every((l) => l.status !== 'FAIL')) assert.equal(code, 0, `sdk_test.py exited ${code}:\n${tail}`);
}

test('Python SDK 1.25.0 against the real aisnode (reference for the non-ETL checks)', { skip: noSdk ?? ('skip' in aisnode ? `aisnode not installed: ${aisnode.skip}` : undefined) }, async (t) => {
  const cluster = await startAisnode();
  t.after(() => cluster.stop());
  await runSdkChecks(t, { ...process.env, AIS_ENDPOINT: cluster.endpoint, SDK_NO_ETL: 'aisnode v1.5.0 (default build) has no ETL' });
});

test('Python SDK 1.25.0 against the local cluster', { skip: noSdk ?? localClusterMissing() }, async (t) => {
  const home = mkdtempSync(join(tmpdir(), 'aisetl-sdk-home-'));
  // the local cluster reads both at call time: images and state go to a private home, ETL servers run on the
  // SDK's python so that a server written with aistore.sdk.etl.webserver can import it
  process.env.AISETL_HOME = home;
  process.env.AISETL_PYTHON = (sdk as { path: string }).path;
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const cluster = await startLocal(2);
  t.after(() => cluster.stop());

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
  await runSdkChecks(t, env);
});
