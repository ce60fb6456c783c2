// `npm run seed`: creates (idempotently) the demo tenants and users and prints the logins.
// Uses DATABASE_URL, or the embedded database under .data/ when it is unset.
// In production it refuses unless `--demo` is passed explicitly.
// `--customers N [--tenant acme]` also adds N realistic customers with deals and cases (server/seed/scale.ts).
import { loadEnv } from '../server/env'
import { createDb } from '../server/db/client'
import { EMBEDDED_DATA_DIR, startEmbeddedPostgres } from '../server/db/embedded'
import { migrateDeploy } from '../server/db/migrate'
import { DEMO_PASSWORD, seedDemo } from '../server/seed/demo'
import { scaleArgs, seedAtScale } from '../server/seed/scale'

const env = loadEnv()
const scale = scaleArgs(process.argv.slice(2))
if (env.NODE_ENV === 'production' && !process.argv.includes('--demo')) {
  console.error('Refusing to seed demo users in production; pass --demo if you really mean it.')
  process.exit(1)
}

const embedded = env.DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: env.DATA_DIR ?? EMBEDDED_DATA_DIR })
const url = env.DATABASE_URL ?? embedded!.url
try {
  await migrateDeploy(url)
  const db = createDb(url)
  const { logins } = await seedDemo(db, { activity: true })
  console.log(`Demo logins (password: ${DEMO_PASSWORD}):`)
  for (const l of logins) console.log(`  ${l.email.padEnd(22)} ${l.role.padEnd(8)} ${l.tenant}`)
  if (scale) await seedAtScale(db, scale)
  await db.$disconnect()
} finally {
  await embedded?.stop()
}
