import { describe, expect, it } from 'vitest'
import {
  actionContentSchema,
  approvalContentSchema,
  automationContentSchema,
  conditionContentSchema,
  configItemSchema,
  cronProblem,
  fieldDefSchema,
  formContentSchema,
  objectsContentSchema,
  parseContent,
  slaContentSchema,
  triggerContentSchema,
  viewContentSchema,
} from '../../../server/config-language'
import type { z } from 'zod'

function pathsOf(schema: z.ZodType, value: unknown): (string | number)[][] {
  const r = schema.safeParse(value)
  return r.success ? [] : r.error.issues.map((i) => i.path as (string | number)[])
}

describe('objects: field definitions', () => {
  const ok = { name: 'tier', label: 'Tier', type: 'select', options: [{ value: 'gold', label: 'Gold' }] }

  it('accepts a field and fills builtIn/required with false', () => {
    expect(fieldDefSchema.parse(ok)).toEqual({ ...ok, builtIn: false, required: false })
  })

  it.each<[string, Record<string, unknown>, (string | number)[]]>([
    ['a typo in a key', { ...ok, requird: true }, []],
    ['a bad name', { ...ok, name: 'Tier Level' }, ['name']],
    ['an unknown type', { ...ok, type: 'colour' }, ['type']],
    ['a select without options', { name: 'x', label: 'X', type: 'select' }, ['options']],
    ['options on a number', { name: 'x', label: 'X', type: 'number', options: [] }, ['options']],
    [
      'a duplicate option',
      {
        ...ok,
        options: [
          { value: 'a', label: 'A' },
          { value: 'a', label: 'B' },
        ],
      },
      ['options', 1, 'value'],
    ],
    ['a lookup without entity', { name: 'x', label: 'X', type: 'lookup' }, ['lookupEntity']],
    ['lookupEntity on text', { name: 'x', label: 'X', type: 'text', lookupEntity: 'deal' }, ['lookupEntity']],
    ['min on a date', { name: 'x', label: 'X', type: 'date', min: 1 }, ['min']],
    ['a fractional text length', { name: 'x', label: 'X', type: 'text', max: 2.5 }, ['max']],
    ['min above max', { name: 'x', label: 'X', type: 'number', min: 5, max: 1 }, ['max']],
    ['a pattern on a number', { name: 'x', label: 'X', type: 'number', pattern: '\\d+' }, ['pattern']],
  ])('rejects %s', (_name, value, path) => {
    expect(pathsOf(fieldDefSchema, value)).toContainEqual(path)
  })

  it('allows a multiselect without options (free tagging)', () => {
    expect(fieldDefSchema.safeParse({ name: 'labels', label: 'Labels', type: 'multiselect' }).success).toBe(true)
  })

  it('catches a typo at the top level of the objects item', () => {
    expect(pathsOf(objectsContentSchema, { feilds: [] })).toEqual(expect.arrayContaining([['fields'], []]))
  })
})

describe('forms and views', () => {
  const form = {
    label: 'F',
    sections: [{ title: 'S', columns: 2, fields: [{ field: 'name', readOnlyFor: ['AGENT'], visibleWhen: { field: 'name', op: 'isNotEmpty' } }] }],
  }
  const view = { label: 'V', columns: [{ field: 'name', width: 200, format: 'text' }], sort: [{ field: 'name', direction: 'asc' }], pageSize: 25 }

  it('accepts valid content', () => {
    expect(formContentSchema.safeParse(form).success).toBe(true)
    expect(viewContentSchema.safeParse({ ...view, filter: { any: [] }, visibleTo: ['MANAGER'] }).success).toBe(true)
  })

  it.each<[string, z.ZodType, unknown, (string | number)[]]>([
    ['three columns', formContentSchema, { ...form, sections: [{ ...form.sections[0], columns: 3 }] }, ['sections', 0, 'columns']],
    [
      'an unknown role',
      formContentSchema,
      { ...form, sections: [{ ...form.sections[0], fields: [{ field: 'name', readOnlyFor: ['GUEST'] }] }] },
      ['sections', 0, 'fields', 0, 'readOnlyFor', 0],
    ],
    ['no sections', formContentSchema, { ...form, sections: [] }, ['sections']],
    ['page size 0', viewContentSchema, { ...view, pageSize: 0 }, ['pageSize']],
    ['page size 201', viewContentSchema, { ...view, pageSize: 201 }, ['pageSize']],
    ['a bad direction', viewContentSchema, { ...view, sort: [{ field: 'name', direction: 'up' }] }, ['sort', 0, 'direction']],
    ['an unknown format', viewContentSchema, { ...view, columns: [{ field: 'name', format: 'emoji' }] }, ['columns', 0, 'format']],
    ['a bad filter', viewContentSchema, { ...view, filter: { field: 'name', op: 'like', value: 'x' } }, ['filter', 'op']],
    ['a role twice', viewContentSchema, { ...view, visibleTo: ['ADMIN', 'ADMIN'] }, ['visibleTo', 1]],
  ])('rejects %s', (_name, schema, value, path) => {
    expect(pathsOf(schema, value)).toContainEqual(path)
  })
})

describe('triggers and conditions', () => {
  it.each([
    { event: 'record.created' },
    { event: 'record.updated', fields: ['status'] },
    { event: 'schedule', cron: '*/15 8-18 * * 1-5', timeZone: 'Europe/Berlin' },
    { event: 'approval.decided' },
  ])('accepts %j', (t) => expect(triggerContentSchema.safeParse(t).success).toBe(true))

  it.each<[unknown, (string | number)[]]>([
    [{ event: 'record.touched' }, ['event']],
    [{ event: 'schedule' }, ['cron']],
    [{ event: 'record.created', cron: '* * * * *' }, ['cron']],
    [{ event: 'record.created', timeZone: 'UTC' }, ['timeZone']],
    [{ event: 'record.updated', fields: [] }, ['fields']],
    [{ event: 'schedule', cron: '0 9 * * *', timeZone: 'Mars/Olympus' }, ['timeZone']],
  ])('rejects %j', (t, path) => expect(pathsOf(triggerContentSchema, t)).toContainEqual(path))

  it('reads five-field cron expressions', () => {
    expect(cronProblem('0 9 * * 1-5')).toBeNull()
    expect(cronProblem('0,30 */2 1 1,6 0')).toBeNull()
    expect(cronProblem('0 9 * *')).toMatch(/five fields/)
    expect(cronProblem('0 24 * * *')).toMatch(/hour/)
    expect(cronProblem('0 9 * * 5-1')).toMatch(/backwards/)
    expect(cronProblem('0 9 * * MON')).toMatch(/day of week/)
    expect(cronProblem('*/0 * * * *')).toMatch(/step/)
  })

  it('a named condition needs a valid tree', () => {
    expect(conditionContentSchema.safeParse({ label: 'Urgent', when: { field: 'priority', op: 'eq', value: 'urgent' } }).success).toBe(true)
    expect(pathsOf(conditionContentSchema, { when: { all: [{ op: 'eq' }] } })).toContainEqual(['when', 'all', 0, 'field'])
  })
})

describe('actions', () => {
  it.each([
    { type: 'setField', field: 'status', value: 'open' },
    { type: 'setField', field: 'assignee', value: null },
    { type: 'assign', to: { userId: 'u1' } },
    { type: 'assign', to: { roundRobinRole: 'AGENT' } },
    { type: 'addTag', tag: 'vip' },
    { type: 'createRecord', entity: 'case', values: { subject: 'Hi', customerId: { copyFrom: 'id' } } },
    { type: 'notify', roles: ['MANAGER'], message: 'Hello {{name}}' },
    { type: 'webhook', url: 'https://hooks.example.com/x', secretRef: 'CRM_HOOK', retries: 3 },
    { type: 'requestApproval', approval: 'large-discount' },
  ])('accepts $type', (a) => expect(actionContentSchema.safeParse(a).success).toBe(true))

  it.each<[unknown, (string | number)[]]>([
    [{ type: 'launchRocket' }, ['type']],
    [{ type: 'setField', field: 'status' }, ['value']],
    [{ type: 'assign', to: { team: 'x' } }, ['to']],
    [{ type: 'addTag', tag: '' }, ['tag']],
    [{ type: 'createRecord', entity: 'invoice', values: {} }, ['entity']],
    [{ type: 'notify', message: 'nobody hears this' }, []],
    [{ type: 'webhook', url: 'http://x.test', retries: -1 }, ['retries']],
    [{ type: 'webhook', url: 'javascript:alert(1)', retries: 0 }, ['url']],
    [{ type: 'requestApproval', approval: 'Big Discount' }, ['approval']],
    [{ type: 'addTag', tag: 'x', colour: 'red' }, []],
  ])('rejects %j', (a, path) => expect(pathsOf(actionContentSchema, a)).toContainEqual(path))
})

describe('automations, approvals, SLA', () => {
  const automation = { label: 'A', entity: 'case', trigger: 't', conditions: [], actions: ['a'], enabled: true, order: 1 }
  const approval = { label: 'P', when: { all: [] }, steps: [{ approverRole: 'MANAGER' }], lockedFields: ['amount'] }
  const sla = { label: 'S', when: { all: [] }, firstResponseMinutes: 30, resolutionMinutes: 240, businessHours: null, warnAtPercent: 80 }

  it('accepts valid content', () => {
    expect(automationContentSchema.safeParse(automation).success).toBe(true)
    expect(
      approvalContentSchema.safeParse({ ...approval, steps: [{ approverUserIds: ['u1', 'u2'] }, { approverRole: 'ADMIN' }], onApprove: ['x'] }).success,
    ).toBe(true)
    expect(slaContentSchema.safeParse({ ...sla, businessHours: { timeZone: 'Asia/Tokyo', days: [1, 2], start: '08:30', end: '18:00' } }).success).toBe(true)
  })

  it.each<[string, z.ZodType, unknown, (string | number)[]]>([
    ['no actions', automationContentSchema, { ...automation, actions: [] }, ['actions']],
    ['a fractional order', automationContentSchema, { ...automation, order: 1.5 }, ['order']],
    ['no entity', automationContentSchema, { ...automation, entity: undefined }, ['entity']],
    ['no steps', approvalContentSchema, { ...approval, steps: [] }, ['steps']],
    ['an empty step', approvalContentSchema, { ...approval, steps: [{}] }, ['steps', 0]],
    ['warn at 100%', slaContentSchema, { ...sla, warnAtPercent: 100 }, ['warnAtPercent']],
    ['zero minutes', slaContentSchema, { ...sla, firstResponseMinutes: 0 }, ['firstResponseMinutes']],
    ['a bad day', slaContentSchema, { ...sla, businessHours: { timeZone: 'UTC', days: [7], start: '09:00', end: '17:00' } }, ['businessHours', 'days', 0]],
    ['a bad time', slaContentSchema, { ...sla, businessHours: { timeZone: 'UTC', days: [1], start: '9:00', end: '17:00' } }, ['businessHours', 'start']],
    ['missing business hours', slaContentSchema, { ...sla, businessHours: undefined }, ['businessHours']],
  ])('rejects %s', (_name, schema, value, path) => {
    expect(pathsOf(schema, value)).toContainEqual(path)
  })
})

describe('parseContent and the item envelope', () => {
  it('parses by namespace', () => {
    expect(parseContent('views', { label: 'V', columns: [], sort: [], pageSize: 5 }).success).toBe(true)
    expect(parseContent('sla', { label: 'V', columns: [], sort: [], pageSize: 5 }).success).toBe(false)
  })

  it('checks addresses in the envelope and leaves content to validation', () => {
    expect(configItemSchema.safeParse({ namespace: 'views', entity: 'case', key: 'mine', content: { anything: true } }).success).toBe(true)
    expect(configItemSchema.safeParse({ namespace: 'views', entity: '-', key: 'mine', content: {} }).success).toBe(false)
    expect(configItemSchema.safeParse({ namespace: 'objects', entity: 'case', key: 'other', content: {} }).success).toBe(false)
  })
})
