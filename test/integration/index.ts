// Entry VS Code calls in the extension host (extensionTestsPath): runs every bundled suite with mocha and writes
// {passed, failed, tests} to $VSC_TEST_RESULTS, because the workbench reports exit code 0 even when the host dies.
import * as fs from 'node:fs';
import * as path from 'node:path';

export async function run(): Promise<void> {
  const mochaModule = require('mocha');
  const Mocha = mochaModule.default ?? mochaModule;
  const resultsFile = process.env.VSC_TEST_RESULTS ?? path.resolve(__dirname, '../../results.json');
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 120_000, reporter: 'spec' });
  const suiteDir = path.join(__dirname, 'suite');
  const grep = process.env.AISETL_TEST_GREP;
  if (grep) mocha.grep(grep);
  for (const f of fs.readdirSync(suiteDir).sort()) if (f.endsWith('.test.js')) mocha.addFile(path.join(suiteDir, f));
  const summary = {
    passed: 0,
    failed: 0,
    pending: 0,
    tests: [] as { title: string; state: string; ms?: number; error?: string }[],
  };
  await new Promise<void>((resolve, reject) => {
    const runner = mocha.run((failures: number) => {
      fs.writeFileSync(resultsFile, JSON.stringify(summary, null, 2));
      console.log(`${summary.passed} passed, ${summary.failed} failed`);
      if (failures) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
    runner.on('pass', (t: Mocha.Test) => {
      summary.passed++;
      summary.tests.push({ title: t.fullTitle(), state: 'passed', ms: t.duration });
    });
    runner.on('fail', (t: Mocha.Test, err: unknown) => {
      summary.failed++;
      summary.tests.push({
        title: t.fullTitle(),
        state: 'failed',
        error: String((err as { stack?: unknown } | undefined)?.stack ?? err),
      });
    });
    runner.on('pending', (t: Mocha.Test) => {
      summary.pending++;
      summary.tests.push({ title: t.fullTitle(), state: 'pending' });
    });
  });
}
