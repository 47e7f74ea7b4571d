import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

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
);
