// Lint rules that keep the Temporal split honest: workflow and domain code stay deterministic
// (no Node built-ins, no I/O libraries, activities only as types), and no promise is dropped.
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = [
  'node:*',
  'fs',
  'path',
  'os',
  'crypto',
  'http',
  'https',
  'net',
  'child_process',
  'events',
  'zlib',
  'stream',
  'timers',
  'worker_threads',
];
const IO_LIBRARIES = [
  'pg',
  'knex',
  'express',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
  '@temporalio/testing',
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.tools/**', '.data/**', 'reports/**', 'eslint.config.mjs'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.base],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
  {
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: NODE_BUILTINS, message: 'workflow and domain code must be deterministic: no Node built-ins' },
            { group: IO_LIBRARIES, message: 'workflow and domain code must not do I/O' },
            {
              group: ['**/activities', '**/activities/*'],
              allowTypeImports: true,
              message: 'workflows see activities only as types',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'no process in workflow or domain code' },
        { name: 'setTimeout', message: 'use sleep() or condition() from @temporalio/workflow' },
      ],
    },
  },
);
