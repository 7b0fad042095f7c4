// Before the suite enters its network namespace (no route to PyPI there): make the Python virtualenvs the pod
// runner will need for the suite's ETLs, in $AISETL_K8S_VENVS (cached by content hash, so a warm run is instant).
// That includes the ETLServer class: the venv whose SDK serializes it (as the user's Python would) and the venv of
// the payload's Python with the SDK and its PACKAGES that runs it (as the runtime_python image would).
// A failure is printed and recorded in "$AISETL_K8S_VENVS/.unavailable" (".class-unavailable" for the class),
// which the tests report as their skip reason.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { classInterpreter } from '../../../src/engine/local/workers/classRuntime';
import { findPython } from '../../../src/engine/local/workers/python';
import { ensureVenv } from '../../../src/engine/local/workers/venv';
import { AIS50, classInitBody, venvRequirementSets } from './lib/etls';

const log = (l: string): void => console.log(`[k8s-prepare] ${l}`);

async function recorded(marker: string, step: () => Promise<void>): Promise<void> {
  fs.rmSync(marker, { force: true });
  try {
    await step();
  } catch (e) {
    fs.writeFileSync(marker, (e as Error).message);
    throw e;
  }
}

async function etlVenvs(dir: string): Promise<void> {
  const py = await findPython();
  for (const reqs of venvRequirementSets()) await ensureVenv(reqs, py, dir, log, 600_000);
}

async function classVenvs(dir: string): Promise<void> {
  const name = 'k8s-prep-class';
  const rt = (await classInitBody(name, AIS50, dir, log)).runtime as {
    image: string;
    env: { name: string; value: string }[];
  };
  await classInterpreter({ name, image: rt.image, env: rt.env, venvCache: dir, log, timeoutMs: 600_000 });
}

async function main(): Promise<void> {
  const dir = process.env.AISETL_K8S_VENVS;
  if (!dir) throw new Error('AISETL_K8S_VENVS is not set (run through test/conformance/k8s/run.sh)');
  fs.mkdirSync(dir, { recursive: true });
  const t0 = Date.now();
  const results = await Promise.allSettled([
    recorded(path.join(dir, '.unavailable'), () => etlVenvs(dir)),
    recorded(path.join(dir, '.class-unavailable'), () => classVenvs(dir)),
  ]);
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length) throw new Error(failed.map((r) => (r.reason as Error).message).join('; '));
  log(`ETL venvs ready in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
}

main().catch((e: unknown) => {
  console.error(`[k8s-prepare] ${(e as Error).message}`);
  process.exit(1);
});
