import { defineConfig } from 'vitest/config'

export default defineConfig({
  // The app's `~/…` imports (tsconfig paths), for tests that load Remix route modules.
  resolve: { alias: [{ find: /^~\//, replacement: `${new URL('./app/', import.meta.url).pathname}` }] },
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    setupFiles: ['tests/support/fail-on-console-error.ts'],
    // Each integration file has its own fresh database (tests/support/test-db.ts); on the embedded
    // one it starts from a migrated template made once here.
    globalSetup: ['tests/support/global-setup.ts'],
    hookTimeout: 120_000,
    testTimeout: 30_000,
    pool: 'forks',
  },
})
