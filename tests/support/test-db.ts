// A fresh, migrated database for one test file: a new database on the server named by
// DATABASE_URL (dropped afterwards), or an in-memory embedded PGlite when it is unset. Both are
// copies of the template that tests/support/global-setup.ts migrated at the start of this run.
import { readFile } from 'node:fs/promises'
import { inject } from 'vitest'
import { createScratchDatabase, type ScratchDatabase } from '../../server/db/scratch-database'

export type TestDatabase = ScratchDatabase

let dump: Promise<Blob> | undefined

export async function createTestDatabase(): Promise<TestDatabase> {
  const template = inject('testDatabaseTemplate')
  const prefix = `pulse8_test_${process.pid}`
  if (template.kind === 'postgresql') {
    return createScratchDatabase(process.env.DATABASE_URL, prefix, { serverTemplate: template.database })
  }
  dump ??= readFile(template.dumpFile).then((bytes) => new Blob([bytes]))
  return createScratchDatabase(undefined, prefix, { embeddedTemplate: await dump })
}
