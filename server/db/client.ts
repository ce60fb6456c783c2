// The one way to create a Prisma client: the pg driver adapter (no native engine, see
// docs/decisions/002-prisma-offline.md) plus slow-query logging, so a slow page shows up in the
// console during development rather than in production first.
import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaClient } from './generated/client'
import type { Logger } from '../logger'
import { createSlowQueryLog } from './slow-query-log'
import { createTimedPool, type QueryObserver } from './timed-pool'

export type Db = PrismaClient
export { Prisma } from './generated/client'
export type { Role, TokenScope } from './generated/client'

export { LOGGED_SQL_CHARS } from './slow-query-log'

// Clients whose slow-query warnings are muted (a count, so nested mutes nest): seeding and bulk
// loads are slow by nature, and dozens of multi-kilobyte warnings at start hide the lines that matter.
const muted = new WeakMap<Db, number>()

/** Runs bulk work (demo seed, scale seed) on `db` without slow-query warnings. */
export async function withoutSlowQueryLog<T>(db: Db, work: () => Promise<T>): Promise<T> {
  muted.set(db, (muted.get(db) ?? 0) + 1)
  try {
    return await work()
  } finally {
    muted.set(db, (muted.get(db) ?? 1) - 1)
  }
}

/** Connections per client (per instance) unless a caller asks otherwise. */
export const DEFAULT_POOL_SIZE = 10

/**
 * Every interactive transaction's limits (Prisma's defaults: 2 s to get a connection, 5 s to run).
 * A transaction waits for a pooled connection as long as a plain query would (pg's pool has no
 * limit there), so a burst queues instead of answering 500 "Unable to start a transaction in the
 * given time" (issue #16's soak, pool 10 per instance, 20 users each); it may run for as long, so
 * a stalled event loop between its statements does not expire it. A caller can still ask for less.
 */
export const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 15_000 } as const

export type CreateDbOptions = {
  logger?: Logger
  slowQueryMs?: number
  poolSize?: number
  slowQueryWindowMs?: number
  /** Sees every statement (benchmarks count them); the slow-query log is fed either way. */
  onQuery?: QueryObserver
}

export function createDb(databaseUrl: string, opts: CreateDbOptions = {}): Db {
  const slowMs = opts.slowQueryMs ?? 20
  const { logger, onQuery } = opts
  const slow = logger ? createSlowQueryLog(logger, opts.slowQueryWindowMs) : null
  // (Statements only run once `db` below exists, so the closure never sees it unset.)
  const observe: QueryObserver = (sql, ms) => {
    onQuery?.(sql, ms)
    if (slow && ms >= slowMs && !muted.get(db)) slow.record(sql, ms)
  }
  const pool = createTimedPool({ connectionString: databaseUrl, max: opts.poolSize ?? DEFAULT_POOL_SIZE }, observe)
  const db: Db = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }), transactionOptions: TRANSACTION_OPTIONS })
  return db
}
