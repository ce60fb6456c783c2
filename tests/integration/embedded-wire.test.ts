// The embedded database's socket shares one PGlite session among many connections. These check
// what a pool of connections relies on: every exchange gets its own answer, a transaction is
// never seen half-done by another connection, and a connection that drops leaves nothing open.
// (The stock pglite-socket server fails the first one: electric-sql/pglite#1046.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect } from 'node:net'
import pg from 'pg'
import { waitFor } from '../support/wait'
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
    const b = await pool.connect()
    try {
      await a.query('BEGIN')
      await a.query("INSERT INTO wire_rows VALUES (1, 'uncommitted')")
      let seen: number | null = null
      const other = b.query<{ n: string }>('SELECT count(*) AS n FROM wire_rows').then((r) => (seen = Number(r.rows[0]!.n)))
      // The marker: once b's query has left its socket, a's next query is answered only after the
      // server has read b's (one event loop, bytes read in arrival order). Had b not been made to
      // wait, its answer would be here by then.
      await waitFor(() => (b as unknown as { connection: { stream: { writableLength: number } } }).connection.stream.writableLength === 0)
      expect(Number((await a.query<{ n: string }>('SELECT count(*) AS n FROM wire_rows')).rows[0]!.n)).toBe(1)
      expect(Number((await a.query<{ n: string }>('SELECT count(*) AS n FROM wire_rows')).rows[0]!.n)).toBe(1)
      expect(seen).toBeNull()
      await a.query('ROLLBACK')
      await other
      expect(seen).toBe(0)
    } finally {
      a.release()
      b.release()
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

  /**
   * Opens a raw socket to the embedded server and writes each chunk once the server has answered
   * the one before (or closed); drops the socket once the last is answered, so the server has
   * surely read everything before the connection goes.
   */
  async function rawClient(chunks: Buffer[]): Promise<void> {
    const { port } = new URL(embedded.url)
    const socket = connect(Number(port), '127.0.0.1')
    socket.on('error', () => undefined)
    // Answered = a ReadyForQuery ('Z') or ErrorResponse ('E') ended what came back since the write.
    let received = Buffer.alloc(0)
    let closed = false
    socket.on('data', (data: Buffer) => (received = Buffer.concat([received, data])))
    socket.on('close', () => (closed = true))
    const lastMessageType = (from: number): string | null => {
      let last: string | null = null
      for (let at = from; at + 5 <= received.length && at + 1 + received.readInt32BE(at + 1) <= received.length; at += 1 + received.readInt32BE(at + 1)) {
        last = String.fromCharCode(received[at]!)
      }
      return last
    }
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()))
    for (const chunk of chunks) {
      const from = received.length
      socket.write(chunk)
      await waitFor(() => closed || ['Z', 'E'].includes(lastMessageType(from) ?? ''), { message: () => 'the server neither answered nor closed' })
      if (closed) break
    }
    socket.destroy()
  }
  const message = (type: string, body: Buffer) => Buffer.concat([Buffer.from(type), int32(body.length + 4), body])
  const int32 = (n: number) => {
    const b = Buffer.alloc(4)
    b.writeInt32BE(n)
    return b
  }
  const cstring = (s: string) => Buffer.from(`${s}\0`)
  const startup = () => {
    const body = Buffer.concat([int32(196608), cstring('user'), cstring('postgres'), cstring('database'), cstring('postgres'), Buffer.from([0])])
    return Buffer.concat([int32(body.length + 4), body])
  }

  it('drops a connection that sends a length the protocol cannot have, and serves the others on', async () => {
    await rawClient([Buffer.alloc(8)]) // a startup packet of length 0
    await rawClient([startup(), Buffer.concat([Buffer.from('Q'), int32(-100)])])
    expect((await pool.query<{ n: number }>('SELECT 7 AS n')).rows).toEqual([{ n: 7 }])
  })

  it('ends the exchange a dropped connection left after an error, before its Sync', async () => {
    // Parse fails; the backend then ignores everything until a Sync that never comes.
    await rawClient([
      startup(),
      Buffer.concat([
        message('P', Buffer.concat([cstring(''), cstring('SELEC broken'), Buffer.from([0, 0])])),
        message('B', Buffer.concat([cstring(''), cstring(''), Buffer.from([0, 0, 0, 0, 0, 0])])),
        message('E', Buffer.concat([cstring(''), int32(0)])),
      ]),
    ])
    expect((await pool.query<{ n: number }>('SELECT 8 AS n')).rows).toEqual([{ n: 8 }])
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
