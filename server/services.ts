// Builds the long-lived dependencies of one process from the typed env.
import { Redis } from 'ioredis'
import type { Env } from './env'
import { createDb } from './db/client'
import { createLucia } from './auth/lucia'
import { createMemoryRateLimiter, createRedisRateLimiter } from './auth/rate-limit'
import { createMemoryBus, createRedisBus } from './realtime/event-bus'
import type { Logger } from './logger'
import { createRuntimeConfigCache } from './config/runtime-config'
import type { Services } from './trpc/context'

export type ServiceHandle = Services & { close(): Promise<void> }

export function createServices(env: Env, databaseUrl: string, logger: Logger): ServiceHandle {
  const db = createDb(databaseUrl, { logger, slowQueryMs: env.SLOW_QUERY_MS })
  const redis = env.REDIS_URL
    ? new Redis(env.REDIS_URL, { maxRetriesPerRequest: 1, retryStrategy: (n) => Math.min(50 * 2 ** n, 2_000) })
    : null
  redis?.on('error', (err) => logger.debug('redis error', { error: String(err) }))
  const bus = env.REDIS_URL ? createRedisBus(env.REDIS_URL, logger, env.REDIS_PREFIX) : createMemoryBus()
  const runtimeConfig = createRuntimeConfigCache({ db, bus })
  return {
    db,
    runtimeConfig,
    // Secure cookies when the site is served over HTTPS, not merely in production: `npm start` on
    // http://localhost must still sign in. Behind a TLS proxy, set APP_ORIGIN=https://….
    auth: createLucia(db, { secureCookies: env.APP_ORIGIN?.startsWith('https:') ?? false }),
    rateLimiter: redis ? createRedisRateLimiter(redis, env.REDIS_PREFIX) : createMemoryRateLimiter(),
    bus,
    logger,
    env: { NODE_ENV: env.NODE_ENV },
    async close() {
      runtimeConfig.close()
      await bus.close()
      await redis?.quit().catch(() => undefined)
      await db.$disconnect()
    },
  }
}
