import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { startWorker } from '../../../../../src/engine/local/workers';
import { requirementLines, venvEnv } from '../../../../../src/engine/local/workers/venv';
import { findPython } from '../../../../../src/engine/local/workers/python';
import { codeSpec, makeCtx, readAll, tmpDir, writeObject } from './helpers';

function pypiReachable(): string | undefined {
  try {
    execFileSync('python3', ['-m', 'pip', 'download', '--no-deps', '-q', '-d', tmpdirForProbe, 'six==1.16.0'], {
      timeout: 60000,
      stdio: 'pipe',
    });
    return undefined;
  } catch (e) {
    return `pip cannot download from PyPI here (${(e as Error).message.split('\n')[0]})`;
  }
}
let tmpdirForProbe = '';

describe('code ETL dependencies (per-ETL virtualenv)', () => {
  it('parses requirements', () => {
    assert.deepEqual(requirementLines('six==1.16.0\n# comment\n\n  requests>=2 \r\n'), ['six==1.16.0', 'requests>=2']);
    assert.deepEqual(requirementLines(undefined), []);
  });

  it("a venv is the image's Python for a shell command: its python, and a pip that installs into it", async (t) => {
    const dir = tmpDir(t);
    const host = await findPython();
    const venv = path.join(dir, 'venv');
    execFileSync(host.exe, ['-m', 'venv', '--without-pip', venv]); // as ensureVenv builds them
    const python = path.join(venv, 'bin', 'python');
    assert.equal(venvEnv(host.exe, host, process.env.PATH), undefined, 'the host Python is no venv');
    const env = { ...process.env, ...venvEnv(python, host, process.env.PATH) };
    const sh = (cmd: string) => execFileSync('sh', ['-c', cmd], { env, encoding: 'utf8' }).trim();
    assert.equal(sh('python -c "import sys; print(sys.prefix)"'), venv);
    // the host's pip aimed at the venv: it sees the venv's packages (none), not the host's
    assert.deepEqual(JSON.parse(sh('pip list --format=json --disable-pip-version-check')), []);
    assert.match(sh('pip3 --version'), /^pip /);
    const own = path.join(venv, 'bin', 'pip3');
    writeFileSync(own, '#!/bin/sh\necho the venv own pip\n'); // a venv with a pip of its own keeps it
    const again = venvEnv(python, host, process.env.PATH); // a second worker on the same venv
    assert.equal(again?.VIRTUAL_ENV, venv);
    assert.equal(readFileSync(own, 'utf8'), '#!/bin/sh\necho the venv own pip\n');
  });

  it('installs a pure-Python dependency once and reuses the venv for the next worker', async (t) => {
    const dir = tmpDir(t);
    tmpdirForProbe = path.join(dir, 'probe');
    const skip = pypiReachable();
    if (skip) {
      console.log(`skipped: ${skip}`);
      t.skip(skip);
      return;
    }
    const code = 'import six\ndef transform(b):\n    return six.ensure_binary(six.__version__) + b":" + b\n';
    const spec = codeSpec(code, { dependencies: 'six==1.16.0\n', initTimeoutMs: 120000 });
    const venvCacheDir = path.join(dir, 'venvs');
    const ctx = makeCtx(dir, undefined, { venvCacheDir });
    const w = await startWorker(spec, ctx);
    t.after(() => w.stop());
    const out = await w.transform(writeObject(dir, 'x', 'data'));
    assert.equal((await readAll(out.body)).toString(), '1.16.0:data');
    assert.match(w.logs(), /creating virtualenv/);
    const w2 = await startWorker(spec, {
      ...makeCtx(dir, undefined, { venvCacheDir }),
      targetId: 'tgt2',
      workDir: path.join(dir, 'work2'),
    });
    t.after(() => w2.stop());
    assert.match(w2.logs(), /using cached virtualenv/);
  });

  it('a dependency pip cannot install fails the start with a clear message', async (t) => {
    const dir = tmpDir(t);
    const spec = codeSpec('def transform(b):\n    return b\n', {
      dependencies: 'this-package-does-not-exist-aisetl==0.0.1\n',
      initTimeoutMs: 120000,
    });
    await assert.rejects(
      startWorker(spec, makeCtx(dir, undefined, { venvCacheDir: path.join(dir, 'venvs') })),
      /installing the ETL's dependencies \(this-package-does-not-exist-aisetl==0\.0\.1\) failed[\s\S]*pip can reach PyPI/,
    );
  });
});
