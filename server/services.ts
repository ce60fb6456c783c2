// Builds the long-lived dependencies of one process from the typed env.
import { Redis } from 'ioredis'
import type { Env } from './env'
import { createDb, type Db } from './db/client'
import type { QueryObserver } from './db/timed-pool'
import { createLucia, type Auth } from './auth/lucia'
import { createRateLimiter, type RateLimiter } from './auth/rate-limit'
import { createMemoryBus, createRedisBus, type EventBus } from './realtime/event-bus'
import type { Logger } from './logger'
import { createRuntimeConfigCache, type RuntimeConfigCache } from './config/runtime-config'
import type { AutomationDeps } from './automation/actions'
import { installSecretsKey, resolveSecretsKey } from './secrets/secrets-key'
import { createPrincipalCache, type PrincipalCache } from './auth/principal-cache'
import { createViewIndexes, type ViewIndexes } from './crm/view-indexes'

/** Long-lived dependencies, created once per process. */
export interface Services {
  db: Db
  auth: Auth
  rateLimiter: RateLimiter
  bus: EventBus
  runtimeConfig: RuntimeConfigCache
  /** Who credentials are, for a moment (server/auth/principal-cache.ts); told of every access change. */
  principals: PrincipalCache
  /** Expression indexes of published views, kept after each publish (server/crm/view-indexes.ts). */
  viewIndexes: ViewIndexes
  logger: Logger
  /** What other domains plug into the automation engine (the approvals domain's requestApproval). */
  automationHooks?: Pick<AutomationDeps, 'requestApproval'>
  env: Pick<Env, 'NODE_ENV'> & Partial<Pick<Env, 'TRUST_PROXY' | 'WEBHOOK_ALLOW_PRIVATE' | 'WEBHOOK_RETRY_BASE_MS'>>
}

export type ServiceHandle = Services & { close(): Promise<void> }

/**
 * `secretsKey`: the tenant secrets' key, resolved by main.ts at start (decision 019); without it
 * (tests, scripts) the key is resolved from the env on first use.
 */
export function createServices(env: Env, databaseUrl: string, logger: Logger, opts: { secretsKey?: Buffer; onQuery?: QueryObserver } = {}): ServiceHandle {
  installSecretsKey(opts.secretsKey ?? (() => resolveSecretsKey(env)))
  const db = createDb(databaseUrl, { logger, slowQueryMs: env.SLOW_QUERY_MS, onQuery: opts.onQuery })
  // Rate limits only: a dead Redis must fail a command at once (no offline queue, a short timeout)
  // so the limiter's per-process insurance answers instead of the request hanging or failing.
  const redis = env.REDIS_URL
    ? new Redis(env.REDIS_URL, {
        maxRetriesPerRequest: 1,
        enableOfflineQueue: false,
        commandTimeout: 500,
        connectTimeout: 2_000,
        retryStrategy: (n) => Math.min(50 * 2 ** n, 2_000),
      })
    : null
  redis?.on('error', (err) => logger.debug('redis error', { error: String(err) }))
  const bus = env.REDIS_URL ? createRedisBus(env.REDIS_URL, logger, env.REDIS_PREFIX) : createMemoryBus()
  const runtimeConfig = createRuntimeConfigCache({ db, bus })
  const principals = createPrincipalCache(bus)
  const viewIndexes = createViewIndexes(db, logger)
  return {
    db,
    runtimeConfig,
    principals,
    viewIndexes,
    // Secure cookies when the site is served over HTTPS, not merely in production: `npm start` on
    // http://localhost must still sign in. Behind a TLS proxy, set APP_ORIGIN=https://….
    auth: createLucia(db, { secureCookies: env.APP_ORIGIN?.startsWith('https:') ?? false }),
    rateLimiter: createRateLimiter(redis, env.REDIS_PREFIX),
    bus,
    logger,
    env: {
      NODE_ENV: env.NODE_ENV,
      TRUST_PROXY: env.TRUST_PROXY,
      WEBHOOK_ALLOW_PRIVATE: env.WEBHOOK_ALLOW_PRIVATE,
      WEBHOOK_RETRY_BASE_MS: env.WEBHOOK_RETRY_BASE_MS,
    },
    async close() {
      runtimeConfig.close()
      principals.close()
      await viewIndexes.idle()
      await bus.close()
      // quit() waits for a reply a dead Redis never sends; disconnect() does not.
      if (redis?.status === 'ready') await redis.quit().catch(() => undefined)
      else redis?.disconnect()
      await db.$disconnect()
    },
  }
}
