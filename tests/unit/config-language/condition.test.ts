import { describe, expect, it } from 'vitest'
import {
  buildConfigIndex,
  ConditionEvaluationError,
  conditionSchema,
  defaultConfig,
  evaluateCondition,
  readField,
  writeField,
  type Condition,
  type EvaluationContext,
  type FieldDef,
} from '../../../server/config-language'

const index = buildConfigIndex(defaultConfig())
const caseFields = index.fields('case')!
const dealFields = index.fields('deal')!

const urgentCase = {
  id: 'c1',
  subject: 'Printer on fire',
  customerId: 'cu1',
  status: 'open',
  priority: 'urgent',
  assignee: null,
  description: '',
  tags: ['vip', 'printer'],
  createdAt: '2024-05-01T10:00:00Z',
  data: { channel: 'email', category: 'Hardware' },
}

const deal = {
  id: 'd1',
  name: 'Acme renewal',
  customerId: 'cu1',
  amount: 12000,
  stage: 'proposal',
  closeDate: '2024-06-30',
  tags: [],
  data: { discountPercent: 25, source: 'web' },
}

const onCase = (cond: Condition, ctx: EvaluationContext = {}) => evaluateCondition(cond, urgentCase, { fields: caseFields, ...ctx })
const onDeal = (cond: Condition, ctx: EvaluationContext = {}) => evaluateCondition(cond, deal, { fields: dealFields, ...ctx })

describe('readField: built-in fields at the top level, custom fields under data', () => {
  it('reads by field definition', () => {
    const priority = caseFields.find((f) => f.name === 'priority')!
    const channel = caseFields.find((f) => f.name === 'channel')!
    expect(readField(urgentCase, priority)).toBe('urgent')
    expect(readField(urgentCase, channel)).toBe('email')
  })

  it('reads by name with the entity deciding', () => {
    expect(readField(urgentCase, 'priority', 'case')).toBe('urgent')
    expect(readField(urgentCase, 'channel', 'case')).toBe('email')
    expect(readField(urgentCase, 'id', 'case')).toBe('c1')
  })

  it('reads by bare name: a top-level property wins, otherwise data', () => {
    expect(readField(urgentCase, 'subject')).toBe('Printer on fire')
    expect(readField(urgentCase, 'category')).toBe('Hardware')
    expect(readField(urgentCase, 'missing')).toBeUndefined()
    expect(readField({ id: 'x' }, 'tier')).toBeUndefined()
  })

  it('writes without mutating, in the same place it reads', () => {
    const channel = caseFields.find((f) => f.name === 'channel')!
    const status = caseFields.find((f) => f.name === 'status')!
    const next = writeField(writeField(urgentCase, channel, 'chat'), status, 'closed')
    expect(next.data).toEqual({ channel: 'chat', category: 'Hardware' })
    expect(next.status).toBe('closed')
    expect(urgentCase.data.channel).toBe('email')
  })
})

describe('evaluateCondition: operators', () => {
  it('eq / neq: exact for options, by value for numbers', () => {
    expect(onCase({ field: 'priority', op: 'eq', value: 'urgent' })).toBe(true)
    expect(onCase({ field: 'priority', op: 'eq', value: 'URGENT' })).toBe(false)
    expect(onCase({ field: 'priority', op: 'neq', value: 'low' })).toBe(true)
    expect(onCase({ field: 'priority', op: 'neq', value: 'urgent' })).toBe(false)
    expect(onDeal({ field: 'amount', op: 'eq', value: 12000 })).toBe(true)
    expect(onDeal({ field: 'discountPercent', op: 'eq', value: 25 })).toBe(true)
  })

  it('neq and notIn are true for an empty value; eq and in are false', () => {
    expect(onCase({ field: 'assignee', op: 'neq', value: 'u1' })).toBe(true)
    expect(onCase({ field: 'assignee', op: 'eq', value: 'u1' })).toBe(false)
    expect(onCase({ field: 'assignee', op: 'notIn', value: ['u1'] })).toBe(true)
    expect(onCase({ field: 'assignee', op: 'in', value: ['u1'] })).toBe(false)
  })

  it('gt / gte / lt / lte compare numbers numerically', () => {
    expect(onDeal({ field: 'discountPercent', op: 'gt', value: 20 })).toBe(true)
    expect(onDeal({ field: 'discountPercent', op: 'gt', value: 25 })).toBe(false)
    expect(onDeal({ field: 'discountPercent', op: 'gte', value: 25 })).toBe(true)
    expect(onDeal({ field: 'amount', op: 'lt', value: 9000 })).toBe(false)
    expect(onDeal({ field: 'amount', op: 'lte', value: 12000 })).toBe(true)
  })

  it('compares dates and date-times as instants, not strings', () => {
    expect(onDeal({ field: 'closeDate', op: 'gt', value: '2024-06-01' })).toBe(true)
    expect(onDeal({ field: 'closeDate', op: 'lt', value: '2024-07-01' })).toBe(true)
    // Same instant written with another offset.
    expect(onCase({ field: 'createdAt', op: 'eq', value: '2024-05-01T12:00:00+02:00' })).toBe(true)
    expect(onCase({ field: 'createdAt', op: 'gte', value: '2024-05-01' })).toBe(true)
    expect(onCase({ field: 'createdAt', op: 'lt', value: '2024-05-01T09:59:59Z' })).toBe(false)
  })

  it('ordered comparisons are false for empty values', () => {
    expect(evaluateCondition({ field: 'amount', op: 'gt', value: 0 }, { ...deal, amount: null }, { fields: dealFields })).toBe(false)
    expect(evaluateCondition({ field: 'amount', op: 'lt', value: 1 }, { ...deal, amount: null }, { fields: dealFields })).toBe(false)
  })

  it('in / notIn on single values', () => {
    expect(onCase({ field: 'status', op: 'in', value: ['new', 'open'] })).toBe(true)
    expect(onCase({ field: 'status', op: 'notIn', value: ['resolved', 'closed'] })).toBe(true)
    expect(onCase({ field: 'status', op: 'notIn', value: ['open'] })).toBe(false)
    expect(onDeal({ field: 'amount', op: 'in', value: [100, 12000] })).toBe(true)
  })

  it('multiselect: contains = has the option, in = has any of, notIn = has none of', () => {
    expect(onCase({ field: 'tags', op: 'contains', value: 'vip' })).toBe(true)
    expect(onCase({ field: 'tags', op: 'contains', value: 'vi' })).toBe(false)
    expect(onCase({ field: 'tags', op: 'in', value: ['billing', 'printer'] })).toBe(true)
    expect(onCase({ field: 'tags', op: 'in', value: ['billing'] })).toBe(false)
    expect(onCase({ field: 'tags', op: 'notIn', value: ['billing'] })).toBe(true)
    expect(onCase({ field: 'tags', op: 'notIn', value: ['vip'] })).toBe(false)
  })

  it('contains / startsWith on text ignore case', () => {
    expect(onCase({ field: 'subject', op: 'contains', value: 'ON FIRE' })).toBe(true)
    expect(onCase({ field: 'subject', op: 'startsWith', value: 'printer' })).toBe(true)
    expect(onCase({ field: 'subject', op: 'startsWith', value: 'fire' })).toBe(false)
    expect(onCase({ field: 'category', op: 'contains', value: 'ware' })).toBe(true)
    expect(onCase({ field: 'description', op: 'contains', value: 'x' })).toBe(false)
  })

  it('isEmpty / isNotEmpty: null, undefined, blank text and [] are empty', () => {
    expect(onCase({ field: 'assignee', op: 'isEmpty' })).toBe(true)
    expect(onCase({ field: 'description', op: 'isEmpty' })).toBe(true)
    expect(onDeal({ field: 'tags', op: 'isEmpty' })).toBe(true)
    expect(onDeal({ field: 'owner', op: 'isEmpty' })).toBe(true)
    expect(onCase({ field: 'tags', op: 'isNotEmpty' })).toBe(true)
    expect(onCase({ field: 'subject', op: 'isNotEmpty' })).toBe(true)
    expect(evaluateCondition({ field: 'subject', op: 'isEmpty' }, { ...urgentCase, subject: '   ' }, { fields: caseFields })).toBe(true)
  })

  it('booleans compare with eq / neq', () => {
    const fields: FieldDef[] = [{ name: 'vip', label: 'VIP', type: 'boolean', builtIn: false, required: false }]
    const rec = { data: { vip: false } }
    expect(evaluateCondition({ field: 'vip', op: 'eq', value: false }, rec, { fields })).toBe(true)
    expect(evaluateCondition({ field: 'vip', op: 'neq', value: true }, rec, { fields })).toBe(true)
    expect(evaluateCondition({ field: 'vip', op: 'isEmpty' }, rec, { fields })).toBe(false)
  })

  it('works without field definitions by inferring from the values', () => {
    expect(evaluateCondition({ field: 'amount', op: 'gt', value: 5 }, deal)).toBe(true)
    expect(evaluateCondition({ field: 'discountPercent', op: 'gte', value: 25 }, deal)).toBe(true)
    expect(evaluateCondition({ field: 'closeDate', op: 'lt', value: '2025-01-01' }, deal)).toBe(true)
    expect(evaluateCondition({ field: 'source', op: 'eq', value: 'web' }, deal, { entity: 'deal' })).toBe(true)
  })
})

describe('evaluateCondition: changed, changedTo, changedFrom', () => {
  const before = { ...urgentCase, priority: 'normal', data: { ...urgentCase.data } }

  it('changed compares with the previous record', () => {
    expect(onCase({ field: 'priority', op: 'changed' }, { previous: before })).toBe(true)
    expect(onCase({ field: 'status', op: 'changed' }, { previous: before })).toBe(false)
    expect(onCase({ field: 'tags', op: 'changed' }, { previous: { ...before, tags: ['printer', 'vip'] } })).toBe(false)
    expect(onCase({ field: 'channel', op: 'changed' }, { previous: { ...before, data: { channel: 'chat' } } })).toBe(true)
  })

  it('treats null, undefined and blank as the same "nothing"', () => {
    expect(onCase({ field: 'assignee', op: 'changed' }, { previous: { ...before, assignee: undefined } })).toBe(false)
    expect(onCase({ field: 'description', op: 'changed' }, { previous: { ...before, description: null } })).toBe(false)
  })

  it('changedTo: now equals the value and did not before', () => {
    expect(onCase({ field: 'priority', op: 'changedTo', value: 'urgent' }, { previous: before })).toBe(true)
    expect(onCase({ field: 'priority', op: 'changedTo', value: 'urgent' }, { previous: urgentCase })).toBe(false)
    expect(onCase({ field: 'priority', op: 'changedTo', value: 'high' }, { previous: before })).toBe(false)
  })

  it('changedFrom: equalled the value before and does not now', () => {
    expect(onCase({ field: 'priority', op: 'changedFrom', value: 'normal' }, { previous: before })).toBe(true)
    expect(onCase({ field: 'priority', op: 'changedFrom', value: 'urgent' }, { previous: before })).toBe(false)
  })

  it('are false without a previous record (a create)', () => {
    expect(onCase({ field: 'priority', op: 'changed' })).toBe(false)
    expect(onCase({ field: 'priority', op: 'changedTo', value: 'urgent' })).toBe(false)
    expect(onCase({ field: 'priority', op: 'changedFrom', value: 'normal' }, { previous: null })).toBe(false)
  })
})

describe('evaluateCondition: all, any, not, ref', () => {
  const urgent: Condition = { field: 'priority', op: 'eq', value: 'urgent' }
  const closed: Condition = { field: 'status', op: 'eq', value: 'closed' }

  it('all needs every child; all of nothing is true', () => {
    expect(onCase({ all: [urgent, { field: 'status', op: 'eq', value: 'open' }] })).toBe(true)
    expect(onCase({ all: [urgent, closed] })).toBe(false)
    expect(onCase({ all: [] })).toBe(true)
  })

  it('any needs one child; any of nothing is false', () => {
    expect(onCase({ any: [closed, urgent] })).toBe(true)
    expect(onCase({ any: [closed] })).toBe(false)
    expect(onCase({ any: [] })).toBe(false)
  })

  it('not negates', () => {
    expect(onCase({ not: closed })).toBe(true)
    expect(onCase({ not: { all: [urgent] } })).toBe(false)
  })

  it('ref evaluates a named condition (map or function resolver), nested', () => {
    const conditions = { 'is-urgent': urgent, 'urgent-and-open': { all: [{ ref: 'is-urgent' }, { not: closed }] } }
    expect(onCase({ ref: 'urgent-and-open' }, { conditions })).toBe(true)
    expect(onCase({ ref: 'is-urgent' }, { conditions: (k) => (k === 'is-urgent' ? closed : undefined) })).toBe(false)
    expect(onCase({ ref: 'is-urgent' }, { conditions: index.conditions('case') })).toBe(true)
  })

  it('throws on an unknown ref rather than answering "no match"', () => {
    expect(() => onCase({ ref: 'nope' }, { conditions: {} })).toThrow(ConditionEvaluationError)
    expect(() => onCase({ ref: 'toString' }, { conditions: {} })).toThrow(/unknown condition/)
  })

  it('throws on a ref cycle instead of looping', () => {
    const conditions: Record<string, Condition> = { a: { ref: 'b' }, b: { any: [closed, { ref: 'a' }] } }
    expect(() => onCase({ ref: 'a' }, { conditions })).toThrow(/cycle: a → b → a/)
  })
})

describe('conditionSchema', () => {
  it('accepts every node kind', () => {
    const tree: Condition = {
      all: [
        { any: [{ field: 'priority', op: 'in', value: ['high', 'urgent'] }, { ref: 'is-vip' }] },
        { not: { field: 'status', op: 'isEmpty' } },
        { field: 'amount', op: 'gte', value: 10 },
      ],
    }
    expect(conditionSchema.parse(tree)).toEqual(tree)
  })

  it.each<[unknown, (string | number)[], RegExp]>([
    [{ field: 'priority', op: 'equals', value: 'x' }, ['op'], /Invalid option/],
    [{ field: 'priority', op: 'eq' }, ['value'], /single value/],
    [{ field: 'priority', op: 'in', value: 'urgent' }, ['value'], /non-empty list/],
    [{ field: 'priority', op: 'in', value: [] }, ['value'], /non-empty list/],
    [{ field: 'priority', op: 'isEmpty', value: 'x' }, ['value'], /takes no value/],
    [{ field: 'priority', op: 'eq', value: 'x', extra: 1 }, [], /Unrecognized key/],
    [{ all: [{ field: 'a', op: 'eq', value: 1 }, { any: [{ field: 'Bad Name', op: 'eq', value: 1 }] }] }, ['all', 1, 'any', 0, 'field'], /field name/],
    [{ all: {} }, ['all'], /list of conditions/],
    [{ all: [], any: [] }, [], /no other keys/],
    [{ not: 'x' }, ['not'], /condition object/],
    [{ ref: 'Not A Key' }, ['ref'], /condition key/],
    [{ something: 1 }, [], /expected \{all\}/],
  ])('rejects %j at %j', (value, path, message) => {
    const r = conditionSchema.safeParse(value)
    expect(r.success).toBe(false)
    expect(r.error!.issues).toContainEqual(expect.objectContaining({ path, message: expect.stringMatching(message) }))
  })

  it('limits nesting depth', () => {
    let deep: Condition = { field: 'a', op: 'isEmpty' }
    for (let i = 0; i < 30; i++) deep = { not: deep }
    expect(conditionSchema.safeParse(deep).success).toBe(false)
  })
})
