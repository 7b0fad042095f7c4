// The official Python SDK, 1.25.0 and 2.0.0 (the newest), each runs sdk_test.py twice: against the real aisnode (the
// reference for the non-ETL checks; its build has no ETL) and against our local cluster emulating AIS 5.0 (everything:
// runtime specs, init_class, bucket jobs, pipelines, stop, delete). Each check sdk_test.py reports becomes a subtest.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test, type TestContext } from 'node:test';
import { CONFORMANCE_DIR, localClusterMissing, peer, REPO_ROOT, startAisnode, startLocal } from './lib/peers';

const SDKS = [{ version: '1.25.0', peer: peer('AISETL_SDK') }, { version: '2.0.0', peer: peer('AISETL_SDK2') }];
const aisnode = peer('AISETL_AISNODE');
const WEB_IMAGE = 'aisetl-conformance/sdk-webserver:v1';
const OVERALL_TIMEOUT_MS = 10 * 60_000;
const LINE = /^(ok|FAIL|skip) - (.*?)(?: -- (.*))?$/;

interface Line { status: 'ok' | 'FAIL' | 'skip'; name: string; detail: string }

/** Run sdk_test.py with `python` against `endpoint` and turn its lines into subtests of `t`. */
async function runSdkChecks(t: TestContext, python: string, env: NodeJS.ProcessEnv): Promise<void> {
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

for (const { version, peer: sdk } of SDKS) {
  const python = 'path' in sdk ? sdk.path : '';
  const noSdk = 'skip' in sdk ? `Python SDK ${version} not installed: ${sdk.skip}` : undefined;

  test(`Python SDK ${version} against the real aisnode (reference for the non-ETL checks)`, { skip: noSdk ?? ('skip' in aisnode ? `aisnode not installed: ${aisnode.skip}` : undefined) }, async (t) => {
    const cluster = await startAisnode();
    t.after(() => cluster.stop());
    await runSdkChecks(t, python, { ...process.env, AIS_ENDPOINT: cluster.endpoint, SDK_NO_ETL: 'aisnode v1.5.0 (default build) has no ETL' });
  });

  test(`Python SDK ${version} against the local cluster (AIS 5.0)`, { skip: noSdk ?? localClusterMissing() }, async (t) => {
    const home = mkdtempSync(join(tmpdir(), 'aisetl-sdk-home-'));
    // the local cluster reads these at call time: images and state go to a private home, container ETLs run on the
    // SDK's python (a server written with aistore.sdk.etl.webserver imports it), ETL classes get their venv from a
    // cache that outlives the run
    process.env.AISETL_HOME = home;
    process.env.AISETL_PYTHON = python;
    process.env.AISETL_VENV_CACHE ??= join(process.env.AISETL_TOOLS ?? join(homedir(), '.cache', 'aisetl-tools'), 'etl-venvs');
    t.after(() => rmSync(home, { recursive: true, force: true }));
    const cluster = await startLocal(2, '5.0');
    t.after(() => cluster.stop());
    const env: NodeJS.ProcessEnv = { ...process.env, AIS_ENDPOINT: cluster.endpoint };
    const images = (await import(join(REPO_ROOT, 'src', 'engine', 'local', 'images', 'index.ts'))) as typeof import('../../src/engine/local/images');
    try {
      await images.buildLocalImage(WEB_IMAGE, join(CONFORMANCE_DIR, 'sdk-webserver'), { storeDir: images.defaultImageStoreDir() });
      env.SDK_WEBSERVER_IMAGE = WEB_IMAGE;
      env.SDK_SPEC_YAML = join(CONFORMANCE_DIR, 'sdk-webserver', 'pod.yaml');
    } catch (e) {
      t.diagnostic(`could not build ${WEB_IMAGE}: ${(e as Error).message}`);
    }
    await runSdkChecks(t, python, env);
  });
}
