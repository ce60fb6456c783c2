// PGlite served on a Postgres socket, safely for many client connections.
//
// PGlite is one backend session. Several connections can share it only if the session is handed
// to one connection for a whole protocol exchange: from its first message until the backend is
// idle again (a Sync or simple Query answered outside any transaction block). An extended-query
// exchange (Parse/Bind/Execute/Sync) keeps its unnamed statement and portal in the session, and a
// transaction keeps everything; a second connection's messages in between would use or replace
// them, and get another connection's rows. @electric-sql/pglite-socket hands the session over
// between single messages unless a transaction is open (electric-sql/pglite#1046: "portal does
// not exist", wrong results under a pool), so this small server replaces it. See
// docs/decisions/001-embedded-postgres.md.
import { createServer, type Server, type Socket } from 'node:net'
import type { PGlite } from '@electric-sql/pglite'

const SSL_REQUEST_CODE = 80877103
const GSSENC_REQUEST_CODE = 80877104
const CANCEL_REQUEST_CODE = 80877102
const PROTOCOL_3 = 196608

/** Frontend messages after which the backend reports ReadyForQuery: the exchange can end there. */
const EXCHANGE_ENDS = new Set(['S', 'Q'])
const TERMINATE = 'X'
const SYNC = new Uint8Array([0x53, 0, 0, 0, 4])
/** Far above any statement the app sends (a 200-item config snapshot is ~65 KB). */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024

type Connection = { id: number; socket: Socket; started: boolean; buffer: Buffer; closed: boolean }
type Job = { conn: Connection; message: Uint8Array; type: string; done: (error?: unknown) => void }

export interface PgliteWireServer {
  /** The port the server listens on (the OS picks one for port 0). */
  port: number
  /** Stops accepting, drops every connection (rolling back what was open) and waits for that. */
  stop(): Promise<void>
}

export async function servePglite(db: PGlite, opts: { host: string; port: number; maxConnections: number }): Promise<PgliteWireServer> {
  const queue: Job[] = []
  const connections = new Set<Connection>()
  /** The connection holding the session for an unfinished exchange, if any. */
  let owner: Connection | null = null
  let running = false
  let nextId = 1

  async function run() {
    if (running) return
    running = true
    try {
      for (;;) {
        const index = owner ? queue.findIndex((j) => j.conn === owner) : 0
        // The owner's next message has not arrived yet: everyone else waits for it.
        if (index < 0 || queue.length === 0) return
        const [job] = queue.splice(index, 1) as [Job]
        owner = job.conn
        try {
          await db.runExclusive(() =>
            db.execProtocolRawStream(job.message, {
              onRawData: (data) => {
                if (!job.conn.closed && job.conn.socket.writable) job.conn.socket.write(data)
              },
            }),
          )
          job.done()
        } catch (error) {
          job.done(error)
        }
        if (job.conn.closed) {
          // It went away while its message ran: release() found it busy, so clean up here.
          await resetSession()
          owner = null
        } else if ((job.type === 'startup' || EXCHANGE_ENDS.has(job.type)) && !db.isInTransaction()) owner = null
      }
    } finally {
      running = false
    }
  }

  function enqueue(conn: Connection, message: Buffer, type: string): Promise<void> {
    return new Promise((resolve, reject) => {
      queue.push({ conn, message: new Uint8Array(message), type, done: (error) => (error ? reject(error) : resolve()) })
      void run()
    })
  }

  /** Splits the connection's buffer into whole messages and queues them, in order. */
  async function consume(conn: Connection) {
    for (;;) {
      const buf = conn.buffer
      if (conn.closed) return
      if (!conn.started) {
        if (buf.length < 8) return
        const length = buf.readInt32BE(0)
        const code = buf.readInt32BE(4)
        // A length the protocol cannot have would never be consumed (or never complete): drop it.
        if (length < 8 || length > MAX_MESSAGE_BYTES) return void conn.socket.destroy()
        if (buf.length < length) return
        conn.buffer = buf.subarray(length)
        // No TLS or GSS encryption on a loopback socket: say so, the client goes on in clear.
        if (code === SSL_REQUEST_CODE || code === GSSENC_REQUEST_CODE) conn.socket.write('N')
        // PGlite has no backend process to interrupt; a cancel request gets no answer by protocol.
        else if (code === CANCEL_REQUEST_CODE) return void conn.socket.end()
        else if (code === PROTOCOL_3) {
          conn.started = true
          await enqueue(conn, buf.subarray(0, length), 'startup')
        } else return void conn.socket.destroy()
        continue
      }
      if (buf.length < 5) return
      const declared = buf.readInt32BE(1)
      if (declared < 4 || declared > MAX_MESSAGE_BYTES) return void conn.socket.destroy()
      const length = 1 + declared
      if (buf.length < length) return
      const type = String.fromCharCode(buf[0]!)
      conn.buffer = buf.subarray(length)
      if (type === TERMINATE) {
        conn.socket.end()
        return
      }
      await enqueue(conn, buf.subarray(0, length), type)
    }
  }

  /**
   * Leaves the session as a new connection expects it. A Sync ends an extended-protocol exchange
   * the owner left unfinished (after an error the backend ignores everything until one), then a
   * ROLLBACK ends a transaction it left open.
   */
  async function resetSession() {
    await db.runExclusive(() => db.execProtocolRawStream(SYNC, { onRawData: () => undefined })).catch(() => undefined)
    if (db.isInTransaction()) await db.exec('ROLLBACK').catch(() => undefined)
  }

  async function release(conn: Connection) {
    if (conn.closed) return
    conn.closed = true
    connections.delete(conn)
    for (let i = queue.length - 1; i >= 0; i--) {
      if (queue[i]!.conn === conn) queue.splice(i, 1)[0]!.done(new Error('connection closed'))
    }
    // While one of its messages runs, run() cleans up after it; otherwise do it here. Nothing
    // else runs meanwhile: the session is still this connection's.
    if (owner === conn && !running) {
      await resetSession()
      owner = null
      void run()
    }
  }

  const server: Server = createServer((socket) => {
    if (connections.size >= opts.maxConnections) {
      socket.destroy()
      return
    }
    const conn: Connection = { id: nextId++, socket, started: false, buffer: Buffer.alloc(0), closed: false }
    connections.add(conn)
    socket.setNoDelay(true)
    // One consumer per connection at a time keeps its messages in order.
    let consuming: Promise<void> = Promise.resolve()
    socket.on('data', (data) => {
      conn.buffer = conn.buffer.length ? Buffer.concat([conn.buffer, data]) : data
      consuming = consuming.then(() => consume(conn)).catch(() => void socket.destroy())
    })
    socket.on('error', () => socket.destroy())
    socket.on('close', () => void release(conn))
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, opts.host, () => resolve())
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : opts.port

  return {
    port,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      const open = [...connections]
      for (const conn of open) conn.socket.destroy()
      await Promise.all(open.map((conn) => release(conn)))
      await closed
    },
  }
}
