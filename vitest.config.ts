// Two tiers, run and reported one after the other by `npm test`: `fast` (pure rules, workflow
// logic on the time-skipping server with mocked activities, replay) in seconds, and
// `integration` (the real stack: Temporal dev server, PostgreSQL, the model, HTTP).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Temporal's native runtime is once per process: one process per test file.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    setupFiles: ['test/support/runtime.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: { name: 'fast', include: ['test/fast/**/*.test.ts'], globalSetup: ['test/support/fast-setup.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: ['test/fast/**'],
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
    ],
  },
});
