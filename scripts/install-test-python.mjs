// The unit tests' only network step: installs debugpy and the aistore SDK venv (PyPI) into ~/.cache/aisetl-run-test
// once, so that the local-runner and debugger tests reach loopback only. Idempotent (cached folders are reused).
// Run with `node --import tsx scripts/install-test-python.mjs`; run-unit-tests.mjs does it before the tests.
// Never fails the run: a failed install is recorded, and the tests that need it skip with its reason.
import { installTestPython } from '../test/unit/engine/run/testPython.ts';

const started = Date.now();
const status = await installTestPython((l) => console.log(`[install-test-python] ${l}`));
for (const [what, why] of Object.entries(status.errors)) {
  console.log(`[install-test-python] ${what} unavailable, tests needing it will skip: ${why}`);
}
console.log(`[install-test-python] done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
