import assert from 'node:assert/strict';
import { test } from 'node:test';
import { etlFqnParam, pathEscape, withQuery } from '../../../../../src/engine/local/workers/paths';

// Go's own table for url.PathEscape (net/url/url_test.go, pathEscapeTests).
const GO_PATH_ESCAPE: [string, string][] = [
  ['', ''],
  ['abc', 'abc'],
  ['abc+def', 'abc+def'],
  ['a/b', 'a%2Fb'],
  ['one two', 'one%20two'],
  ['10%', '10%25'],
  [
    ' ?&=#+%!<>#"{}|\\^[]`☺\t:/@$\'()*,;',
    '%20%3F&=%23+%25%21%3C%3E%23%22%7B%7D%7C%5C%5E%5B%5D%60%E2%98%BA%09:%2F@$%27%28%29%2A%2C%3B',
  ],
];

test("pathEscape is Go's url.PathEscape", () => {
  for (const [input, want] of GO_PATH_ESCAPE) assert.equal(pathEscape(input), want, JSON.stringify(input));
});

test('etl_fqn on the wire is the path-escaped FQN, query-encoded again (what aisnode 5.0 sends)', () => {
  const fqn = '/data/t1/src/pct%20name+ü?.txt';
  // Go: q.Set("etl_fqn", url.PathEscape(fqn)); q.Encode()
  assert.equal(
    withQuery('/src/o', { etl_fqn: etlFqnParam(fqn) }),
    '/src/o?etl_fqn=%252Fdata%252Ft1%252Fsrc%252Fpct%252520name%2B%25C3%25BC%253F.txt',
  );
  const decodedOnce = new URL('http://x' + withQuery('/o', { etl_fqn: etlFqnParam(fqn) })).searchParams.get('etl_fqn');
  assert.equal(decodeURIComponent(decodedOnce ?? ''), fqn, 'a server that unquotes once more gets the path back');
  assert.equal(etlFqnParam(undefined), undefined);
});
