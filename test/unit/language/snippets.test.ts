// The snippet files are the single source of truth for both typing (contributes.snippets) and scaffolding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSnippet } from '../../../src/language/snippetBody';
import { findSnippet, snippetsOf, type SnippetLanguage } from '../../../src/language/snippetCatalog';

const root = join(__dirname, '../../..');
const LANGUAGES: SnippetLanguage[] = ['python', 'yaml', 'dockerfile', 'requirements'];

test('every snippet file is plain JSON with prefix, description and a body of lines', () => {
  for (const lang of LANGUAGES) {
    const raw = JSON.parse(readFileSync(join(root, 'snippets', `${lang}.json`), 'utf8')) as Record<string, unknown>;
    assert.ok(Object.keys(raw).length > 0, `${lang}.json is empty`);
    for (const [name, s] of Object.entries(raw) as [
      string,
      { prefix: unknown; description: unknown; body: unknown },
    ][]) {
      assert.equal(typeof s.prefix, 'string', `${lang}/${name}: prefix`);
      assert.match(s.prefix as string, /^ais-[a-z-]+$/, `${lang}/${name}: prefix should start with ais-`);
      assert.equal(typeof s.description, 'string', `${lang}/${name}: description`);
      assert.ok(
        Array.isArray(s.body) && (s.body as unknown[]).every((l) => typeof l === 'string'),
        `${lang}/${name}: body`,
      );
    }
  }
});

test('the prefixes the issue asks for exist, and no prefix is used twice', () => {
  for (const [lang, prefix] of [
    ['python', 'ais-transform'],
    ['python', 'ais-io'],
    ['python', 'ais-server'],
    ['python', 'ais-etl-class'],
    ['yaml', 'ais-podspec'],
    ['yaml', 'ais-runtime-spec'],
    ['dockerfile', 'ais-dockerfile'],
  ] as const) {
    assert.ok(findSnippet(lang, prefix).body.length > 3, `${lang}: ${prefix}`);
  }
  const all = LANGUAGES.flatMap((l) => snippetsOf(l).map((s) => s.prefix));
  assert.deepEqual(
    all.filter((p, i) => all.indexOf(p) !== i),
    [],
  );
});

test('every body parses strictly (no stray ${ that VS Code would insert verbatim)', () => {
  for (const lang of LANGUAGES) {
    for (const s of snippetsOf(lang))
      assert.doesNotThrow(() => parseSnippet(s.body, { strict: true }), `${lang}: ${s.prefix}`);
  }
});

test('bodies contain no tab characters (VS Code re-indents snippets; tabs would mix with spaces in YAML/Python)', () => {
  for (const lang of LANGUAGES) {
    for (const s of snippetsOf(lang))
      assert.ok(
        s.body.every((l) => !l.includes('\t')),
        `${lang}: ${s.prefix}`,
      );
  }
});

test('findSnippet names the file when a prefix is missing', () => {
  assert.throws(() => findSnippet('yaml', 'ais-nope'), /ais-nope.*snippets\/yaml\.json/);
});
