import { describe, expect, test } from 'vitest'
import { builtInField, defaultConfig, buildConfigIndex, buildRecordSchema, type FieldDef } from '../../../server/config-language'
import { fieldPath, fromInputValue, inputsToRecord, recordToInputs, toInputValue } from '../../../app/components/crm/field-values'

const fields = buildConfigIndex(defaultConfig()).fields('customer')!
const def = (name: string) => fields.find((f) => f.name === name)!
const custom = (extra: Partial<FieldDef> & Pick<FieldDef, 'type'>): FieldDef => ({ name: 'x', label: 'X', builtIn: false, required: false, ...extra })

describe('form inputs ⇄ record values', () => {
  test('custom fields live under data., built-ins at the top', () => {
    expect(fieldPath(def('name'))).toBe('name')
    expect(fieldPath(def('tier'))).toBe('data.tier')
  })

  test('numbers: empty is null, numbers convert, junk is sent as typed for the schema to reject', () => {
    const currency = def('annualRevenue')
    expect(fromInputValue(currency, '')).toBeNull()
    expect(fromInputValue(currency, ' 2500.5 ')).toBe(2500.5)
    expect(fromInputValue(currency, 'lots')).toBe('lots')
    expect(toInputValue(currency, 1200)).toBe('1200')
  })

  test('datetimes go through the local input format and come back as the same instant', () => {
    const dt = custom({ type: 'datetime' })
    const iso = '2026-03-04T05:06:00.000Z'
    expect(fromInputValue(dt, toInputValue(dt, iso))).toBe(iso)
    expect(fromInputValue(dt, '')).toBeNull()
  })

  test('booleans, multiselects and blank text', () => {
    expect(fromInputValue(custom({ type: 'boolean' }), false)).toBe(false)
    expect(toInputValue(builtInField('customer', 'tags')!, null)).toEqual([])
    expect(fromInputValue(def('email'), '   ')).toBeNull()
  })

  test('a record becomes inputs with defaults on create, and the inputs validate with the config schema', () => {
    const inputs = recordToInputs(fields, { name: 'Acme' }, true)
    expect(inputs).toMatchObject({ name: 'Acme', email: '', tags: [], data: { tier: 'bronze', industry: '', annualRevenue: '' } })
    const record = inputsToRecord(fields, { ...inputs, data: { ...(inputs.data as object), annualRevenue: '10' } })
    const schema = buildRecordSchema(defaultConfig(), 'customer')
    const { createdAt, updatedAt, ...writable } = record as Record<string, unknown>
    void createdAt
    void updatedAt
    const parsed = schema.safeParse(writable)
    expect(parsed.success).toBe(true)
  })
})
