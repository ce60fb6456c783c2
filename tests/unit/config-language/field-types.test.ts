import { describe, expect, it } from 'vitest'
import { FIELD_TYPES, formatsFor, isSortable, OPERATORS, operatorsFor, valueFits, type FieldDef, type FieldType } from '../../../server/config-language'

const def = (type: FieldType, extra: Partial<FieldDef> = {}): FieldDef => ({ name: 'f', label: 'F', type, builtIn: false, required: false, ...extra })
const priority = def('select', { options: ['low', 'normal', 'high', 'urgent'].map((value) => ({ value, label: value })) })
const interests = def('multiselect', { options: ['golf', 'sailing'].map((value) => ({ value, label: value })) })
const tags = def('multiselect', { options: [] })

describe('operatorsFor', () => {
  it('offers text search on text-like types', () => {
    for (const t of ['text', 'email', 'phone', 'url'] as const) {
      expect(operatorsFor(t)).toEqual(['eq', 'neq', 'in', 'notIn', 'contains', 'startsWith', 'isEmpty', 'isNotEmpty', 'changed', 'changedTo', 'changedFrom'])
    }
    expect(operatorsFor('textarea')).not.toContain('in')
    expect(operatorsFor('textarea')).toContain('contains')
  })

  it('offers ordering on numbers and dates, lists only on numbers', () => {
    for (const t of ['number', 'currency', 'percent', 'date', 'datetime'] as const) {
      expect(operatorsFor(t)).toEqual(expect.arrayContaining(['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'isEmpty', 'isNotEmpty', 'changed']))
      expect(operatorsFor(t)).not.toContain('contains')
    }
    expect(operatorsFor('number')).toContain('in')
    expect(operatorsFor('date')).not.toContain('in')
  })

  it('keeps booleans and choices to equality', () => {
    expect(operatorsFor('boolean')).toEqual(['eq', 'neq', 'isEmpty', 'isNotEmpty', 'changed', 'changedTo', 'changedFrom'])
    expect(operatorsFor('select')).toEqual(['eq', 'neq', 'in', 'notIn', 'isEmpty', 'isNotEmpty', 'changed', 'changedTo', 'changedFrom'])
    expect(operatorsFor('user')).not.toContain('gt')
    expect(operatorsFor('lookup')).not.toContain('contains')
  })

  it('treats a multiselect as a list', () => {
    expect(operatorsFor('multiselect')).toEqual(['contains', 'in', 'notIn', 'isEmpty', 'isNotEmpty', 'changed'])
  })

  it('covers every type with known operators', () => {
    for (const t of FIELD_TYPES) {
      expect(operatorsFor(t).length).toBeGreaterThan(0)
      for (const op of operatorsFor(t)) expect(OPERATORS).toContain(op)
    }
  })
})

describe('isSortable and formatsFor', () => {
  it('sorts everything but lists, long text and lookups', () => {
    expect(FIELD_TYPES.filter((t) => !isSortable(t))).toEqual(['textarea', 'multiselect', 'lookup'])
  })

  it('offers the natural format first', () => {
    expect(formatsFor('currency')[0]).toBe('currency')
    expect(formatsFor('select')[0]).toBe('badge')
    expect(formatsFor('datetime')).toContain('date')
    expect(formatsFor('text')).not.toContain('currency')
  })
})

describe('valueFits', () => {
  it('select values must be options', () => {
    expect(valueFits(priority, 'eq', 'urgent')).toBe(true)
    expect(valueFits(priority, 'eq', 'critical')).toBe(false)
    expect(valueFits(priority, 'in', ['low', 'urgent'])).toBe(true)
    expect(valueFits(priority, 'in', ['low', 'critical'])).toBe(false)
    expect(valueFits(priority, 'changedTo', 'urgent')).toBe(true)
  })

  it('numbers take numbers', () => {
    expect(valueFits(def('number'), 'gt', 5)).toBe(true)
    expect(valueFits(def('currency'), 'eq', 'abc')).toBe(false)
    expect(valueFits(def('percent'), 'in', [10, 20])).toBe(true)
    expect(valueFits(def('number'), 'in', [10, '20'])).toBe(false)
  })

  it('dates take ISO dates; date-times also accept a date', () => {
    expect(valueFits(def('date'), 'gt', '2024-02-29')).toBe(true)
    expect(valueFits(def('date'), 'gt', '2024-02-30')).toBe(false)
    expect(valueFits(def('date'), 'gt', '29.02.2024')).toBe(false)
    expect(valueFits(def('datetime'), 'lt', '2024-05-01T10:00:00Z')).toBe(true)
    expect(valueFits(def('datetime'), 'lt', '2024-05-01')).toBe(true)
    expect(valueFits(def('datetime'), 'lt', 'yesterday')).toBe(false)
  })

  it('text-like fields take any text (fragments are legitimate)', () => {
    expect(valueFits(def('email'), 'contains', '@acme')).toBe(true)
    expect(valueFits(def('text'), 'eq', 5)).toBe(false)
    expect(valueFits(def('text'), 'in', ['a', 'b'])).toBe(true)
  })

  it('booleans take booleans', () => {
    expect(valueFits(def('boolean'), 'eq', true)).toBe(true)
    expect(valueFits(def('boolean'), 'eq', 'true')).toBe(false)
  })

  it('multiselect contains an option; free tags take any tag', () => {
    expect(valueFits(interests, 'contains', 'golf')).toBe(true)
    expect(valueFits(interests, 'contains', 'chess')).toBe(false)
    expect(valueFits(tags, 'contains', 'anything')).toBe(true)
    expect(valueFits(interests, 'in', ['golf', 'sailing'])).toBe(true)
  })

  it('ids are non-empty strings', () => {
    expect(valueFits(def('user'), 'eq', 'u_1')).toBe(true)
    expect(valueFits(def('lookup', { lookupEntity: 'customer' }), 'eq', '')).toBe(false)
  })

  it('checks the shape the operator needs', () => {
    expect(valueFits(priority, 'isEmpty', undefined)).toBe(true)
    expect(valueFits(priority, 'isEmpty', 'x')).toBe(false)
    expect(valueFits(priority, 'changed', undefined)).toBe(true)
    expect(valueFits(priority, 'in', 'urgent')).toBe(false)
    expect(valueFits(priority, 'in', [])).toBe(false)
    expect(valueFits(priority, 'eq', ['urgent'])).toBe(false)
    expect(valueFits(priority, 'eq', undefined)).toBe(false)
  })
})
