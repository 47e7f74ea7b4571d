import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // No import cycles anywhere (the rule skips type-only imports; keep those acyclic by hand: shapes in types files).
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      // The rule follows imports by parsing the imported files: it needs the TypeScript parser for them.
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/extensions': ['.ts', '.js'],
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true, allowUnsafeDynamicCyclicDependency: false }] },
  },
  {
    // mappers/ are pure: no I/O, no clock, nothing from operator/.
    files: ['mappers/**/*.ts'],
    ignores: ['mappers/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/operator/**',
                'node:*',
                '!node:crypto',
                'fs',
                'http',
                'https',
                'net',
                'child_process',
                'got',
                'winston',
              ],
              message: 'mappers/ are pure: no I/O (hashing with node:crypto is fine)',
            },
            {
              group: ['@kubernetes/client-node'],
              allowTypeImports: true,
              message: 'mappers/ may only import types from client-node',
            },
          ],
        },
      ],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'time comes in as ctx.now' }],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'time comes in as ctx.now' },
      ],
    },
  },
  {
    // The AAI simulator is a test double outside the product tree: operator/ never imports it (the one command that
    // runs it loads it by a computed path, so a build without it still works).
    files: ['operator/**/*.ts'],
    ignores: ['operator/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/aai-sim/**', '**/e2e/**', '**/test/**'],
              message: 'operator/ is product code: no test doubles',
            },
          ],
        },
      ],
    },
  },
);
