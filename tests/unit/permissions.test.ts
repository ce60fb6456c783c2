import { describe, expect, it } from 'vitest'
import { can, ROLE_PERMISSIONS, ROLES } from '../../server/auth/permissions'

describe('permission table', () => {
  it('gives each role every right of the roles below it', () => {
    for (let i = 0; i < ROLES.length - 1; i++) {
      const higher = ROLE_PERMISSIONS[ROLES[i]!]
      const lower = ROLE_PERMISSIONS[ROLES[i + 1]!]
      for (const p of lower) expect(higher, `${ROLES[i]} should include ${p}`).toContain(p)
      expect(higher.length).toBeGreaterThan(lower.length)
    }
  })

  it('matches the product role table', () => {
    expect(can('ADMIN', 'studio:write')).toBe(true)
    expect(can('MANAGER', 'studio:write')).toBe(false)
    expect(can('MANAGER', 'studio:read')).toBe(true)
    expect(can('MANAGER', 'crm:delete')).toBe(true)
    expect(can('AGENT', 'crm:delete')).toBe(false)
    expect(can('AGENT', 'crm:write')).toBe(true)
    expect(can('VIEWER', 'crm:write')).toBe(false)
    expect(can('VIEWER', 'dashboard:read')).toBe(true)
    expect(can('MANAGER', 'tokens:manage')).toBe(false)
    expect(can('MANAGER', 'audit:read')).toBe(false)
  })
})
