// Rate limits (decision 012). With Redis the counters are shared by every app instance; when Redis
// is unreachable each limiter falls back to a per-process one (rate-limiter-flexible's insurance
// limiter), so an outage loosens the limits to "per instance" instead of failing every sign-in.
// Callers see only the small `RateLimiter` interface and the named rules below.
import type { Redis } from 'ioredis'
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible'
import { TooManyRequestsError } from '../kernel'

/** A named limit: at most `points` hits per key within `durationSec`. */
export interface LimitRule {
  name: string
  points: number
  durationSec: number
  /** Completes "Too many … ; try again in N s". */
  what: string
}

export interface LimitResult {
  allowed: boolean
  /** Hits counted in the current window (including this one for `consume`). */
  consumed: number
  retryAfterMs: number
}

export interface RateLimiter {
  /** Counts one hit on `key` under `rule`. */
  consume(rule: LimitRule, key: string): Promise<LimitResult>
  /** Reads the count without adding to it. */
  peek(rule: LimitRule, key: string): Promise<LimitResult>
  /** Takes one hit back (a request that turned out fine should not count against its address). */
  refund(rule: LimitRule, key: string): Promise<void>
  /** Forgets the key. */
  reset(rule: LimitRule, key: string): Promise<void>
}

const MINUTE = 60

export const LIMITS = {
  /** Failed sign-ins per account and address: the only lock, and it binds the failing address alone. */
  loginPair: { name: 'login-pair', points: 5, durationSec: 15 * MINUTE, what: 'sign-in attempts' },
  /** Sign-in attempts per address across every account (successes are refunded). */
  loginAddress: { name: 'login-address', points: 50, durationSec: 15 * MINUTE, what: 'sign-in attempts' },
  /**
   * Failed sign-ins per account from every address. Past this, sign-ins to the account are slowed
   * down (loginSlowdownMs), never refused: a third party must not be able to lock the owner out.
   */
  loginAccount: { name: 'login-account', points: 20, durationSec: 60 * MINUTE, what: 'sign-in attempts' },
  /** New accounts per address. */
  register: { name: 'register', points: 10, durationSec: 60 * MINUTE, what: 'sign-ups' },
  /** Current-password attempts per user (a stolen session must not become a password oracle). */
  changePassword: { name: 'change-password', points: 5, durationSec: 15 * MINUTE, what: 'password attempts' },
  /** API tokens created per tenant and actor. */
  tokenCreate: { name: 'token-create', points: 20, durationSec: 60 * MINUTE, what: 'new tokens' },
  /** Messages ingested per tenant and source (limitIngestion; the inbox endpoint will call it). */
  ingest: { name: 'ingest', points: 600, durationSec: MINUTE, what: 'messages' },
} as const satisfies Record<string, LimitRule>

/** Delay before checking a password once the account's failures passed loginAccount: grows, capped. */
export function loginSlowdownMs(accountFailures: number): number {
  const over = accountFailures - LIMITS.loginAccount.points
  return over < 0 ? 0 : Math.min(3_000, 250 * (over + 1))
}

/** `redis` null: every limit lives in this process. */
export function createRateLimiter(redis: Redis | null, prefix = 'pulse8:'): RateLimiter {
  const limiters = new Map<string, RateLimiterAbstract>()
  const limiterOf = (rule: LimitRule) => {
    let l = limiters.get(rule.name)
    if (!l) {
      const opts = { keyPrefix: `${prefix}rl:${rule.name}`, points: rule.points, duration: rule.durationSec }
      const memory = new RateLimiterMemory(opts)
      l = redis
        ? new RateLimiterRedis({
            ...opts,
            storeClient: redis,
            // A disconnected client answers from the insurance limiter at once instead of queueing.
            rejectIfRedisNotReady: true,
            insuranceLimiter: memory,
          })
        : memory
      limiters.set(rule.name, l)
    }
    return l
  }
  const resultOf = (res: RateLimiterRes, rule: LimitRule): LimitResult => ({
    allowed: res.consumedPoints <= rule.points,
    consumed: res.consumedPoints,
    retryAfterMs: Math.max(0, res.msBeforeNext),
  })
  return {
    async consume(rule, key) {
      try {
        return resultOf(await limiterOf(rule).consume(key), rule)
      } catch (err) {
        // The library rejects with the result when the limit is exceeded.
        if (err instanceof RateLimiterRes) return resultOf(err, rule)
        throw err
      }
    },
    async peek(rule, key) {
      const res = await limiterOf(rule).get(key)
      return res ? resultOf(res, rule) : { allowed: true, consumed: 0, retryAfterMs: 0 }
    },
    async refund(rule, key) {
      await limiterOf(rule).reward(key, 1)
    },
    async reset(rule, key) {
      await limiterOf(rule).delete(key)
    },
  }
}

/** The kernel's rate-limit error; the API layer turns its `retryAfterMs` into a Retry-After header. */
export function tooManyRequests(rule: LimitRule, retryAfterMs: number): TooManyRequestsError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000))
  return new TooManyRequestsError(`Too many ${rule.what}; try again in ${seconds} s`, retryAfterMs)
}

/** Counts one hit and throws TooManyRequestsError when `key` is over `rule`. */
export async function enforceLimit(limiter: RateLimiter, rule: LimitRule, key: string): Promise<void> {
  const r = await limiter.consume(rule, key)
  if (!r.allowed) throw tooManyRequests(rule, r.retryAfterMs)
}

/**
 * Token creation, per tenant and the person the new token acts for (a token made by a token acts for
 * its creator's person), so a chain of tokens shares one budget.
 */
export function limitTokenCreation(limiter: RateLimiter, tenantId: string, personId: string | null): Promise<void> {
  return enforceLimit(limiter, LIMITS.tokenCreate, `${tenantId}:user:${personId ?? 'unknown'}`)
}

/**
 * Message ingestion (email, web forms, webhooks), per tenant and source. No endpoint exists yet:
 * the inbox's ingestion endpoint must call this before storing a message.
 */
export function limitIngestion(limiter: RateLimiter, tenantId: string, source: string): Promise<void> {
  return enforceLimit(limiter, LIMITS.ingest, `${tenantId}:${source}`)
}
