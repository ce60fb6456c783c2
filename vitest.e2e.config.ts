import { defineConfig } from 'vitest/config'

// Browser tests (tests/e2e): one real app process and one chromium per file, files one after
// another so they do not compete for CPU with the app they drive.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.test.ts'],
    testTimeout: 60_000,
    // Each file's app starts on a copy of one migrated and seeded database (tests/e2e/global-setup.ts).
    globalSetup: ['tests/e2e/global-setup.ts'],
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
  },
})
