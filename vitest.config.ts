import { defineConfig } from 'vitest/config'

export default defineConfig({
  // The app's `~/…` imports (tsconfig paths), for tests that load Remix route modules.
  resolve: { alias: [{ find: /^~\//, replacement: `${new URL('./app/', import.meta.url).pathname}` }] },
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    setupFiles: ['tests/support/fail-on-console-error.ts'],
    // Each integration file migrates its own fresh database (tests/support/test-db.ts).
    hookTimeout: 120_000,
    testTimeout: 30_000,
    pool: 'forks',
  },
})
