// `npm run db:migration -- --name add_x`: writes prisma/migrations/<timestamp>_add_x/migration.sql
// with the SQL that takes the committed migrations to the current prisma/schema.prisma.
// It needs no database of yours: `prisma migrate dev --create-only` runs on a scratch database
// that is thrown away afterwards -- a new database on the DATABASE_URL server when that is set,
// else an in-memory embedded one (plus a second one as the shadow database, since PGlite has a
// single database and `migrate dev` cannot create its shadow database next to it).
import { readFile, readdir, rm } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { startEmbeddedPostgres } from '../server/db/embedded'
import { createScratchDatabase } from '../server/db/scratch-database'
import { PROJECT_ROOT, runPrismaCli } from '../server/db/prisma-cli'

const MIGRATIONS_DIR = path.join(PROJECT_ROOT, 'prisma/migrations')

try {
  const name = migrationName()
  const before = new Set(await listMigrations())
  const args = ['migrate', 'dev', '--create-only', '--name', name]
  // In a terminal the CLI's own output and prompts (data-loss warnings) go to the user.
  const options = { interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY) }

  const serverUrl = process.env.DATABASE_URL
  // Prisma's own messages below ("migrations have been applied") are about this scratch database.
  console.info(`db: diffing on a scratch ${serverUrl ? 'database on the DATABASE_URL server' : 'embedded database'}, dropped afterwards`)
  if (serverUrl) {
    const scratch = await createScratchDatabase(serverUrl, 'pulse8_migration')
    try {
      await runPrismaCli(args, { databaseUrl: scratch.url }, options)
    } finally {
      await scratch.drop()
    }
  } else {
    const [main, shadow] = await Promise.all([startEmbeddedPostgres(), startEmbeddedPostgres()])
    try {
      await runPrismaCli(args, { databaseUrl: main.url, shadowDatabaseUrl: shadow.url }, options)
    } finally {
      await Promise.all([main.stop(), shadow.stop()])
    }
  }

  const created: string[] = []
  for (const dir of (await listMigrations()).filter((d) => !before.has(d))) {
    // `migrate dev --create-only` writes an empty migration when nothing changed: not one to keep.
    // Only a missing file counts as empty: an unreadable one is the user's to look at, not to delete.
    const sql = await readFile(path.join(MIGRATIONS_DIR, dir, 'migration.sql'), 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return ''
      throw error
    })
    if (sql.replace(/--.*$/gm, '').trim() === '') await rm(path.join(MIGRATIONS_DIR, dir), { recursive: true, force: true })
    else created.push(dir)
  }
  if (created.length === 0) {
    console.info('db: prisma/schema.prisma matches the migrations; no migration created.')
  } else {
    for (const dir of created) console.info(`db: created prisma/migrations/${dir}/migration.sql (review it, then npm run db:migrate)`)
  }
} catch (error) {
  console.error(`db:migration: ${(error as Error).message}`)
  process.exitCode = 1
}

function migrationName(): string {
  const { values } = parseArgs({ options: { name: { type: 'string', short: 'n' } } })
  if (!values.name || !/^[A-Za-z0-9_]+$/.test(values.name)) {
    throw new Error('usage: npm run db:migration -- --name add_something (letters, digits and _)')
  }
  return values.name
}

async function listMigrations(): Promise<string[]> {
  const entries = await readdir(MIGRATIONS_DIR, { withFileTypes: true }).catch(() => [])
  return entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name)
}
