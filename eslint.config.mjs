// Flat config: typescript-eslint recommended rules, plus the one architectural rule that matters most:
// nothing under src/engine may import vscode (the engine runs in the CLI, tests and benchmarks).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test/fixtures/**', '**/*.py'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['src/engine/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'The engine and CLI must not import vscode.' }],
        patterns: [{ group: ['**/views/**', '**/commands/**', '**/editors/**', '**/language/**', '**/extension'], message: 'The engine must not import the VS Code layer.' }] }],
    },
  },
  {
    files: ['src/extension.ts', 'src/views/**/*.ts', 'src/commands/**/*.ts', 'src/editors/**/*.ts', 'src/language/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@kubernetes/client-node'], message: 'Load the k8s client lazily through src/engine/k8s (dynamic import), never at activation.' }] }],
    },
  },
);
