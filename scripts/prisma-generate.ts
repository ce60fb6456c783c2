// `npm run db:generate`, and npm's postinstall: generates the Prisma client into
// server/db/generated. Works offline, on a fresh clone where @prisma/engines could not download
// its native engine (docs/decisions/002-prisma-offline.md). Runs in postinstall, so it imports
// nothing but Node and server/db/prisma-cli.ts.
import { runPrismaCli } from '../server/db/prisma-cli'

try {
  const started = performance.now()
  await runPrismaCli(['generate'], {})
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  console.info(`db: Prisma client generated in server/db/generated (${seconds} s)`)
} catch (error) {
  console.error(`db:generate: ${(error as Error).message}`)
  process.exitCode = 1
}
