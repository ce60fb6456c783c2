// The embedded database: PGlite (PostgreSQL compiled to WebAssembly) served on a loopback
// Postgres socket, so that the app, `pg`, Prisma's adapter and `migrate deploy` use it exactly as
// they use a real server. See docs/decisions/001-embedded-postgres.md.
import { mkdir, open, readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { servePglite, type PgliteWireServer } from './pglite-wire'

/** Where the app and the db scripts keep the embedded database when DATABASE_URL is unset. */
export const EMBEDDED_DATA_DIR = fileURLToPath(new URL('../../.data/pglite', import.meta.url))

/**
 * The socket shares PGlite's single backend among many client connections (see pglite-wire.ts); a
 * `pg` pool (Prisma's default is 10 connections per pool) needs that many at once, plus the scripts'.
 */
const MAX_CONNECTIONS = 32

export interface EmbeddedPostgres {
  /** A connection string for `pg` / Prisma: postgresql://postgres:postgres@127.0.0.1:<port>/postgres */
  url: string
  /** Closes the socket (dropping its connections) and shuts PGlite down. End your pools first. */
  stop(): Promise<void>
  /** The whole database as a tarball, to start another in-memory one from (`template`). */
  dump(): Promise<Blob>
}

/**
 * Starts PGlite and serves it on `host:port` (default 127.0.0.1 and a free port).
 * `dataDir` keeps the database on disk; without it the database lives in memory (tests).
 * PGlite does not lock its data directory, so a lock file next to it (`<dataDir>.lock`) stops a
 * second process from opening the same files.
 */
export async function startEmbeddedPostgres(opts: { dataDir?: string; port?: number; host?: string; template?: Blob } = {}): Promise<EmbeddedPostgres> {
  const host = opts.host ?? '127.0.0.1'
  const dataDir = opts.dataDir && path.resolve(opts.dataDir)
  const releaseLock = dataDir ? await lockDataDir(dataDir) : async () => {}

  let db: PGlite
  let server: PgliteWireServer
  try {
    if (dataDir) await mkdir(dataDir, { recursive: true })
    // A template (a dump of a migrated database) skips initdb and the migrations: a few seconds
    // instead of half a minute per test file on a busy two-core machine.
    // pg_trgm: the migrations create it for the lists' trigram search indexes (decision 029), so
    // both targets run the same migration.
    const extensions = { pg_trgm }
    db = await PGlite.create(dataDir ? { dataDir, extensions } : opts.template ? { loadDataDir: opts.template, extensions } : { extensions })
    server = await servePglite(db, { host, port: opts.port ?? 0, maxConnections: MAX_CONNECTIONS })
  } catch (error) {
    await releaseLock()
    throw error
  }

  const port = server.port
  // PGlite has one role and one database, both `postgres`, and ignores the credentials a client
  // sends; the names are spelled out so the URL also reads right to `pg` and Prisma. The socket
  // refuses TLS, so say so instead of letting a client try it.
  const url = `postgresql://postgres:postgres@${urlHost(host)}:${port}/postgres?sslmode=disable`

  let stopping: Promise<void> | undefined
  return {
    url,
    stop() {
      stopping ??= (async () => {
        // stop() drops the connections and rolls back a transaction one of them left open.
        await server.stop()
        await db.close()
        await releaseLock()
      })()
      return stopping
    },
    dump: () => db.dumpDataDir(),
  }
}

function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1'
  if (host === '::') return '[::1]'
  return host.includes(':') ? `[${host}]` : host
}

/**
 * Creates `<dataDir>.lock` holding our pid, or fails if a live process holds it. A lock left by a
 * process that has died is taken over.
 */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lockFile = `${dataDir}.lock`
  await mkdir(path.dirname(lockFile), { recursive: true })
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockFile, 'wx')
      await handle.writeFile(String(process.pid))
      await handle.close()
      return () => rm(lockFile, { force: true })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const holder = Number((await readFile(lockFile, 'utf8').catch(() => '')).trim())
      if (holder && isAlive(holder)) {
        throw new Error(
          `The embedded database ${displayPath(dataDir)} is in use by process ${holder} ` +
            `(a running dev server?). Stop it first, or set DATABASE_URL to use a PostgreSQL server.`,
          { cause: error },
        )
      }
      await rm(lockFile, { force: true }) // stale: its process is gone
    }
  }
  throw new Error(`Could not lock the embedded database at ${dataDir}.`)
}

function displayPath(dir: string): string {
  const relative = path.relative(process.cwd(), dir)
  return relative && !relative.startsWith('..') ? relative : dir
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Runs `work` against `databaseUrl` when given, else against the embedded database in
 * EMBEDDED_DATA_DIR, started for the duration (the db scripts' "DATABASE_URL or embedded" rule).
 */
export async function withDatabase<T>(databaseUrl: string | undefined, work: (databaseUrl: string) => Promise<T>): Promise<T> {
  if (databaseUrl) return work(databaseUrl)
  console.info(`db: DATABASE_URL is unset, using the embedded database in ${displayPath(EMBEDDED_DATA_DIR)}`)
  const embedded = await startEmbeddedPostgres({ dataDir: EMBEDDED_DATA_DIR })
  try {
    return await work(embedded.url)
  } finally {
    await embedded.stop()
  }
}
