// `migrateDeploy` brings a fresh database up to date with every folder in prisma/migrations, on
// both targets the app supports: the embedded PGlite and a real PostgreSQL server.
import { randomBytes } from 'node:crypto'
import { readdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { startEmbeddedPostgres } from '../../server/db/embedded'
import { migrateDeploy } from '../../server/db/migrate'

const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url))
// The tables of the initial migration; later migrations add to them.
const CORE_TABLES = ['ApiToken', 'AuditEntry', 'Membership', 'Session', 'Tenant', 'User']

const serverUrl = process.env.DATABASE_URL
if (!serverUrl) console.log('migrate.test: DATABASE_URL is unset, skipping the PostgreSQL server case')

describe('migrateDeploy', () => {
  it('migrates a fresh embedded database, and a second run changes nothing', async () => {
    const db = await startEmbeddedPostgres({})
    try {
      await migrateDeploy(db.url)
      await expectFullyMigrated(db.url)

      await migrateDeploy(db.url)
      expect(await appliedMigrations(db.url)).toEqual(await migrationFolders())
    } finally {
      await db.stop()
    }
    // initdb, every migration and a second `migrate deploy` (each spawns the Prisma CLI): a minute
    // or more on a busy two-core machine. A bound for a stuck run, not a speed check.
  }, 240_000)

  it.skipIf(!serverUrl)(
    'migrates a fresh database on the DATABASE_URL server',
    async () => {
      const name = `pulse8_migrate_test_${randomBytes(4).toString('hex')}`
      await execute(serverUrl!, `CREATE DATABASE ${name}`)
      try {
        const url = new URL(serverUrl!)
        url.pathname = `/${name}`
        await migrateDeploy(url.toString())
        await expectFullyMigrated(url.toString())
      } finally {
        await execute(serverUrl!, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      }
    },
    240_000,
  )
})

async function expectFullyMigrated(databaseUrl: string): Promise<void> {
  const { rows } = await query<{ table_name: string }>(
    databaseUrl,
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  )
  const tables = rows.map((row) => row.table_name)
  expect(tables).toEqual(expect.arrayContaining([...CORE_TABLES, '_prisma_migrations']))

  expect(await appliedMigrations(databaseUrl)).toEqual(await migrationFolders())
}

/** Names of the migrations recorded as finished and not rolled back, in order. */
async function appliedMigrations(databaseUrl: string): Promise<string[]> {
  const { rows } = await query<{ migration_name: string }>(
    databaseUrl,
    `SELECT migration_name FROM _prisma_migrations
     WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
  )
  return rows.map((row) => row.migration_name)
}

async function migrationFolders(): Promise<string[]> {
  const entries = await readdir(MIGRATIONS_DIR, { withFileTypes: true })
  const folders = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name)
  expect(folders.length).toBeGreaterThan(0)
  return folders.sort()
}

async function query<Row extends pg.QueryResultRow>(databaseUrl: string, sql: string) {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    return await client.query<Row>(sql)
  } finally {
    await client.end()
  }
}

async function execute(databaseUrl: string, sql: string): Promise<void> {
  await query(databaseUrl, sql)
}
