import { defineConfig } from 'vitest/config'

// Browser tests (tests/e2e): one real app process and one chromium per file, files one after
// another so they do not compete for CPU with the app they drive.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.test.ts'],
    // A bound for a stuck test, not a speed check: the longest stories take ~40 s on an idle
    // two-core machine and twice that while other work shares it.
    testTimeout: 120_000,
    // Each file's app starts on a copy of one migrated and seeded database (tests/e2e/global-setup.ts).
    globalSetup: ['tests/e2e/global-setup.ts'],
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
  },
})
