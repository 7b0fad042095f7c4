import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planScaffoldFolder } from '../../../src/language/scaffoldPlan';

const existing = (paths: string[]) => async (p: string) => paths.includes(p);

test('an empty place is used as is', async () => {
  assert.deepEqual(await planScaffoldFolder('md5-etl', ['code.py', 'requirements.txt'], existing([])), {
    preferredFolder: 'md5-etl',
    conflicts: [],
    freeFolder: 'md5-etl',
  });
});

test('other files in the folder are no conflict', async () => {
  assert.deepEqual((await planScaffoldFolder('md5-etl', ['code.py'], existing(['md5-etl/notes.md']))).conflicts, []);
});

test('existing files are reported and the first free numbered folder is offered', async () => {
  const plan = await planScaffoldFolder(
    'md5-etl',
    ['code.py', 'requirements.txt'],
    existing(['md5-etl/code.py', 'md5-etl-2/requirements.txt', 'md5-etl-3/other.txt']),
  );
  assert.deepEqual(plan, { preferredFolder: 'md5-etl', conflicts: ['code.py'], freeFolder: 'md5-etl-3' });
});

test('gives up with a clear message when no free folder is found', async () => {
  await assert.rejects(
    planScaffoldFolder('md5-etl', ['code.py'], async () => true, 5),
    /md5-etl-2 … md5-etl-5.*choose another/,
  );
});
