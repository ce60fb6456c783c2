import { describe, expect, it } from 'vitest'
import {
  CONFIG_ERROR_CODES,
  CONFIG_WARNING_CODES,
  validateConfigSet,
  validateItem,
  type ConfigErrorCode,
  type ConfigItem,
  type ConfigWarningCode,
  type ValidateOptions,
} from '../../../server/config-language'
import { baseConfig, edit, expectIssue, fieldIndex, itemAt, remove } from './helpers'

type Case = { items: ConfigItem[]; opts?: ValidateOptions; item: string; path: (string | number)[]; message?: RegExp }

const add = (items: ConfigItem[], item: ConfigItem) => [...items, item]

// One case per error code. Typed as a Record over the codes, so adding a code without a test here
// is a compile error.
const ERROR_CASES: Record<ConfigErrorCode, () => Case> = {
  invalid_address: () => ({
    items: add(baseConfig(), { namespace: 'sla', entity: 'deal', key: 'deals-too', content: {} }),
    item: 'sla/deal/deals-too',
    path: [],
    message: /sla items take entity "case"/,
  }),
  invalid_structure: () => ({
    items: edit(baseConfig(), 'views/customer/all', (c) => (c.pageSize = 500)),
    item: 'views/customer/all',
    path: ['pageSize'],
  }),
  duplicate_item: () => {
    const items = baseConfig()
    return { items: add(items, structuredClone(itemAt(items, 'views/case/all'))), item: 'views/case/all', path: [] }
  },
  duplicate_field: () => {
    const items = edit(baseConfig(), 'objects/customer/fields', (c) => c.fields.push({ name: 'tier', label: 'Tier again', type: 'text' }))
    return { items, item: 'objects/customer/fields', path: ['fields', fieldIndex(items, 'customer', 'annualRevenue') + 1, 'name'] }
  },
  reserved_field_name: () => {
    const items = edit(baseConfig(), 'objects/deal/fields', (c) => c.fields.push({ name: 'version', label: 'Version', type: 'number' }))
    return { items, item: 'objects/deal/fields', path: ['fields', fieldIndex(items, 'deal', 'version'), 'name'] }
  },
  missing_objects: () => ({ items: remove(baseConfig(), 'objects/deal/fields'), item: 'objects/deal/fields', path: [] }),
  builtin_field_removed: () => {
    const items = baseConfig()
    edit(items, 'objects/customer/fields', (c) => c.fields.splice(fieldIndex(items, 'customer', 'phone'), 1))
    return { items, item: 'objects/customer/fields', path: ['fields'], message: /"phone"/ }
  },
  builtin_field_changed: () => {
    const items = baseConfig()
    edit(items, 'objects/customer/fields', (c) => (c.fields[fieldIndex(items, 'customer', 'email')].type = 'text'))
    return { items, item: 'objects/customer/fields', path: ['fields', fieldIndex(items, 'customer', 'email'), 'type'] }
  },
  not_a_builtin_field: () => {
    const items = baseConfig()
    edit(items, 'objects/customer/fields', (c) => (c.fields[fieldIndex(items, 'customer', 'tier')].builtIn = true))
    return { items, item: 'objects/customer/fields', path: ['fields', fieldIndex(items, 'customer', 'tier'), 'builtIn'] }
  },
  invalid_pattern: () => {
    const items = baseConfig()
    edit(items, 'objects/customer/fields', (c) => (c.fields[fieldIndex(items, 'customer', 'industry')].pattern = '([a-z'))
    return { items, item: 'objects/customer/fields', path: ['fields', fieldIndex(items, 'customer', 'industry'), 'pattern'] }
  },
  unsupported_pattern: () => {
    const items = baseConfig()
    edit(items, 'objects/customer/fields', (c) => (c.fields[fieldIndex(items, 'customer', 'industry')].pattern = '(a)\\1'))
    return { items, item: 'objects/customer/fields', path: ['fields', fieldIndex(items, 'customer', 'industry'), 'pattern'], message: /backreferences/ }
  },
  invalid_option_default: () => {
    const items = baseConfig()
    edit(items, 'objects/customer/fields', (c) => (c.fields[fieldIndex(items, 'customer', 'tier')].default = 'platinum'))
    return { items, item: 'objects/customer/fields', path: ['fields', fieldIndex(items, 'customer', 'tier'), 'default'], message: /platinum/ }
  },
  unknown_field: () => ({
    items: edit(baseConfig(), 'views/customer/all', (c) => c.columns.push({ field: 'shoeSize' })),
    item: 'views/customer/all',
    path: ['columns', 6, 'field'],
    message: /customer has no field "shoeSize"/,
  }),
  operator_type_mismatch: () => ({
    items: edit(baseConfig(), 'views/customer/gold', (c) => (c.filter = { field: 'tier', op: 'gt', value: 'silver' })),
    item: 'views/customer/gold',
    path: ['filter', 'op'],
  }),
  value_type_mismatch: () => ({
    items: edit(baseConfig(), 'views/case/open-urgent', (c) => (c.filter.all[0].value = 'critical')),
    item: 'views/case/open-urgent',
    path: ['filter', 'all', 0, 'value'],
    message: /"critical" is not an option of priority/,
  }),
  operator_context_mismatch: () => ({
    items: edit(baseConfig(), 'views/case/all', (c) => (c.filter = { field: 'priority', op: 'changed' })),
    item: 'views/case/all',
    path: ['filter', 'op'],
  }),
  unknown_reference: () => ({
    items: edit(baseConfig(), 'automations/-/escalate-urgent', (c) => (c.trigger = 'no-such-trigger')),
    item: 'automations/-/escalate-urgent',
    path: ['trigger'],
    message: /triggers\/case\/no-such-trigger does not exist/,
  }),
  reference_cycle: () => ({
    items: [
      ...baseConfig(),
      { namespace: 'conditions', entity: 'case', key: 'a', content: { when: { all: [{ field: 'status', op: 'eq', value: 'open' }, { ref: 'b' }] } } },
      { namespace: 'conditions', entity: 'case', key: 'b', content: { when: { ref: 'a' } } },
    ],
    item: 'conditions/case/a',
    path: ['when', 'all', 1, 'ref'],
    message: /a → b → a/,
  }),
  action_value_mismatch: () => ({
    items: add(baseConfig(), {
      namespace: 'actions',
      entity: 'case',
      key: 'make-critical',
      content: { type: 'setField', field: 'priority', value: 'critical' },
    }),
    item: 'actions/case/make-critical',
    path: ['value'],
  }),
  unsortable_field: () => ({
    items: edit(baseConfig(), 'views/case/all', (c) => (c.sort = [{ field: 'description', direction: 'asc' }])),
    item: 'views/case/all',
    path: ['sort', 0, 'field'],
  }),
  event_entity_mismatch: () => ({
    items: add(baseConfig(), { namespace: 'triggers', entity: 'deal', key: 'deal-sla', content: { event: 'sla.breached' } }),
    item: 'triggers/deal/deal-sla',
    path: ['event'],
  }),
  entity_mismatch: () => ({
    items: edit(baseConfig(), 'approvals/deal/large-discount', (c) => (c.entity = 'case')),
    item: 'approvals/deal/large-discount',
    path: ['entity'],
  }),
  impossible_condition: () => ({
    items: edit(baseConfig(), 'sla/case/urgent', (c) => (c.when = { field: 'priority', op: 'eq', value: 'critical' })),
    item: 'sla/case/urgent',
    path: ['when'],
  }),
  field_in_use: () => {
    const previous = baseConfig()
    const items = baseConfig()
    edit(items, 'objects/customer/fields', (c) => c.fields.splice(fieldIndex(items, 'customer', 'tier'), 1))
    return { items, opts: { previous }, item: 'objects/customer/fields', path: ['fields'], message: /field "tier" is removed but still used by/ }
  },
  item_in_use: () => ({
    items: remove(baseConfig(), 'conditions/case/is-urgent'),
    opts: { previous: baseConfig() },
    item: 'conditions/case/is-urgent',
    path: [],
    message: /automations\/-\/escalate-urgent/,
  }),
}

describe('validateConfigSet: every error code', () => {
  it('documents every code with a one-line description', () => {
    for (const [code, description] of Object.entries({ ...CONFIG_ERROR_CODES, ...CONFIG_WARNING_CODES })) {
      expect(description, code).toMatch(/^\S.*\.$/)
      expect(description.includes('\n'), code).toBe(false)
    }
  })

  it.each(Object.keys(ERROR_CASES) as ConfigErrorCode[])('%s', (code) => {
    const c = ERROR_CASES[code]()
    const { errors } = validateConfigSet(c.items, c.opts)
    const issue = expectIssue(errors, { item: c.item, code, path: c.path })
    if (c.message) expect(issue.message).toMatch(c.message)
  })
})

const WARNING_CASES: Record<ConfigWarningCode, () => Case> = {
  empty_view: () => ({ items: edit(baseConfig(), 'views/deal/all', (c) => (c.columns = [])), item: 'views/deal/all', path: ['columns'] }),
  format_type_mismatch: () => ({
    items: edit(baseConfig(), 'views/customer/all', (c) => (c.columns[0].format = 'currency')),
    item: 'views/customer/all',
    path: ['columns', 0, 'format'],
  }),
  form_missing_required_field: () => ({
    items: edit(baseConfig(), 'forms/case/default', (c) => c.sections[0].fields.shift()),
    item: 'forms/case/default',
    path: ['sections'],
    message: /"subject"/,
  }),
  disabled_automation_references: () => ({
    items: edit(baseConfig(), 'automations/-/escalate-urgent', (c) => {
      c.enabled = false
      c.actions.push('not-written-yet')
    }),
    item: 'automations/-/escalate-urgent',
    path: ['actions', 2],
  }),
  schedule_without_conditions: () => {
    const items = add(baseConfig(), {
      namespace: 'triggers',
      entity: 'deal',
      key: 'nightly',
      content: { event: 'schedule', cron: '0 2 * * *', timeZone: 'Europe/Berlin' },
    })
    items.push({ namespace: 'actions', entity: 'deal', key: 'tag-stale', content: { type: 'addTag', tag: 'stale' } })
    items.push({
      namespace: 'automations',
      entity: '-',
      key: 'nightly-tag',
      content: { label: 'Nightly', entity: 'deal', trigger: 'nightly', conditions: [], actions: ['tag-stale'], enabled: true, order: 90 },
    })
    return { items, item: 'automations/-/nightly-tag', path: ['conditions'] }
  },
}

describe('validateConfigSet: warnings', () => {
  it.each(Object.keys(WARNING_CASES) as ConfigWarningCode[])('%s', (code) => {
    const c = WARNING_CASES[code]()
    const { warnings } = validateConfigSet(c.items, c.opts)
    const issue = expectIssue(warnings, { item: c.item, code, path: c.path })
    if (c.message) expect(issue.message).toMatch(c.message)
  })

  it('a disabled automation with a missing part is a warning, not an error', () => {
    const c = WARNING_CASES.disabled_automation_references()
    expect(validateConfigSet(c.items).errors).toEqual([])
    edit(c.items, 'automations/-/escalate-urgent', (a) => (a.enabled = true))
    expectIssue(validateConfigSet(c.items).errors, { item: 'automations/-/escalate-urgent', code: 'unknown_reference', path: ['actions', 2] })
  })
})

describe('validateConfigSet: details', () => {
  it('points structural errors into nested conditions and at unknown keys', () => {
    const items = edit(baseConfig(), 'forms/deal/default', (c) => {
      c.sections[0].fields[3].visibleWhen = { all: [{ field: 'amount', op: 'bigger', value: 1 }] }
      c.sections[0].colums = 2
    })
    const { errors } = validateConfigSet(items)
    expectIssue(errors, { item: 'forms/deal/default', code: 'invalid_structure', path: ['sections', 0, 'fields', 3, 'visibleWhen', 'all', 0, 'op'] })
    expectIssue(errors, { item: 'forms/deal/default', code: 'invalid_structure', path: ['sections', 0, 'colums'] })
  })

  it('rejects unknown action types and bad webhooks structurally', () => {
    const items = add(baseConfig(), { namespace: 'actions', entity: 'case', key: 'hook', content: { type: 'webhook', url: 'ftp://x.test', retries: 11 } })
    items.push({ namespace: 'actions', entity: 'case', key: 'fax', content: { type: 'sendFax' } })
    const { errors } = validateConfigSet(items)
    expectIssue(errors, { item: 'actions/case/hook', code: 'invalid_structure', path: ['url'] })
    expectIssue(errors, { item: 'actions/case/hook', code: 'invalid_structure', path: ['retries'] })
    expectIssue(errors, { item: 'actions/case/fax', code: 'invalid_structure', path: ['type'] })
  })

  it('checks SLA business hours: real time zone, start before end', () => {
    const items = edit(baseConfig(), 'sla/case/normal', (c) => {
      c.businessHours.timeZone = 'Europe/Atlantis'
      c.businessHours.end = '08:00'
    })
    const { errors } = validateConfigSet(items)
    expectIssue(errors, { item: 'sla/case/normal', code: 'invalid_structure', path: ['businessHours', 'timeZone'] })
    expectIssue(errors, { item: 'sla/case/normal', code: 'invalid_structure', path: ['businessHours', 'end'] })
    edit(items, 'sla/case/normal', (c) => {
      c.businessHours.timeZone = 'America/New_York'
      c.businessHours.end = '18:30'
    })
    expect(validateConfigSet(items).errors).toEqual([])
  })

  it('checks cron expressions and trigger fields', () => {
    const items = add(baseConfig(), { namespace: 'triggers', entity: 'case', key: 'bad-cron', content: { event: 'schedule', cron: '61 * * * *' } })
    items.push({ namespace: 'triggers', entity: 'case', key: 'bad-fields', content: { event: 'record.created', fields: ['status'] } })
    items.push({ namespace: 'triggers', entity: 'case', key: 'unknown-field', content: { event: 'record.updated', fields: ['status', 'mood'] } })
    const { errors } = validateConfigSet(items)
    expectIssue(errors, { item: 'triggers/case/bad-cron', code: 'invalid_structure', path: ['cron'] })
    expectIssue(errors, { item: 'triggers/case/bad-fields', code: 'invalid_structure', path: ['fields'] })
    expectIssue(errors, { item: 'triggers/case/unknown-field', code: 'unknown_field', path: ['fields', 1] })
  })

  it('reports a number field compared with text', () => {
    const items = edit(baseConfig(), 'approvals/deal/large-discount', (c) => (c.when = { field: 'discountPercent', op: 'gt', value: 'abc' }))
    expectIssue(validateConfigSet(items).errors, { item: 'approvals/deal/large-discount', code: 'value_type_mismatch', path: ['when', 'value'] })
  })

  it.each<[string, unknown]>([
    [
      'contradictory equalities',
      {
        all: [
          { field: 'priority', op: 'eq', value: 'high' },
          { field: 'priority', op: 'eq', value: 'urgent' },
        ],
      },
    ],
    ['eq and neq of one value', { all: [{ field: 'priority', op: 'eq', value: 'high' }, { not: { field: 'priority', op: 'eq', value: 'high' } }] }],
    [
      'in list fully excluded',
      {
        all: [
          { field: 'priority', op: 'in', value: ['high', 'urgent'] },
          { field: 'priority', op: 'notIn', value: ['high', 'urgent'] },
        ],
      },
    ],
    [
      'empty and not empty',
      {
        all: [
          { field: 'assignee', op: 'isEmpty' },
          { field: 'assignee', op: 'isNotEmpty' },
        ],
      },
    ],
    ['an empty any', { any: [] }],
    [
      'every branch impossible',
      {
        any: [
          { field: 'priority', op: 'eq', value: 'critical' },
          { field: 'status', op: 'in', value: ['gone'] },
        ],
      },
    ],
    ['through a ref', { all: [{ ref: 'is-urgent' }, { field: 'priority', op: 'eq', value: 'low' }] }],
  ])('impossible_condition: %s', (_name, when) => {
    const items = edit(baseConfig(), 'sla/case/high', (c) => (c.when = when))
    expectIssue(validateConfigSet(items).errors, { item: 'sla/case/high', code: 'impossible_condition', path: ['when'] })
  })

  it('impossible_condition: an empty numeric range in an approval', () => {
    const items = edit(baseConfig(), 'approvals/deal/large-discount', (c) => {
      c.when = {
        all: [
          { field: 'discountPercent', op: 'gt', value: 50 },
          { field: 'discountPercent', op: 'lte', value: 20 },
        ],
      }
    })
    expectIssue(validateConfigSet(items).errors, { item: 'approvals/deal/large-discount', code: 'impossible_condition', path: ['when'] })
  })

  it.each<[string, unknown]>([
    ['a plain option', { field: 'priority', op: 'eq', value: 'high' }],
    [
      'compatible bounds',
      {
        all: [
          { field: 'createdAt', op: 'gte', value: '2024-01-01' },
          { field: 'createdAt', op: 'lt', value: '2025-01-01' },
        ],
      },
    ],
    ['one impossible branch of an any', { any: [{ field: 'priority', op: 'eq', value: 'high' }, { all: [{ any: [] }] }] }],
    [
      'neq of two values',
      {
        all: [
          { field: 'priority', op: 'neq', value: 'low' },
          { field: 'priority', op: 'neq', value: 'normal' },
        ],
      },
    ],
  ])('no impossible_condition for %s', (_name, when) => {
    const items = edit(baseConfig(), 'sla/case/high', (c) => (c.when = when))
    expect(validateConfigSet(items).errors.filter((e) => e.code === 'impossible_condition')).toEqual([])
  })

  it('field_in_use lists every referrer, also as related addresses', () => {
    const c = ERROR_CASES.field_in_use()
    const issue = expectIssue(validateConfigSet(c.items, c.opts).errors, { item: 'objects/customer/fields', code: 'field_in_use', path: ['fields'] })
    const referrers = [
      'conditions/customer/became-gold',
      'forms/customer/default',
      'triggers/customer/tier-changed',
      'views/customer/all',
      'views/customer/gold',
    ]
    expect(issue.related).toEqual(referrers)
    for (const r of referrers) expect(issue.message).toContain(r)
    // Each referrer also gets its own unknown_field at the exact place.
    expectIssue(validateConfigSet(c.items, c.opts).errors, { item: 'views/customer/gold', code: 'unknown_field', path: ['filter', 'field'] })
  })

  it('removing an unused field is fine', () => {
    const items = baseConfig()
    edit(items, 'objects/customer/fields', (c) => c.fields.splice(fieldIndex(items, 'customer', 'industry'), 1))
    edit(items, 'forms/customer/default', (c) => c.sections[1].fields.shift())
    expect(validateConfigSet(items, { previous: baseConfig() })).toEqual({ errors: [], warnings: [] })
  })

  it('item_in_use names approvals used by requestApproval and actions used by approvals', () => {
    const items = add(baseConfig(), { namespace: 'actions', entity: 'deal', key: 'ask', content: { type: 'requestApproval', approval: 'large-discount' } })
    const previous = structuredClone(items)
    const next = remove(remove(items, 'approvals/deal/large-discount'), 'actions/deal/notify-won')
    const { errors } = validateConfigSet(next, { previous })
    expectIssue(errors, { item: 'approvals/deal/large-discount', code: 'item_in_use', path: [] })
    expectIssue(errors, { item: 'actions/deal/ask', code: 'unknown_reference', path: ['approval'] })
    expectIssue(errors, { item: 'actions/deal/notify-won', code: 'item_in_use', path: [] })
  })

  it('condition refs must exist under the same entity', () => {
    const items = edit(baseConfig(), 'views/case/open-urgent', (c) => (c.filter = { ref: 'is-won' }))
    expectIssue(validateConfigSet(items).errors, { item: 'views/case/open-urgent', code: 'unknown_reference', path: ['filter', 'ref'] })
  })

  it('a view may not reach changed* through a ref', () => {
    const items = edit(baseConfig(), 'views/case/open-urgent', (c) => (c.filter = { ref: 'became-urgent' }))
    expectIssue(validateConfigSet(items).errors, { item: 'views/case/open-urgent', code: 'operator_context_mismatch', path: ['filter', 'ref'] })
  })

  it('checks action values: clearing required, system fields, tags, round robin, user fields', () => {
    const items = baseConfig()
    const action = (key: string, content: unknown) => items.push({ namespace: 'actions', entity: 'case', key, content })
    action('clear-subject', { type: 'setField', field: 'subject', value: null })
    action('set-created', { type: 'setField', field: 'createdAt', value: '2024-01-01T00:00:00Z' })
    action('set-channel', { type: 'setField', field: 'channel', value: 'pigeon' })
    action('to-viewers', { type: 'assign', to: { roundRobinRole: 'VIEWER' } })
    action('tell-customer', { type: 'notify', userFields: ['customerId'], message: 'Hi' })
    action('clear-category', { type: 'setField', field: 'category', value: null })
    const { errors } = validateConfigSet(items)
    expectIssue(errors, { item: 'actions/case/clear-subject', code: 'action_value_mismatch', path: ['value'] })
    expectIssue(errors, { item: 'actions/case/set-created', code: 'action_value_mismatch', path: ['field'] })
    expectIssue(errors, { item: 'actions/case/set-channel', code: 'action_value_mismatch', path: ['value'] })
    expectIssue(errors, { item: 'actions/case/to-viewers', code: 'action_value_mismatch', path: ['to', 'roundRobinRole'] })
    expectIssue(errors, { item: 'actions/case/tell-customer', code: 'action_value_mismatch', path: ['userFields', 0] })
    expect(errors.filter((e) => e.item === 'actions/case/clear-category')).toEqual([])
  })

  it('checks createRecord: target fields, values, copies and required fields', () => {
    const items = add(baseConfig(), {
      namespace: 'actions',
      entity: 'deal',
      key: 'open-case',
      content: {
        type: 'createRecord',
        entity: 'case',
        values: { priority: 'critical', customerId: { copyFrom: 'id' }, mood: 'sad', category: { copyFrom: 'nope' } },
      },
    })
    const { errors } = validateConfigSet(items)
    expectIssue(errors, { item: 'actions/deal/open-case', code: 'action_value_mismatch', path: ['values', 'priority'] })
    expectIssue(errors, { item: 'actions/deal/open-case', code: 'action_value_mismatch', path: ['values', 'customerId'] })
    expectIssue(errors, { item: 'actions/deal/open-case', code: 'unknown_field', path: ['values', 'mood'] })
    expectIssue(errors, { item: 'actions/deal/open-case', code: 'unknown_field', path: ['values', 'category', 'copyFrom'] })
    const missing = expectIssue(errors, { item: 'actions/deal/open-case', code: 'action_value_mismatch', path: ['values'] })
    expect(missing.message).toMatch(/"subject"/)
  })

  it('checks notify placeholders against the fields', () => {
    const items = edit(baseConfig(), 'actions/case/notify-managers', (c) => (c.message = 'Urgent: {{subjcet}}'))
    expectIssue(validateConfigSet(items).errors, { item: 'actions/case/notify-managers', code: 'unknown_field', path: ['message'] })
  })

  it('built-in fields: keep required and product options, may add options and relabel', () => {
    const items = baseConfig()
    edit(items, 'objects/case/fields', (c) => {
      const priority = c.fields[fieldIndex(items, 'case', 'priority')]
      priority.label = 'Severity'
      priority.options.push({ value: 'critical', label: 'Critical' })
    })
    expect(validateConfigSet(items).errors).toEqual([])
    edit(items, 'objects/case/fields', (c) => {
      const status = c.fields[fieldIndex(items, 'case', 'status')]
      status.required = false
      status.options = status.options.filter((o: { value: string }) => o.value !== 'closed')
    })
    const { errors } = validateConfigSet(items)
    expectIssue(errors, { item: 'objects/case/fields', code: 'builtin_field_changed', path: ['fields', fieldIndex(items, 'case', 'status'), 'required'] })
    expectIssue(errors, { item: 'objects/case/fields', code: 'builtin_field_changed', path: ['fields', fieldIndex(items, 'case', 'status'), 'options'] })
  })

  it('does not cascade: without a valid catalogue, field checks for that entity are skipped', () => {
    const items = edit(baseConfig(), 'objects/deal/fields', (c) => (c.fields[0].type = 'colour'))
    const { errors } = validateConfigSet(items)
    expect(new Set(errors.map((e) => e.code))).toEqual(new Set(['invalid_structure']))
  })

  it('an invalid item still exists for references', () => {
    const items = edit(baseConfig(), 'conditions/case/is-urgent', (c) => (c.when = { field: 'priority' }))
    const { errors } = validateConfigSet(items)
    expect(errors.map((e) => e.code)).toEqual(['invalid_structure'])
  })
})

describe('validateItem', () => {
  it('returns only the issues of that item, judged against the rest of the set', () => {
    const items = edit(baseConfig(), 'views/case/all', (c) => c.columns.push({ field: 'mood' }))
    const draft = structuredClone(itemAt(items, 'views/customer/all'))
    ;(draft.content as { pageSize: number }).pageSize = 0
    const result = validateItem(draft, items)
    expect(result.errors).toEqual([expect.objectContaining({ item: 'views/customer/all', code: 'invalid_structure', path: ['pageSize'] })])
    expect(result.warnings).toEqual([])
  })

  it('judges a new item in context', () => {
    const automation: ConfigItem = {
      namespace: 'automations',
      entity: '-',
      key: 'new-one',
      content: { label: 'New', entity: 'deal', trigger: 'stage-changed', conditions: ['is-urgent'], actions: ['notify-won'], enabled: true, order: 1 },
    }
    const { errors } = validateItem(automation, baseConfig())
    expect(errors).toEqual([expect.objectContaining({ code: 'unknown_reference', path: ['conditions', 0] })])
  })

  it('passes previous through (field_in_use on the objects item)', () => {
    const c = ERROR_CASES.field_in_use()
    const objects = itemAt(c.items, 'objects/customer/fields')
    expect(validateItem(objects, c.items, c.opts).errors.map((e) => e.code)).toEqual(['field_in_use'])
  })
})
