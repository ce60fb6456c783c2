import { describe, expect, it } from 'vitest'
import { EnvError, loadEnv, shouldSeedDemo } from '../../server/env'

describe('loadEnv', () => {
  it('applies defaults for an empty environment', () => {
    const env = loadEnv({})
    expect(env.PORT).toBe(3000)
    expect(env.DATABASE_URL).toBeUndefined()
    expect(env.NODE_ENV).toBe('development')
    expect(shouldSeedDemo(env)).toBe(true)
  })

  it('treats empty strings as unset', () => {
    expect(loadEnv({ DATABASE_URL: '', PORT: '' }).PORT).toBe(3000)
  })

  it('refuses a malformed setting with one readable line naming it', () => {
    const attempt = () => loadEnv({ PORT: 'eighty', DATABASE_URL: 'mysql://x' })
    expect(attempt).toThrow(EnvError)
    try {
      attempt()
    } catch (err) {
      const message = (err as Error).message
      expect(message).not.toContain('\n')
      expect(message).toMatch(/PORT/)
      expect(message).toMatch(/DATABASE_URL/)
    }
  })

  it('keeps the automation lease at 60 s unless set, and refuses one under a second', () => {
    expect(loadEnv({}).AUTOMATION_LEASE_MS).toBe(60_000)
    expect(loadEnv({ AUTOMATION_LEASE_MS: '5000' }).AUTOMATION_LEASE_MS).toBe(5_000)
    expect(() => loadEnv({ AUTOMATION_LEASE_MS: '500' })).toThrow(/AUTOMATION_LEASE_MS/)
  })

  it('does not seed demo data into a production PostgreSQL unless asked', () => {
    const pg = 'postgresql://u@db.example:5432/crm'
    expect(shouldSeedDemo(loadEnv({ NODE_ENV: 'production', DATABASE_URL: pg }))).toBe(false)
    expect(shouldSeedDemo(loadEnv({ NODE_ENV: 'production', DATABASE_URL: pg, SEED_DEMO: 'true' }))).toBe(true)
  })

  it("seeds the embedded database in production (a fresh clone's npm start) unless told not to", () => {
    expect(shouldSeedDemo(loadEnv({ NODE_ENV: 'production' }))).toBe(true)
    expect(shouldSeedDemo(loadEnv({ NODE_ENV: 'production', SEED_DEMO: 'false' }))).toBe(false)
  })
})
