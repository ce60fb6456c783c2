import { describe, expect, it } from 'vitest'
import {
  addressOf,
  BUILT_IN_FIELDS,
  buildConfigIndex,
  CONTENT_SCHEMAS,
  defaultConfig,
  ENTITIES,
  NAMESPACES,
  sortItems,
  validateConfigSet,
} from '../../../server/config-language'

describe('defaultConfig', () => {
  it('validates without errors or warnings', () => {
    expect(validateConfigSet(defaultConfig())).toEqual({ errors: [], warnings: [] })
  })

  it('parses with every namespace schema', () => {
    for (const item of defaultConfig()) expect(CONTENT_SCHEMAS[item.namespace].safeParse(item.content).success, addressOf(item)).toBe(true)
  })

  it('covers every namespace and entity, in snapshot order', () => {
    const items = defaultConfig()
    expect(new Set(items.map((i) => i.namespace))).toEqual(new Set(NAMESPACES))
    for (const e of ENTITIES) expect(items.map(addressOf)).toContain(`objects/${e}/fields`)
    expect(items.map(addressOf)).toEqual(sortItems(items).map(addressOf))
  })

  it('holds the built-ins and the documented custom fields', () => {
    const index = buildConfigIndex(defaultConfig())
    for (const e of ENTITIES) for (const f of BUILT_IN_FIELDS[e]) expect(index.field(e, f.name)).toEqual(f)
    expect(index.field('customer', 'tier')?.options?.map((o) => o.value)).toEqual(['bronze', 'silver', 'gold'])
    expect(index.field('customer', 'industry')?.type).toBe('text')
    expect(index.field('customer', 'annualRevenue')?.type).toBe('currency')
    expect(index.field('deal', 'discountPercent')?.type).toBe('percent')
    expect(index.field('deal', 'source')?.type).toBe('select')
    expect(index.field('case', 'channel')?.options?.map((o) => o.value)).toEqual(['email', 'chat', 'phone', 'web'])
    expect(index.field('case', 'category')?.type).toBe('text')
  })

  it('has the promised views, automation, approval and SLA policies', () => {
    const index = buildConfigIndex(defaultConfig())
    for (const a of ['views/customer/all', 'views/customer/gold', 'views/deal/open-pipeline', 'views/case/open-urgent', 'forms/deal/default'])
      expect(index.has(a), a).toBe(true)
    expect(index.content('automations', '-', 'escalate-urgent')).toMatchObject({
      entity: 'case',
      trigger: 'case-created',
      conditions: ['is-urgent'],
      actions: ['notify-managers', 'assign-agents'],
    })
    expect(index.content('approvals', 'deal', 'large-discount')).toMatchObject({
      when: { field: 'discountPercent', op: 'gt', value: 20 },
      steps: [{ approverRole: 'MANAGER' }],
      lockedFields: ['amount', 'discountPercent'],
    })
    const sla = Object.fromEntries(index.list('sla', 'case').map((p) => [p.key, p.content]))
    expect(sla.urgent).toMatchObject({ firstResponseMinutes: 30, resolutionMinutes: 240, businessHours: null })
    expect(sla.high).toMatchObject({ firstResponseMinutes: 60, resolutionMinutes: 480 })
    expect(sla.normal).toMatchObject({
      firstResponseMinutes: 240,
      resolutionMinutes: 1440,
      businessHours: { timeZone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' },
    })
    expect(sla.low).toMatchObject({ firstResponseMinutes: 480, resolutionMinutes: 4320 })
  })

  it('returns a fresh copy each time', () => {
    const fieldsOf = (items: ReturnType<typeof defaultConfig>) =>
      (items.find((i) => addressOf(i) === 'objects/case/fields')!.content as { fields: unknown[] }).fields
    fieldsOf(defaultConfig()).length = 0
    expect(fieldsOf(defaultConfig()).length).toBeGreaterThan(0)
  })
})
