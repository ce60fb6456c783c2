// Query timing at the driver, not in Prisma: Prisma's `query` log event builds an event object per
// statement (its SQL, parameters as a JSON string, timestamps) whether or not anyone keeps it, which
// cost ~9% of the CPU of an automation run (issue #11's profile). Wrapping each pooled connection's
// `query` once, when the pool opens it, costs a closure and a clock read per statement.
import pg from 'pg'

/** Called after every statement with its SQL text and how long it took (errors included). */
export type QueryObserver = (sql: string, ms: number) => void

type QueryFn = (...args: unknown[]) => unknown

function sqlOf(config: unknown): string {
  if (typeof config === 'string') return config
  const text = (config as { text?: unknown } | null)?.text
  return typeof text === 'string' ? text : ''
}

function timeQueries(client: pg.PoolClient, observe: QueryObserver): void {
  const query = client.query as unknown as QueryFn
  const timed: QueryFn = function (this: unknown, ...args) {
    const started = performance.now()
    const done = () => observe(sqlOf(args[0]), performance.now() - started)
    // pg-pool's own `pool.query` calls the client with a callback; Prisma's transactions await a promise.
    const last = args.length - 1
    const callback = args[last]
    if (typeof callback === 'function') {
      args[last] = function (this: unknown, ...result: unknown[]) {
        done()
        return (callback as QueryFn).apply(this, result)
      }
      return query.apply(this, args)
    }
    const result = query.apply(this, args)
    if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).then(done, done)
    return result
  }
  ;(client as unknown as { query: QueryFn }).query = timed
}

/** A pg pool whose every statement is reported to `observe`. */
export function createTimedPool(config: pg.PoolConfig, observe: QueryObserver): pg.Pool {
  const pool = new pg.Pool(config)
  pool.on('connect', (client) => timeQueries(client, observe))
  return pool
}
