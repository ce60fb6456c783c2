import { describe, expect, it } from 'vitest'
import { describeConfigDiff, diffConfigSets, type ConfigItem } from '../../../server/config-language'
import { baseConfig, edit, remove } from './helpers'

/** The sentences for the change `change` makes to the default config. */
function sentences(change: (items: ConfigItem[]) => ConfigItem[]): Record<string, string[]> {
  const before = baseConfig()
  const after = change(baseConfig())
  return describeConfigDiff(diffConfigSets(before, after), before, after)
}

const addLoyaltyId = (items: ConfigItem[]) =>
  edit(items, 'objects/customer/fields', (c) => c.fields.push({ name: 'loyaltyId', label: 'Loyalty ID', type: 'text' }))

describe('describeConfigDiff: forms', () => {
  it('names a placed field by its catalogue label and the section by its title, never by index', () => {
    const out = sentences((items) => edit(addLoyaltyId(items), 'forms/customer/default', (c) => c.sections[0].fields.push({ field: 'loyaltyId' })))
    expect(out['forms/customer/default']).toEqual(['Form Customer › Profile: added field Loyalty ID'])
    expect(out['objects/customer/fields']).toEqual(['Object Customer: added field Loyalty ID'])
    expect(JSON.stringify(out)).not.toMatch(/sections\[|fields\[/)
  })

  it('says removals with the removed field, sections, overrides and reorders', () => {
    const out = sentences((items) =>
      edit(items, 'forms/customer/default', (c) => {
        c.sections[0].fields.splice(2, 1) // email
        c.sections[0].fields[0].label = 'Full name'
        c.sections[1].fields.reverse()
        c.sections.push({ title: 'Loyalty', columns: 1, fields: [] })
      }),
    )
    expect(out['forms/customer/default']).toEqual([
      'Form Customer › Profile: removed field Email',
      'Form Customer › Profile: field Name: label override set to “Full name”',
      'Form Customer › Business: fields reordered',
      'Form Customer: added section Loyalty',
    ])
  })

  it('says a renamed section and a changed layout', () => {
    const out = sentences((items) =>
      edit(items, 'forms/customer/default', (c) => {
        c.sections[1].title = 'Company'
        c.sections[1].columns = 1
      }),
    )
    expect(out['forms/customer/default']).toEqual([
      'Form Customer › Company: layout changed from 2 to 1 columns',
      'Form Customer: section “Business” renamed to “Company”',
    ])
  })
})

describe('describeConfigDiff: views', () => {
  it('says columns, filters and sort with field labels and the view name', () => {
    const out = sentences((items) =>
      edit(items, 'views/customer/all', (c) => {
        c.columns = c.columns.filter((col: { field: string }) => col.field !== 'email')
        c.columns[0].width = 200
        c.filter = { field: 'tier', op: 'eq', value: 'gold' }
        c.sort[0].direction = 'desc'
        c.sort.push({ field: 'createdAt', direction: 'asc' })
        c.pageSize = 50
      }),
    )
    expect(out['views/customer/all']).toEqual([
      'View All customers: column Email removed',
      'View All customers: column Name: width set to 200',
      'View All customers: filter added',
      'View All customers: sort by Name now descending',
      'View All customers: sorted by Created (ascending)',
      // Settings without a sentence of their own come last.
      'View All customers: page size changed from 25 to 50',
    ])
  })
})

describe('describeConfigDiff: objects', () => {
  it('says options and field settings with the field label', () => {
    const out = sentences((items) =>
      edit(items, 'objects/customer/fields', (c) => {
        const tier = c.fields.find((f: { name: string }) => f.name === 'tier')
        tier.options.push({ value: 'platinum', label: 'Platinum' })
        tier.options[0].label = 'Bronze+'
        tier.required = true
      }),
    )
    expect(out['objects/customer/fields']).toEqual([
      'Field Customer › Tier: option Bronze+: label changed from “Bronze” to “Bronze+”',
      'Field Customer › Tier: option Platinum added',
      'Field Customer › Tier: now required',
    ])
  })

  it('names a removed field by its old label', () => {
    const out = sentences((items) =>
      edit(items, 'objects/customer/fields', (c) => (c.fields = c.fields.filter((f: { name: string }) => f.name !== 'industry'))),
    )
    expect(out['objects/customer/fields']).toEqual(['Object Customer: removed field Industry'])
  })
})

describe('describeConfigDiff: everything else', () => {
  it('falls back to settings in words, then to a count', () => {
    const one = sentences((items) => edit(items, 'automations/-/escalate-urgent', (c) => (c.actions[1] = 'notify-breach')))
    expect(one['automations/-/escalate-urgent']).toEqual(['Automation Escalate urgent cases: action 2 changed'])
    const flag = sentences((items) => edit(items, 'automations/-/escalate-urgent', (c) => (c.enabled = false)))
    expect(flag['automations/-/escalate-urgent']).toEqual(['Automation Escalate urgent cases: enabled changed from yes to no'])
    const many = sentences((items) =>
      edit(items, 'automations/-/escalate-urgent', (c) => {
        c.enabled = false
        c.order = 99
        c.trigger = 'case-updated'
        c.conditions = []
      }),
    )
    expect(many['automations/-/escalate-urgent']).toEqual(['Automation Escalate urgent cases: 4 settings changed'])
  })

  it('says a renamed item with both names, and whole items added or removed', () => {
    const out = sentences((items) =>
      remove(
        edit(items, 'views/customer/gold', (c) => (c.label = 'VIP customers')),
        'automations/-/escalate-urgent',
      ),
    )
    expect(out['views/customer/gold']).toEqual(['View Gold customers: renamed to “VIP customers”'])
    expect(out['automations/-/escalate-urgent']).toEqual(['Automation Escalate urgent cases removed'])
  })
})
