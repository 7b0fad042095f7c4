// Flat config: typescript-eslint recommended rules, the size budgets that keep code reviewable, and the one
// architectural rule that matters most: nothing under src/engine may import vscode (the engine runs in the CLI,
// tests and benchmarks). Layout is Prettier's job (`npm run format`); max-len only catches what Prettier cannot
// wrap (long comments, long names), so strings, templates, URLs and regexes are exempt.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinRules } from 'eslint/use-at-your-own-risk';

const functionBudget = { max: 60, skipBlankLines: true, skipComments: true, IIFEs: true };

// A test's describe/it/suite/test/before/after callbacks are lists of cases, not logic: their length is the number
// of cases. This is core max-lines-per-function with those callbacks left out; every other function in a test
// (fakes, helpers, handlers) keeps the same budget as production code.
const TEST_BLOCKS = new Set(['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach']);
const calleeName = (callee) => {
  if (callee.type === 'Identifier') return callee.name;
  if (callee.type !== 'MemberExpression') return undefined;
  // describe.skip(…), it.only(…), t.test(…), t.before(…)
  if (callee.object.type === 'Identifier' && TEST_BLOCKS.has(callee.object.name)) return callee.object.name;
  return callee.property.type === 'Identifier' ? callee.property.name : undefined;
};
const isTestBlock = (fn) =>
  fn.parent?.type === 'CallExpression' && fn.parent.callee !== fn && TEST_BLOCKS.has(calleeName(fn.parent.callee));
const coreMaxLines = builtinRules.get('max-lines-per-function');
const testAwareMaxLines = {
  meta: coreMaxLines.meta,
  create(context) {
    const listeners = coreMaxLines.create(context);
    const wrapped = {};
    for (const [selector, listener] of Object.entries(listeners)) {
      wrapped[selector] = (node) => (isTestBlock(node) ? undefined : listener(node));
    }
    return wrapped;
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test/fixtures/**', '**/*.py'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-require-imports': 'off',
      'max-lines-per-function': ['error', functionBudget],
      'max-len': [
        'error',
        {
          code: 120,
          ignoreStrings: true,
          ignoreTemplateLiterals: true,
          ignoreUrls: true,
          ignoreRegExpLiterals: true,
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'test/**/*.js', 'test/**/*.mjs'],
    plugins: { local: { rules: { 'max-lines-per-function': testAwareMaxLines } } },
    rules: { 'max-lines-per-function': 'off', 'local/max-lines-per-function': ['error', functionBudget] },
  },
  {
    files: ['src/engine/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'The engine and CLI must not import vscode.' }],
          patterns: [
            {
              group: ['**/views/**', '**/commands/**', '**/editors/**', '**/language/**', '**/extension'],
              message: 'The engine must not import the VS Code layer.',
            },
          ],
        },
      ],
    },
  },
  {
    files: [
      'src/extension.ts',
      'src/views/**/*.ts',
      'src/commands/**/*.ts',
      'src/editors/**/*.ts',
      'src/language/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@kubernetes/client-node'],
              message: 'Load the k8s client lazily through src/engine/k8s (dynamic import), never at activation.',
            },
          ],
        },
      ],
    },
  },
);
