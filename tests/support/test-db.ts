// A fresh, migrated database for one test file: a new database on the server named by
// DATABASE_URL (dropped afterwards), or an in-memory embedded PGlite when it is unset, started
// from the template that tests/support/global-setup.ts migrated at the start of this run (so it
// needs no `migrate deploy`, which spawns the Prisma CLI: seconds per file).
import { readFile } from 'node:fs/promises'
import { inject } from 'vitest'
import { migrateDeploy } from '../../server/db/migrate'
import { createScratchDatabase, type ScratchDatabase } from '../../server/db/scratch-database'

export type TestDatabase = ScratchDatabase

let template: Promise<Blob | undefined> | undefined
function embeddedTemplate(): Promise<Blob | undefined> {
  const file = process.env.DATABASE_URL ? '' : inject('embeddedTemplatePath')
  template ??= file ? readFile(file).then((bytes) => new Blob([bytes])) : Promise.resolve(undefined)
  return template
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const migrated = await embeddedTemplate()
  const db = await createScratchDatabase(process.env.DATABASE_URL || undefined, `pulse8_test_${process.pid}`, { embeddedTemplate: migrated })
  if (migrated) return db
  try {
    await migrateDeploy(db.url)
  } catch (error) {
    await db.drop()
    throw error
  }
  return db
}
