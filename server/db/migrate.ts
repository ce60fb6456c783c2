// Applies the committed migrations (prisma/migrations) to a database: the one way the app, the
// scripts and the tests bring a database schema up to date.
import { runPrismaCli } from './prisma-cli'

/** Runs `prisma migrate deploy` against `databaseUrl`; logs one line on success. */
export async function migrateDeploy(databaseUrl: string, log: (line: string) => void = console.info): Promise<void> {
  const started = performance.now()
  await runPrismaCli(['migrate', 'deploy'], { databaseUrl })
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  log(`db: ${describeDatabaseUrl(databaseUrl)} is up to date with prisma/migrations (${seconds} s)`)
}

/** `host:port/database`, without credentials, for log lines. */
export function describeDatabaseUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl)
    return `${url.host}${url.pathname}`
  } catch {
    return '<invalid database url>'
  }
}
