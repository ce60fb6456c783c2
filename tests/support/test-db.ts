// A fresh, migrated database for one test file: a new database on the server named by
// DATABASE_URL (dropped afterwards), or an in-memory embedded PGlite when it is unset.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { startEmbeddedPostgres } from '../../server/db/embedded'
import { migrateDeploy } from '../../server/db/migrate'

export type TestDatabase = { url: string; kind: 'postgresql' | 'embedded'; drop(): Promise<void> }

export async function createTestDatabase(): Promise<TestDatabase> {
  const base = process.env.DATABASE_URL
  if (!base) {
    const embedded = await startEmbeddedPostgres({})
    await migrateDeploy(embedded.url)
    return { url: embedded.url, kind: 'embedded', drop: () => embedded.stop() }
  }
  const name = `pulse8_test_${process.pid}_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: base })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(base)
  url.pathname = `/${name}`
  await migrateDeploy(url.toString())
  return {
    url: url.toString(),
    kind: 'postgresql',
    async drop() {
      const c = new pg.Client({ connectionString: base })
      await c.connect()
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await c.end()
    },
  }
}
