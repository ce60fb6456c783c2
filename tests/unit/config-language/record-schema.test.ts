import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import {
  buildConfigIndex,
  buildPartialRecordSchema,
  buildRecordSchema,
  readOnlyFieldsFor,
  RecordSchemaError,
  writableFields,
  type ConfigItem,
  type FieldDef,
} from '../../../server/config-language'
import { baseConfig, edit, remove } from './helpers'

/** The default config plus one custom customer field of every type. */
function configWithEveryType(): ConfigItem[] {
  const extra: Array<Partial<FieldDef> & Pick<FieldDef, 'name' | 'type'>> = [
    { name: 'nickname', type: 'text', min: 2, max: 10, pattern: '[A-Za-z ]+' },
    { name: 'notes', type: 'textarea', max: 20 },
    { name: 'score', type: 'number', min: 0, max: 10 },
    { name: 'budget', type: 'currency' },
    { name: 'share', type: 'percent', min: 0, max: 100 },
    { name: 'since', type: 'date' },
    { name: 'lastContact', type: 'datetime' },
    { name: 'active', type: 'boolean', required: true },
    {
      name: 'interests',
      type: 'multiselect',
      options: [
        { value: 'golf', label: 'Golf' },
        { value: 'sailing', label: 'Sailing' },
      ],
    },
    { name: 'website', type: 'url' },
    { name: 'backupEmail', type: 'email' },
    { name: 'fax', type: 'phone' },
    { name: 'accountManager', type: 'user' },
    { name: 'parent', type: 'lookup', lookupEntity: 'customer' },
    {
      name: 'region',
      type: 'select',
      required: true,
      options: [
        { value: 'emea', label: 'EMEA' },
        { value: 'apac', label: 'APAC' },
      ],
      default: 'emea',
    },
  ]
  return edit(baseConfig(), 'objects/customer/fields', (c) => {
    for (const f of extra) c.fields.push({ label: f.name, builtIn: false, required: false, ...f })
  })
}

const items = configWithEveryType()
const create = buildRecordSchema(items, 'customer')
const update = buildPartialRecordSchema(items, 'customer')
const valid = { name: 'Acme', data: { active: true } }

function issuesOf(schema: z.ZodType, value: unknown) {
  const r = schema.safeParse(value)
  return r.success ? [] : r.error.issues.map((i) => ({ path: i.path, message: i.message }))
}

describe('buildRecordSchema (create)', () => {
  it('accepts a minimal record and applies defaults', () => {
    const r = create.parse(valid)
    expect(r).toEqual({ name: 'Acme', data: { active: true, tier: 'bronze', region: 'emea' } })
  })

  it('applies built-in defaults at the top level', () => {
    const deal = buildRecordSchema(items, 'deal').parse({ name: 'Renewal', customerId: 'c1' })
    expect(deal).toEqual({ name: 'Renewal', customerId: 'c1', stage: 'qualification', data: {} })
    const kase = buildRecordSchema(items, 'case').parse({ subject: 'Help', customerId: 'c1' })
    expect(kase).toMatchObject({ status: 'new', priority: 'normal' })
  })

  it('reports required built-ins at [field] and required custom fields at [data, field]', () => {
    const issues = issuesOf(create, {})
    expect(issues).toHaveLength(2)
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: ['name'], message: 'Required' },
        { path: ['data', 'active'], message: 'Required' },
      ]),
    )
    expect(issuesOf(create, { name: '  ', data: { active: true } })).toEqual([{ path: ['name'], message: 'Required' }])
    expect(issuesOf(create, { name: 'x', data: { active: null } })).toEqual([{ path: ['data', 'active'], message: 'Required' }])
  })

  it('reports an invalid option at [data, tier]', () => {
    expect(issuesOf(create, { ...valid, data: { active: true, tier: 'platinum' } })).toEqual([
      { path: ['data', 'tier'], message: '"platinum" is not an option of tier (bronze, silver, gold)' },
    ])
  })

  it('rejects unknown keys in data and at the top level, at their own path', () => {
    expect(issuesOf(create, { ...valid, nickname: 'x', data: { active: true, shoeSize: 44 } })).toEqual([
      { path: ['data', 'shoeSize'], message: 'Unknown field shoeSize' },
      { path: ['nickname'], message: 'Unknown field nickname' },
    ])
  })

  it('rejects system fields: the server sets them', () => {
    expect(issuesOf(create, { ...valid, createdAt: '2024-01-01T00:00:00Z' })).toEqual([{ path: ['createdAt'], message: 'createdAt is set by the server' }])
  })

  it.each<[string, unknown, string | null]>([
    ['nickname', 'Bo', null],
    ['nickname', 'B', 'must be at least 2 characters'],
    ['nickname', 'Bartholomew Jr', 'must be at most 10 characters'],
    ['nickname', 'R2D2', 'must match the pattern [A-Za-z ]+'],
    ['nickname', 42, 'must be text'],
    ['notes', 'x'.repeat(21), 'must be at most 20 characters'],
    ['score', 10, null],
    ['score', 11, 'must be at most 10'],
    ['score', -1, 'must be at least 0'],
    ['score', '5', 'must be a number'],
    ['budget', 1234.5, null],
    ['budget', Number.NaN, 'must be a number'],
    ['share', 101, 'must be at most 100'],
    ['since', '2024-02-29', null],
    ['since', '2023-02-29', 'must be a date (YYYY-MM-DD)'],
    ['since', '2024-02-01T10:00:00Z', 'must be a date (YYYY-MM-DD)'],
    ['lastContact', '2024-02-01T10:00:00Z', null],
    ['lastContact', '2024-02-01T10:00:00+01:00', null],
    ['lastContact', '2024-02-01', 'must be a date and time (ISO 8601 with offset)'],
    ['active', false, null],
    ['active', 'yes', 'must be yes or no (true or false)'],
    ['interests', ['golf'], null],
    ['interests', ['golf', 'chess'], '"chess" is not an option of interests (golf, sailing)'],
    ['interests', ['golf', 'golf'], '"golf" is listed twice'],
    ['interests', 'golf', 'must be a list'],
    ['website', 'https://acme.test/about', null],
    ['website', 'ftp://acme.test', 'must be a web address starting with http:// or https://'],
    ['backupEmail', 'ops@acme.test', null],
    ['backupEmail', 'ops@', 'must be an email address, like name@example.com'],
    ['fax', '+49 (30) 123-456', null],
    ['fax', 'call me', 'must be a phone number'],
    ['accountManager', 'user_1', null],
    ['accountManager', 7, 'must be chosen from the list'],
    ['parent', 'cust_1', null],
    ['region', 'mars', '"mars" is not an option of region (emea, apac)'],
  ])('data.%s = %j → %s', (field, value, message) => {
    const data = { active: true, [field]: value }
    const issues = issuesOf(create, { name: 'Acme', data })
    expect(issues).toEqual(message === null ? [] : [{ path: ['data', field], message }])
  })

  it('validates built-in types too (email, tags)', () => {
    expect(issuesOf(create, { ...valid, email: 'nope' })).toEqual([{ path: ['email'], message: 'must be an email address, like name@example.com' }])
    expect(issuesOf(create, { ...valid, tags: ['vip', 'anything goes'] })).toEqual([])
    expect(issuesOf(create, { ...valid, tags: [''] })).toEqual([{ path: ['tags'], message: 'must be a tag of 1–50 characters' }])
  })

  it('stores blank optional values as null', () => {
    expect(create.parse({ ...valid, email: '', data: { active: true, since: ' ' } })).toMatchObject({ email: null, data: { since: null } })
  })

  it('keeps an explicit value over the default', () => {
    expect(create.parse({ ...valid, data: { active: true, tier: 'gold' } }).data.tier).toBe('gold')
  })

  it('can be built from an index as well as from items', () => {
    expect(buildRecordSchema(buildConfigIndex(items), 'customer').safeParse(valid).success).toBe(true)
  })

  it('throws when the entity has no valid objects item', () => {
    expect(() => buildRecordSchema(remove(baseConfig(), 'objects/case/fields'), 'case')).toThrow(RecordSchemaError)
  })
})

describe('buildRecordSchema with a form', () => {
  const form = buildRecordSchema(items, 'customer', 'default')

  it('accepts the fields on the form plus required ones', () => {
    expect(form.safeParse({ name: 'Acme', email: 'a@acme.test', data: { tier: 'gold', active: true } }).success).toBe(true)
    expect(writableFields(items, 'customer', { form: 'default' }).map((f) => f.name)).toEqual(
      expect.arrayContaining(['name', 'email', 'tier', 'industry', 'active', 'region']),
    )
  })

  it('rejects fields that are not on the form, naming the form', () => {
    expect(issuesOf(form, { ...valid, data: { active: true, nickname: 'Bo' } })).toEqual([
      { path: ['data', 'nickname'], message: 'nickname is not a field of this form' },
    ])
  })

  it('never relaxes required', () => {
    expect(issuesOf(form, { data: { active: true } })).toEqual([{ path: ['name'], message: 'Required' }])
  })

  it('accepts { form } options and throws on an unknown form', () => {
    expect(buildRecordSchema(items, 'customer', { form: 'default' }).safeParse(valid).success).toBe(true)
    expect(() => buildRecordSchema(items, 'customer', 'nope')).toThrow(/forms\/customer\/nope/)
  })

  it('lists the form fields read-only for a role', () => {
    expect(readOnlyFieldsFor(items, 'case', 'default', 'AGENT')).toEqual(['assignee'])
    expect(readOnlyFieldsFor(items, 'case', 'default', 'MANAGER')).toEqual([])
  })
})

describe('buildPartialRecordSchema (update)', () => {
  it('validates only the keys sent and adds no defaults', () => {
    expect(update.parse({ data: { score: 3 } })).toEqual({ data: { score: 3 } })
    expect(update.parse({ email: 'x@acme.test' })).toEqual({ email: 'x@acme.test' })
    expect(update.parse({})).toEqual({})
  })

  it('still checks types and options at the same paths', () => {
    expect(issuesOf(update, { data: { tier: 'platinum' } })).toEqual([
      { path: ['data', 'tier'], message: '"platinum" is not an option of tier (bronze, silver, gold)' },
    ])
    expect(issuesOf(update, { data: { nope: 1 } })).toEqual([{ path: ['data', 'nope'], message: 'Unknown field nope' }])
  })

  it('refuses to clear a required field', () => {
    expect(issuesOf(update, { name: '' })).toEqual([{ path: ['name'], message: 'Required' }])
    expect(issuesOf(update, { name: null })).toEqual([{ path: ['name'], message: 'Required' }])
    expect(issuesOf(update, { data: { active: null } })).toEqual([{ path: ['data', 'active'], message: 'Required' }])
  })

  it('lets an optional field be cleared', () => {
    expect(update.parse({ email: null, data: { industry: '' } })).toEqual({ email: null, data: { industry: null } })
  })
})
