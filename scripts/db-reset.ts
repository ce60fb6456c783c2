// `npm run db:reset [-- --force]`: empties the database (drops and recreates the `public` schema,
// with all tables, types and data) and applies the migrations again. Uses DATABASE_URL, or the
// embedded database in .data/pglite when it is unset. Refuses when NODE_ENV=production unless
// --force is given.
import pg from 'pg'
import { withDatabase } from '../server/db/embedded'
import { describeDatabaseUrl, migrateDeploy } from '../server/db/migrate'

try {
  if (process.env.NODE_ENV === 'production' && !process.argv.includes('--force')) {
    throw new Error('refusing to reset a database with NODE_ENV=production; pass --force if you mean it.')
  }
  await withDatabase(process.env.DATABASE_URL, async (databaseUrl) => {
    await dropPublicSchema(databaseUrl)
    console.info(`db: public schema dropped and recreated on ${describeDatabaseUrl(databaseUrl)}`)
    await migrateDeploy(databaseUrl)
  })
} catch (error) {
  console.error(`db:reset: ${(error as Error).message}`)
  process.exitCode = 1
}

async function dropPublicSchema(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    await client.query('DROP SCHEMA IF EXISTS public CASCADE')
    await client.query('CREATE SCHEMA public')
  } finally {
    await client.end()
  }
}
