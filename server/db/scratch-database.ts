// A throwaway database: a new database on the PostgreSQL server of `serverUrl` (dropped by
// `drop`), or, without a server, an in-memory embedded PGlite (gone when stopped). Tests take one
// per file, benchmarks one per run, `db:migration` one to diff on. Not migrated.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { startEmbeddedPostgres } from './embedded'

export interface ScratchDatabase {
  url: string
  kind: 'postgresql' | 'embedded'
  /** Drops the database (or stops the in-memory one). End your pools and clients first. */
  drop(): Promise<void>
}

/**
 * `prefix` names the database (`<prefix>_<random>`), so a leftover one says where it came from.
 * A template is what the new database starts as: for an embedded one a dump from
 * `EmbeddedPostgres.dump`, on a server the name of a database to copy (`CREATE DATABASE … TEMPLATE`;
 * no one may be connected to it meanwhile).
 */
export async function createScratchDatabase(
  serverUrl: string | undefined,
  prefix: string,
  opts: { embeddedTemplate?: Blob; serverTemplate?: string } = {},
): Promise<ScratchDatabase> {
  if (!serverUrl) {
    const embedded = await startEmbeddedPostgres({ template: opts.embeddedTemplate })
    return { url: embedded.url, kind: 'embedded', drop: () => embedded.stop() }
  }
  const name = pg.escapeIdentifier(`${prefix}_${randomBytes(4).toString('hex')}`)
  await onServer(serverUrl, `CREATE DATABASE ${name}${opts.serverTemplate ? ` TEMPLATE ${pg.escapeIdentifier(opts.serverTemplate)}` : ''}`)
  const url = new URL(serverUrl)
  url.pathname = `/${name.slice(1, -1)}`
  return { url: url.toString(), kind: 'postgresql', drop: () => onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) }
}

async function onServer(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}
