import { defineConfig } from 'vitest/config';

// Vitest gets its own config: vite.config.ts roots at src/web and would find no tests.
export default defineConfig({
  test: {
    root: '.',
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ['test/global-setup.ts'],
  },
});
