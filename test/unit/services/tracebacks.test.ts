import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileLineLinks, mapTracebackToUserFiles } from '../../../src/services/tracebacks';

const TB = [
  'Traceback (most recent call last):',
  '  File "/srv/runtime_server.py", line 40, in handle',
  '  File "/ws/.demo/data/.etl/compute-md5/t1/code.py", line 5, in <module>',
  '    for chunk in sys.stdin.buffer.read():',
  'TypeError: object supporting the buffer API required',
].join('\n');

test('frames in a worker copy point at the deployed file, other frames stay', () => {
  const out = mapTracebackToUserFiles(TB, (etl) => (etl === 'compute-md5' ? '/home/u/md5/io/code.py' : undefined));
  assert.match(out, /^ {2}\/home\/u\/md5\/io\/code\.py:5, in <module>$/m);
  assert.match(out, /File "\/srv\/runtime_server\.py", line 40/);
  assert.doesNotMatch(out, /\.etl\//);
});

test('unknown ETLs and files of another name are left as the worker wrote them', () => {
  assert.equal(
    mapTracebackToUserFiles(TB, () => undefined),
    TB,
  );
  assert.equal(
    mapTracebackToUserFiles(TB, () => '/home/u/other.py'),
    TB,
  );
});

test("frames of the 5.0 code wrapper's copy (etl_code.py) point at the ETL's deployed file when the ETL is known", () => {
  const tb = [
    'Traceback (most recent call last):',
    '  File "<string>", line 93, in transform',
    '  File "etl_code.py", line 3, in transform',
    "TypeError: unsupported operand type(s) for +: 'int' and 'bytes'",
  ].join('\n');
  const fileOf = (etl: string) => (etl === 'md5-code' ? '/home/u/md5/code.py' : undefined);
  assert.match(mapTracebackToUserFiles(tb, fileOf, 'md5-code'), /^ {2}\/home\/u\/md5\/code\.py:3, in transform$/m);
  assert.equal(mapTracebackToUserFiles(tb, fileOf), tb, 'which ETL is not known: left as is');
  assert.equal(mapTracebackToUserFiles(tb, fileOf, 'other'), tb, 'an ETL deployed from no known file: left as is');
});

test('file:line spans are found for links', () => {
  const text = 'x\n  /home/u/md5/code.py:5, in transform\n"C:\\u\\a.py:7"';
  const links = fileLineLinks(text);
  assert.deepEqual(
    links.map((l) => [l.file, l.line, text.slice(l.start, l.end)]),
    [
      ['/home/u/md5/code.py', 5, '/home/u/md5/code.py:5'],
      ['C:\\u\\a.py', 7, 'C:\\u\\a.py:7'],
    ],
  );
});

test('Python frames naming an absolute file are links to that line', () => {
  const text = 'Traceback:\n  File "/home/u/io/code.py", line 5, in <module>\n';
  assert.deepEqual(
    fileLineLinks(text).map((l) => [text.slice(l.start, l.end), l.line]),
    [['/home/u/io/code.py', 5]],
  );
});
