import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSnippet, resolveSnippet, SnippetSyntaxError } from '../../../src/language/snippetBody';

test('placeholders resolve to their defaults, tabstops mirror them', () => {
  assert.equal(resolveSnippet('name: ${1:md5-etl}\nagain: $1 ${1}'), 'name: md5-etl\nagain: md5-etl md5-etl');
});

test('given placeholder values win over defaults everywhere the index appears', () => {
  assert.equal(resolveSnippet(['a ${1:x}', 'b $1', 'c ${2:y}'], { placeholders: { 1: 'one' } }), 'a one\nb one\nc y');
});

test('nested placeholders resolve inside their parent', () => {
  assert.equal(resolveSnippet('image: ${2:registry/${1:etl}:v1} for $1'), 'image: registry/etl:v1 for etl');
  assert.equal(
    resolveSnippet('image: ${2:registry/${1:etl}:v1}', { placeholders: { 1: 'md5-etl' } }),
    'image: registry/md5-etl:v1',
  );
});

test('a choice resolves to its first option unless a value is given', () => {
  assert.equal(resolveSnippet('communication: ${3|hpush://,hpull://,ws://|}'), 'communication: hpush://');
  assert.equal(resolveSnippet('c: ${3|hpush://,hpull://|}', { placeholders: { 3: 'ws://' } }), 'c: ws://');
  assert.equal(resolveSnippet('c: ${1|a\\,b,c|}'), 'c: a,b');
});

test('$0 and an empty tabstop without default insert nothing', () => {
  assert.equal(resolveSnippet('x$0y${4}z'), 'xyz');
  assert.equal(resolveSnippet('${0:return data}'), 'return data');
});

test('escapes give literal $, } and backslash', () => {
  assert.equal(resolveSnippet('cost \\$5 \\} \\\\n'), 'cost $5 } \\n');
  assert.equal(resolveSnippet('${1:a\\}b}'), 'a}b');
});

test('a $ that starts nothing stays literal (lenient mode), strict mode rejects a broken ${', () => {
  assert.equal(resolveSnippet('price $ 5 and ${'), 'price $ 5 and ${');
  assert.throws(() => parseSnippet('oops ${1:unclosed', { strict: true }), SnippetSyntaxError);
  assert.doesNotThrow(() => parseSnippet('fine ${1:closed} $2', { strict: true }));
});

test('variables use given values, else their default, else empty', () => {
  assert.equal(resolveSnippet('${TM_FILENAME_BASE:code}.py', { variables: { TM_FILENAME_BASE: 'etl' } }), 'etl.py');
  assert.equal(resolveSnippet('${TM_FILENAME_BASE:code}.py'), 'code.py');
  assert.equal(resolveSnippet('[$UNKNOWN]'), '[]');
});

test('transforms apply regex, format groups and case shorthands like VS Code', () => {
  const cls = 'class ${1/(.*)/${1:/pascalcase}/}Server: # ${1:md5-etl}';
  assert.equal(resolveSnippet(cls), 'class Md5EtlServer: # md5-etl');
  assert.equal(
    resolveSnippet(cls, { placeholders: { 1: 'resize-images-2x' } }),
    'class ResizeImages2xServer: # resize-images-2x',
  );
  assert.equal(resolveSnippet('${1:a-b} ${1/(.*)/${1:/upcase}/} ${1/(.*)/${1:/camelcase}/}'), 'a-b A-B aB');
  assert.equal(resolveSnippet('${1:x} ${1/(x)|(y)/${1:+one}${2:?two:none}/}'), 'x onenone');
  assert.equal(resolveSnippet('${1:a.b.c} ${1/\\./_/g}'), 'a.b.c a_b_c');
});

test('a self-referencing placeholder does not recurse forever', () => {
  assert.equal(resolveSnippet('${1:a${1}b}'), 'ab');
});
