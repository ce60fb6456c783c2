// `npm run db:migrate`: applies the committed migrations to DATABASE_URL, or, when it is unset,
// to the embedded database in .data/pglite (the app's default; stop the dev server first).
import { withDatabase } from '../server/db/embedded'
import { migrateDeploy } from '../server/db/migrate'

try {
  await withDatabase(process.env.DATABASE_URL, migrateDeploy)
} catch (error) {
  console.error(`db:migrate: ${(error as Error).message}`)
  process.exitCode = 1
}
