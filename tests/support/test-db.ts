// A fresh, migrated database for one test file: a new database on the server named by
// DATABASE_URL (dropped afterwards), or an in-memory embedded PGlite when it is unset.
import { migrateDeploy } from '../../server/db/migrate'
import { createScratchDatabase, type ScratchDatabase } from '../../server/db/scratch-database'

export type TestDatabase = ScratchDatabase

export async function createTestDatabase(): Promise<TestDatabase> {
  const db = await createScratchDatabase(process.env.DATABASE_URL || undefined, `pulse8_test_${process.pid}`)
  try {
    await migrateDeploy(db.url)
  } catch (error) {
    await db.drop()
    throw error
  }
  return db
}
