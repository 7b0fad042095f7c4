import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  dropRunnerFrames,
  exceptionLine,
  lastTraceback,
  mapTraceback,
  userFrame,
} from '../../../../src/engine/run/traceback';

const TB = [
  'noise before',
  'Traceback (most recent call last):',
  '  File "/tmp/aisetl-run-X/aisetl_run.py", line 98, in <module>',
  '    main()',
  '  File "/usr/lib/python3.11/runpy.py", line 291, in run_path',
  '    return _run_module_code(code, init_globals, run_name,',
  '           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
  '  File "/data/t1/etl/md5/code.py", line 6, in transform',
  '    md5.update(chunk)',
  'TypeError: object supporting the buffer API required',
].join('\n');

test('mapTraceback rewrites worker copies to the user file and keeps the line numbers', () => {
  const mapped = mapTraceback(TB, { '/data/t1/etl/md5/code.py': '/home/u/etl/code.py' });
  assert.match(mapped, /File "\/home\/u\/etl\/code\.py", line 6, in transform/);
  assert.doesNotMatch(mapped, /\/data\/t1/);
  assert.equal(mapTraceback(TB, {}), TB);
});

test('dropRunnerFrames removes harness and runpy frames with their source and caret lines', () => {
  const tb = dropRunnerFrames(lastTraceback(TB));
  assert.deepEqual(tb.split('\n'), [
    'Traceback (most recent call last):',
    '  File "/data/t1/etl/md5/code.py", line 6, in transform',
    '    md5.update(chunk)',
    'TypeError: object supporting the buffer API required',
  ]);
});

test('lastTraceback, exceptionLine and userFrame find where the user code failed', () => {
  assert.equal(lastTraceback('no traceback here'), '');
  const tb = lastTraceback(TB);
  assert.ok(tb.startsWith('Traceback'));
  assert.equal(exceptionLine(tb), 'TypeError: object supporting the buffer API required');
  assert.equal(userFrame(tb, ['/data/t1/etl/md5/code.py']), '/data/t1/etl/md5/code.py:6');
  assert.equal(userFrame(tb, ['/elsewhere.py']), undefined);
});
