import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { scopeArgs, TENANT_OWNED_MODELS } from '../../server/db/tenant-db'

function modelsWithTenantId(schema: string): string[] {
  const models: string[] = []
  for (const m of schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    if (/^\s+tenantId\s/m.test(m[2]!)) models.push(m[1]!)
  }
  return models
}

describe('tenant-scoped client', () => {
  const schema = readFileSync('prisma/schema.prisma', 'utf8')

  it('scopes exactly the models that have a tenantId column', () => {
    expect(new Set(modelsWithTenantId(schema))).toEqual(TENANT_OWNED_MODELS)
  })

  // Deliberate exceptions, each with its reason.
  const CROSS_TENANT_INDEXES: Record<string, string> = {
    'Membership @@index([userId': "sign-in lists a user's tenants, a lookup across tenants by nature",
    'Invitation @@index([email': "a person's own pending invitations, a lookup across tenants by nature",
    // GIN cannot lead with tenantId without btree_gin; queries always also filter on tenantId
    // (docs/decisions/007-views-in-sql.md).
    'Customer @@index([data': 'GIN over custom fields (jsonb_path_ops) for view filters',
    'Deal @@index([data': 'GIN over custom fields (jsonb_path_ops) for view filters',
    'Case @@index([data': 'GIN over custom fields (jsonb_path_ops) for view filters',
    // Automation workers claim events of every tenant, oldest first (docs/decisions/018-automation-outbox.md).
    'OutboxEvent @@unique([seq': 'the global order of events, claimed across tenants',
    'OutboxEvent @@index([status': 'the claim index of workers serving every tenant',
    // SLA timers fire for every tenant (docs/decisions/022-approvals-sla.md).
    'CaseSla @@index([nextTimerAt': 'the SLA scanner claims due timers across tenants',
    // Trigram search (docs/decisions/029-views-at-scale.md): GIN again, one per searched column.
    'Customer @@index([name': 'trigram GIN for free-text search',
    'Customer @@index([email': 'trigram GIN for free-text search',
    'Customer @@index([company': 'trigram GIN for free-text search',
    'Customer @@index([phone': 'trigram GIN for free-text search',
    'Deal @@index([name': 'trigram GIN for free-text search',
    'Case @@index([subject': 'trigram GIN for free-text search',
    // Expression indexes are shared by tenants: whether any still uses one is asked across them.
    'ViewIndexUse @@index([indexName': 'whether any tenant still uses a shared view index',
  }

  it('leads every primary key, unique key and index of tenant-owned models with tenantId', () => {
    for (const m of schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
      if (!TENANT_OWNED_MODELS.has(m[1]!)) continue
      const keys = [...m[2]!.matchAll(/@@(id|unique|index)\(\[(\w+)/g)]
      const tenantIsId = /^\s+tenantId\s+String\s+@id\b/m.test(m[2]!)
      expect(keys.length > 0 || tenantIsId, `${m[1]} has a primary key`).toBe(true)
      for (const k of keys) {
        if (CROSS_TENANT_INDEXES[`${m[1]} @@${k[1]}([${k[2]}`]) continue
        expect(k[2], `${m[1]} @@${k[1]}`).toBe('tenantId')
      }
      for (const line of m[2]!.matchAll(/^\s+(\w+)\s.*(?<!@)@(id|unique)\b/gm)) {
        expect(line[1], `${m[1]}.${line[1]}: a single-column key must be tenantId`).toBe('tenantId')
      }
    }
  })

  it('adds the tenant to every where and forces it into every create', () => {
    expect(scopeArgs('findMany', { where: { tenantId: 'other', id: 'x' } }, 't1')).toEqual({ where: { tenantId: 't1', id: 'x' } })
    expect(scopeArgs('count', undefined, 't1')).toEqual({ where: { tenantId: 't1' } })
    expect(scopeArgs('create', { data: { tenantId: 'other', name: 'n' } }, 't1')).toEqual({ data: { tenantId: 't1', name: 'n' } })
    expect(scopeArgs('createMany', { data: [{ a: 1 }, { a: 2, tenantId: 'x' }] }, 't1')).toEqual({
      data: [
        { a: 1, tenantId: 't1' },
        { a: 2, tenantId: 't1' },
      ],
    })
    expect(scopeArgs('upsert', { where: { id: 'x' }, create: { id: 'x' }, update: {} }, 't1')).toEqual({
      where: { id: 'x', tenantId: 't1' },
      create: { id: 'x', tenantId: 't1' },
      update: {},
    })
    expect(scopeArgs('deleteMany', { where: { id: 'x' } }, 't1')).toEqual({ where: { id: 'x', tenantId: 't1' } })
  })

  it('refuses operations it does not know how to scope', () => {
    expect(() => scopeArgs('$queryRawUnsafe', {}, 't1')).toThrow(/not tenant-scoped/)
  })
})
