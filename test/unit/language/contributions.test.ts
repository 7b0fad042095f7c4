// package.json keys owned by the authoring room: snippets, yamlValidation, walkthroughs, aistore.newEtl.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCAFFOLD_TEMPLATES } from '../../../src/language/scaffoldTemplates';

const root = join(__dirname, '../../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const contributes = pkg.contributes ?? {};

/** VS Code-style glob (only `**\/` and `*` are used here) → RegExp over a workspace-relative path. */
function globToRegExp(glob: string): RegExp {
  const re = glob
    .split('**/')
    .map((part) =>
      part
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('(?:.*/)?');
  return new RegExp(`^${re}$`);
}
const schemaFor = (relPath: string): string[] =>
  (contributes.yamlValidation as { fileMatch: string | string[]; url: string }[])
    .filter((v) => [v.fileMatch].flat().some((g) => globToRegExp(g).test(relPath)))
    .map((v) => v.url);

test('snippet contributions point at existing files of the right language', () => {
  const entries = contributes.snippets as { language: string; path: string }[];
  assert.deepEqual(entries.map((e) => e.language).sort(), ['dockerfile', 'python', 'yaml']);
  for (const e of entries) {
    assert.ok(existsSync(join(root, e.path)), e.path);
    assert.equal(e.path, `./snippets/${e.language}.json`);
  }
});

test('yamlValidation points at existing schemas', () => {
  for (const v of contributes.yamlValidation as { url: string }[]) {
    assert.match(v.url, /^\.\/schemas\/.+\.schema\.json$/);
    assert.ok(existsSync(join(root, v.url)), `${v.url} exists`);
    JSON.parse(readFileSync(join(root, v.url), 'utf8'));
  }
});

test('each scaffolded spec and the tutorial spec get exactly the right schema (the two never overlap)', () => {
  assert.deepEqual(schemaFor('md5/spec.yaml'), ['./schemas/pod-spec.schema.json']);
  assert.deepEqual(schemaFor('tutorial/spec.yaml'), ['./schemas/pod-spec.schema.json']);
  assert.deepEqual(schemaFor('etl_spec.yaml'), ['./schemas/runtime-spec.schema.json']);
  assert.deepEqual(schemaFor('a/b/resize.etl.yaml'), ['./schemas/runtime-spec.schema.json']);
  assert.deepEqual(schemaFor('a/docker-compose.yaml'), []);
  for (const t of SCAFFOLD_TEMPLATES) {
    for (const f of t.files.filter((x) => x.path.endsWith('.yaml')))
      assert.equal(schemaFor(`x/${f.path}`).length, 1, `${t.id}/${f.path}`);
  }
});

test('aistore.newEtl is contributed with the AIStore category and shown on explorer folders', () => {
  const cmd = (contributes.commands as { command: string; title: string; category?: string }[]).find(
    (c) => c.command === 'aistore.newEtl',
  );
  assert.ok(cmd);
  assert.equal(`${cmd.category}: ${cmd.title}`, 'AIStore: New ETL…');
  const ctx = (contributes.menus?.['explorer/context'] ?? []) as { command: string; when?: string }[];
  assert.ok(ctx.some((m) => m.command === 'aistore.newEtl' && m.when === 'explorerResourceIsFolder'));
});

test('the walkthrough: start → write → deploy → transform object → transform bucket → stop, each with a command link and completion event', () => {
  const [w] = contributes.walkthroughs as {
    id: string;
    steps: { id: string; description: string; media: { markdown?: string }; completionEvents: string[] }[];
  }[];
  assert.ok(w);
  const expected = [
    'aistore.startLocalCluster',
    'aistore.newEtl',
    'aistore.deployEtl',
    'aistore.transformObject',
    'aistore.transformBucket',
    'aistore.stopEtl',
  ];
  assert.equal(w.steps.length, expected.length);
  w.steps.forEach((step, i) => {
    assert.ok(step.description.includes(`(command:${expected[i]})`), `${step.id}: link to ${expected[i]}`);
    assert.ok(step.completionEvents.includes(`onCommand:${expected[i]}`), `${step.id}: completes on ${expected[i]}`);
    assert.ok(
      step.media.markdown && existsSync(join(root, step.media.markdown)),
      `${step.id}: media ${step.media.markdown}`,
    );
  });
  assert.equal(new Set(w.steps.map((s) => s.id)).size, w.steps.length, 'step ids are unique');
});
