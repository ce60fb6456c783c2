import { defineConfig } from 'vitest/config'

// Browser tests (tests/e2e): one real app process and one chromium per file, files one after
// another so they do not compete for CPU with the app they drive.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.test.ts'],
    testTimeout: 60_000,
    // Starting the app includes creating and migrating a fresh embedded database.
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
  },
})
