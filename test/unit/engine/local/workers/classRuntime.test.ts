import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { classBootstrapArgv, hasClassPayload } from '../../../../../src/engine/local/workers/classRuntime';
import { runtimeDir } from '../../../../../src/engine/local/workers/python';

describe('classBootstrapArgv', () => {
  it('runs the bundled bootstrap that loads ETL_CLASS_PAYLOAD, with the class interpreter', () => {
    const [exe, script, ...rest] = classBootstrapArgv();
    assert.equal(exe, 'python');
    assert.deepEqual(rest, []);
    assert.equal(path.dirname(script), runtimeDir());
    assert.match(fs.readFileSync(script, 'utf8'), /os\.getenv\("ETL_CLASS_PAYLOAD"/);
  });

  it('a payload counts only when ETL_CLASS_PAYLOAD is set and not empty (the last value wins)', () => {
    assert.equal(hasClassPayload([{ name: 'ETL_CLASS_PAYLOAD', value: 'gAS=' }]), true);
    assert.equal(hasClassPayload([{ name: 'PACKAGES', value: 'x' }]), false);
    assert.equal(
      hasClassPayload([
        { name: 'ETL_CLASS_PAYLOAD', value: 'gAS=' },
        { name: 'ETL_CLASS_PAYLOAD', value: '' },
      ]),
      false,
    );
  });
});
