// Lint rules that keep the Temporal split and the layers honest: workflow and domain code stay
// deterministic (no Node built-ins, no I/O libraries, activities only as types), no layer imports
// a higher one, no promise is dropped, and parameters have names that say what they hold.
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

// The layers, lowest first: domain <- workflows <- activities <- infra <- entry-points. Beside
// them: model and extraction (libraries the activities use), db (data access, under activities
// and the API), config (read by infra, the API and entry points) and api (the HTTP edge).
// Each folder lists the folders it must never import from.
const TOP = ['entry-points', 'scripts', 'bench', 'simulation', 'evaluation', 'test'];
const FORBIDDEN = {
  domain: ['workflows', 'activities', 'db', 'model', 'extraction', 'config', 'api', 'workers', 'infra', ...TOP],
  workflows: ['activities', 'db', 'model', 'extraction', 'config', 'api', 'workers', 'infra', ...TOP],
  model: ['workflows', 'activities', 'db', 'config', 'api', 'workers', 'infra', ...TOP],
  extraction: ['workflows', 'activities', 'db', 'model', 'config', 'api', 'workers', 'infra', ...TOP],
  config: ['workflows', 'activities', 'db', 'api', 'workers', 'infra', ...TOP],
  db: ['activities', 'model', 'extraction', 'config', 'api', 'workers', 'infra', ...TOP],
  activities: ['config', 'api', 'workers', 'infra', ...TOP],
  workers: ['db', 'config', 'api', 'infra', ...TOP],
  api: ['activities', 'workers', 'infra', ...TOP],
  infra: TOP,
};

const layerRule = (folders) => ({
  regex: `^(\\.\\./)+(${folders.join('|')})(/|$)`,
  message: 'a lower layer must not import a higher one (see the layers in eslint.config.mjs)',
});

const determinism = [
  { group: NODE_BUILTINS, message: 'workflow and domain code must be deterministic: no Node built-ins' },
  { group: IO_LIBRARIES, message: 'workflow and domain code must not do I/O' },
];

// One-letter parameters only in tiny lambdas: functions, methods and block-bodied arrows name them.
const ONE_LETTER = '[name=/^[A-HK-Za-hk-z]$/]'; // i and j stay for indices
const namedParameters = [
  `FunctionDeclaration > Identifier.params${ONE_LETTER}`,
  `FunctionExpression > Identifier.params${ONE_LETTER}`,
  `ArrowFunctionExpression[body.type='BlockStatement'] > Identifier.params${ONE_LETTER}`,
  `TSParameterProperty > Identifier.parameter${ONE_LETTER}`,
].map((selector) => ({ selector, message: 'name this parameter for what it holds (one letter only in tiny lambdas)' }));

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.tools/**', '.data/**', 'reports/**', 'eslint.config.mjs'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.base],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      'no-restricted-syntax': ['error', ...namedParameters],
    },
  },
  ...Object.entries(FORBIDDEN).map(([folder, forbidden]) => ({
    files: [`${folder}/**/*.ts`],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [...(folder === 'domain' || folder === 'workflows' ? determinism : []), layerRule(forbidden)],
        },
      ],
    },
  })),
  {
    // Landed migrations are history and are never edited, not even to rename knex's table builder.
    files: ['db/migrations/20261124000001_cases.ts', 'db/migrations/20261124000002_mode_changes.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'no process in workflow or domain code' },
        { name: 'setTimeout', message: 'use sleep() or condition() from @temporalio/workflow' },
      ],
    },
  },
);
