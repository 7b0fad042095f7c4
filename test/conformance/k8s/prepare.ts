// Before the suite enters its network namespace (no route to PyPI there): make the Python virtualenvs the pod
// runner will need for the suite's ETLs, in $AISETL_K8S_VENVS (cached by content hash, so a warm run is instant).
// A failure is printed and recorded in "$AISETL_K8S_VENVS/.unavailable", which the tests report as their skip reason.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findPython } from '../../../src/engine/local/workers/python';
import { ensureVenv } from '../../../src/engine/local/workers/venv';
import { venvRequirementSets } from './lib/etls';

async function main(): Promise<void> {
  const dir = process.env.AISETL_K8S_VENVS;
  if (!dir) throw new Error('AISETL_K8S_VENVS is not set (run through test/conformance/k8s/run.sh)');
  fs.mkdirSync(dir, { recursive: true });
  const marker = path.join(dir, '.unavailable');
  fs.rmSync(marker, { force: true });
  const t0 = Date.now();
  try {
    const py = await findPython();
    for (const reqs of venvRequirementSets())
      await ensureVenv(reqs, py, dir, (l) => console.log(`[k8s-prepare] ${l}`), 600_000);
    console.log(`[k8s-prepare] ETL venvs ready in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  } catch (e) {
    fs.writeFileSync(marker, (e as Error).message);
    throw e;
  }
}

main().catch((e: unknown) => {
  console.error(`[k8s-prepare] ${(e as Error).message}`);
  process.exit(1);
});
