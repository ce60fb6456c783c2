// The rate limiter's interface over rate-limiter-flexible (in-process here; the Redis-backed one
// and its fallback are in tests/integration/security-redis-outage.test.ts), the login slow-down,
// and the client address behind TRUST_PROXY.
import { describe, expect, it } from 'vitest'
import { TooManyRequestsError } from '../../../server/kernel'
import { createRateLimiter, enforceLimit, LIMITS, loginSlowdownMs, type LimitRule } from '../../../server/auth/rate-limit'
import { clientAddress } from '../../../server/auth/client-address'
import { loadEnv } from '../../../server/env'

const rule: LimitRule = { name: 'unit', points: 3, durationSec: 60, what: 'unit hits' }

describe('rate limiter', () => {
  it('allows `points` hits per key, then refuses with a retry time; keys are independent', async () => {
    const l = createRateLimiter(null, 'unit:')
    for (let i = 1; i <= 3; i++) expect(await l.consume(rule, 'a')).toMatchObject({ allowed: true, consumed: i })
    const over = await l.consume(rule, 'a')
    expect(over.allowed).toBe(false)
    expect(over.retryAfterMs).toBeGreaterThan(0)
    expect(over.retryAfterMs).toBeLessThanOrEqual(60_000)
    expect((await l.consume(rule, 'b')).allowed).toBe(true)
  })

  it('peeks without counting, refunds one hit and resets a key', async () => {
    const l = createRateLimiter(null, 'unit:')
    expect(await l.peek(rule, 'k')).toMatchObject({ allowed: true, consumed: 0 })
    await l.consume(rule, 'k')
    await l.consume(rule, 'k')
    expect((await l.peek(rule, 'k')).consumed).toBe(2)
    await l.refund(rule, 'k')
    expect((await l.peek(rule, 'k')).consumed).toBe(1)
    await l.reset(rule, 'k')
    expect((await l.peek(rule, 'k')).consumed).toBe(0)
  })

  it('enforceLimit throws TooManyRequestsError with a retry-after message and delay', async () => {
    const l = createRateLimiter(null, 'unit:')
    for (let i = 0; i < 3; i++) await enforceLimit(l, rule, 'e')
    const err = await enforceLimit(l, rule, 'e').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(TooManyRequestsError)
    expect(err).toMatchObject({ kind: 'too_many_requests', message: expect.stringMatching(/^Too many unit hits; try again in \d+ s$/) })
    expect((err as TooManyRequestsError).retryAfterMs).toBeGreaterThan(0)
  })

  it('slows an account down past its failure ceiling, capped, and never below zero', () => {
    expect(loginSlowdownMs(0)).toBe(0)
    expect(loginSlowdownMs(LIMITS.loginAccount.points - 1)).toBe(0)
    expect(loginSlowdownMs(LIMITS.loginAccount.points)).toBeGreaterThan(0)
    expect(loginSlowdownMs(LIMITS.loginAccount.points + 5)).toBeGreaterThan(loginSlowdownMs(LIMITS.loginAccount.points))
    expect(loginSlowdownMs(10_000)).toBe(3_000)
  })
})

describe('client address', () => {
  it('ignores X-Forwarded-For unless proxies are trusted', () => {
    expect(clientAddress('10.0.0.9', '1.2.3.4', 0)).toBe('10.0.0.9')
    expect(clientAddress(undefined, undefined, 0)).toBe('unknown')
  })

  it('takes the address the Nth trusted proxy saw, and the first entry only when trusting all', () => {
    // client spoofs 6.6.6.6; the real client is 1.2.3.4; proxies 10.0.0.1 (outer) and 10.0.0.9 (inner, the socket)
    const xff = '6.6.6.6, 1.2.3.4, 10.0.0.1'
    expect(clientAddress('10.0.0.9', xff, 1)).toBe('10.0.0.1')
    expect(clientAddress('10.0.0.9', xff, 2)).toBe('1.2.3.4')
    expect(clientAddress('10.0.0.9', xff, Number.POSITIVE_INFINITY)).toBe('6.6.6.6')
    expect(clientAddress('10.0.0.9', ['1.2.3.4', '10.0.0.1'], 2)).toBe('1.2.3.4')
  })

  it('falls back to the socket address for an entry that is not an IP address', () => {
    expect(clientAddress('10.0.0.9', 'x'.repeat(500), 1)).toBe('10.0.0.9')
  })

  it('reads TRUST_PROXY as false (default), a hop count or true, and refuses anything else', () => {
    expect(loadEnv({}).TRUST_PROXY).toBe(0)
    expect(loadEnv({ TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(0)
    expect(loadEnv({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2)
    expect(loadEnv({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(Number.POSITIVE_INFINITY)
    expect(() => loadEnv({ TRUST_PROXY: 'yes' })).toThrow(/TRUST_PROXY/)
  })
})
