// Fixed-window rate limits for login (per account and per IP). With Redis the counters are shared
// by every app instance; without it they live in this process.
import type { Redis } from 'ioredis'

export interface RateLimiter {
  /** Counts one hit on `key`; returns whether the caller is still within `limit` per `windowMs`. */
  hit(key: string, limit: number, windowMs: number): Promise<{ allowed: boolean; retryAfterMs: number }>
  /** Forgets a key (after a successful login the account's failures no longer count). */
  reset(key: string): Promise<void>
}

export function createMemoryRateLimiter(now: () => number = Date.now): RateLimiter {
  const windows = new Map<string, { count: number; resetAt: number }>()
  return {
    async hit(key, limit, windowMs) {
      const t = now()
      let w = windows.get(key)
      if (!w || w.resetAt <= t) {
        w = { count: 0, resetAt: t + windowMs }
        windows.set(key, w)
      }
      w.count++
      if (windows.size > 10_000) for (const [k, v] of windows) if (v.resetAt <= t) windows.delete(k)
      return { allowed: w.count <= limit, retryAfterMs: Math.max(0, w.resetAt - t) }
    },
    async reset(key) {
      windows.delete(key)
    },
  }
}

export function createRedisRateLimiter(redis: Redis, prefix = 'pulse8:'): RateLimiter {
  return {
    async hit(key, limit, windowMs) {
      const k = `${prefix}rl:${key}`
      const res = await redis.multi().incr(k).pexpire(k, windowMs, 'NX').pttl(k).exec()
      if (!res) throw new Error('rate limiter: redis transaction aborted')
      const count = Number(res[0]![1])
      const ttl = Number(res[2]![1])
      return { allowed: count <= limit, retryAfterMs: Math.max(0, ttl) }
    },
    async reset(key) {
      await redis.del(`${prefix}rl:${key}`)
    },
  }
}

export const LOGIN_LIMITS = {
  perAccount: { limit: 5, windowMs: 15 * 60_000 },
  perIp: { limit: 30, windowMs: 60_000 },
}
