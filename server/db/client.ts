// The one way to create a Prisma client: the pg driver adapter (no native engine, see
// docs/decisions/002-prisma-offline.md) plus slow-query logging, so a slow page shows up in the
// console during development rather than in production first.
import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaClient } from './generated/client'
import type { Logger } from '../logger'

export type Db = PrismaClient
export { Prisma } from './generated/client'
export type { Role } from './generated/client'

export function createDb(databaseUrl: string, opts: { logger?: Logger; slowQueryMs?: number; poolSize?: number } = {}): Db {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: opts.poolSize ?? 10 })
  const db = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] })
  const slowMs = opts.slowQueryMs ?? 20
  const logger = opts.logger
  if (logger) {
    db.$on('query', (e) => {
      if (e.duration >= slowMs) logger.warn('slow query', { ms: e.duration, query: e.query.slice(0, 500) })
    })
  }
  return db
}
