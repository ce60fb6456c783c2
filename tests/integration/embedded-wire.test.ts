// The embedded database's socket shares one PGlite session among many connections. These check
// what a pool of connections relies on: every exchange gets its own answer, a transaction is
// never seen half-done by another connection, and a connection that drops leaves nothing open.
// (The stock pglite-socket server fails the first one: electric-sql/pglite#1046.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import pg from 'pg'
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../server/db/embedded'

describe('embedded database socket', () => {
  let embedded: EmbeddedPostgres
  let pool: pg.Pool
  beforeAll(async () => {
    embedded = await startEmbeddedPostgres()
    pool = new pg.Pool({ connectionString: embedded.url, max: 10 })
    await pool.query('CREATE TABLE wire_rows (id int PRIMARY KEY, label text)')
  })
  afterAll(async () => {
    await pool?.end()
    await embedded?.stop()
  })

  it('answers every concurrent extended-protocol query with its own rows', async () => {
    const answers = await Promise.all(
      Array.from({ length: 400 }, (_, i) => pool.query<{ n: number; s: string }>('SELECT $1::int AS n, repeat($2::text, $1::int % 50) AS s', [i, 'x'])),
    )
    answers.forEach((res, i) => expect(res.rows).toEqual([{ n: i, s: 'x'.repeat(i % 50) }]))
  })

  it('keeps a transaction to its connection: others wait for it and never see its uncommitted rows', async () => {
    const a = await pool.connect()
    try {
      await a.query('BEGIN')
      await a.query("INSERT INTO wire_rows VALUES (1, 'uncommitted')")
      let seen: number | null = null
      const other = pool.query<{ n: string }>('SELECT count(*) AS n FROM wire_rows').then((r) => (seen = Number(r.rows[0]!.n)))
      await new Promise((r) => setTimeout(r, 100))
      expect(seen).toBeNull()
      await a.query('ROLLBACK')
      await other
      expect(seen).toBe(0)
    } finally {
      a.release()
    }
  })

  it('rolls back what a dropped connection left open, and serves the others on', async () => {
    const dropped = new pg.Client({ connectionString: embedded.url })
    await dropped.connect()
    dropped.on('error', () => undefined)
    await dropped.query('BEGIN')
    await dropped.query("INSERT INTO wire_rows VALUES (2, 'lost')")
    const waiting = pool.query<{ n: string }>('SELECT count(*) AS n FROM wire_rows')
    ;(dropped as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy()
    expect(Number((await waiting).rows[0]!.n)).toBe(0)
    await pool.query("INSERT INTO wire_rows VALUES (3, 'kept')")
    expect((await pool.query('SELECT id FROM wire_rows ORDER BY id')).rows).toEqual([{ id: 3 }])
  })

  it('reports errors to the connection that caused them and goes on', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? pool.query('SELECT 1/0') : pool.query<{ n: number }>('SELECT $1::int AS n', [i]))),
    )
    results.forEach((r, i) => {
      if (i % 3 === 0) expect(r.status === 'rejected' && /division by zero/.test(String(r.reason))).toBe(true)
      else expect(r.status === 'fulfilled' && r.value.rows[0]).toEqual({ n: i })
    })
  })
})
