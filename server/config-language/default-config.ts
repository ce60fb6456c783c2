// The configuration every new tenant starts with (version 1): useful on day one and a worked
// example of every namespace for admins who open the studio. It validates without errors or
// warnings (tests/unit/config-language/default-config.test.ts).
import { NO_ENTITY, OBJECTS_KEY, type ConfigItem } from './address'
import { ENTITIES, type Entity } from './entities'
import { BUILT_IN_FIELDS } from './built-in-fields'
import { sortItems } from './snapshot'
import type { Condition } from './condition'
import type { FieldDef } from './field-def'
import type { ActionContent, ApprovalContent, AutomationContent, BusinessHours, FormContent, SlaContent, TriggerContent, ViewContent } from './schemas'

const custom = (def: Omit<FieldDef, 'builtIn' | 'required'> & { required?: boolean }): FieldDef => ({ required: false, ...def, builtIn: false })
const opts = (...pairs: Array<[string, string]>) => pairs.map(([value, label]) => ({ value, label }))

const CUSTOM_FIELDS: Record<Entity, FieldDef[]> = {
  customer: [
    custom({ name: 'tier', label: 'Tier', type: 'select', options: opts(['bronze', 'Bronze'], ['silver', 'Silver'], ['gold', 'Gold']), default: 'bronze' }),
    custom({ name: 'industry', label: 'Industry', type: 'text', max: 100 }),
    custom({ name: 'annualRevenue', label: 'Annual revenue', type: 'currency', min: 0 }),
  ],
  deal: [
    custom({ name: 'discountPercent', label: 'Discount', type: 'percent', min: 0, max: 100, helpText: 'Discounts above 20% need a manager’s approval' }),
    custom({
      name: 'source',
      label: 'Source',
      type: 'select',
      options: opts(['web', 'Website'], ['referral', 'Referral'], ['partner', 'Partner'], ['outbound', 'Outbound'], ['event', 'Event']),
    }),
  ],
  case: [
    custom({ name: 'channel', label: 'Channel', type: 'select', options: opts(['email', 'Email'], ['chat', 'Chat'], ['phone', 'Phone'], ['web', 'Web form']) }),
    custom({ name: 'category', label: 'Category', type: 'text', max: 100 }),
  ],
}

const field = (name: string, extra: Partial<FormContent['sections'][number]['fields'][number]> = {}) => ({ field: name, ...extra })

const FORMS: Record<Entity, FormContent> = {
  customer: {
    label: 'Customer',
    sections: [
      { title: 'Profile', columns: 2, fields: [field('name'), field('company'), field('email'), field('phone'), field('owner'), field('tier')] },
      { title: 'Business', columns: 2, fields: [field('industry'), field('annualRevenue'), field('tags')] },
    ],
  },
  deal: {
    label: 'Deal',
    sections: [
      {
        title: 'Deal',
        columns: 2,
        fields: [
          field('name'),
          field('customerId'),
          field('amount'),
          field('discountPercent', { visibleWhen: { field: 'amount', op: 'isNotEmpty' } }),
          field('stage'),
          field('closeDate'),
        ],
      },
      // Reassigning is a manager's right (permission crm:reassign), so agents see the owner read-only.
      { title: 'Details', columns: 2, fields: [field('owner', { readOnlyFor: ['AGENT', 'VIEWER'] }), field('source'), field('tags')] },
    ],
  },
  case: {
    label: 'Case',
    sections: [
      {
        title: 'Case',
        columns: 2,
        fields: [
          field('subject'),
          field('customerId'),
          field('status'),
          field('priority'),
          field('channel'),
          field('category'),
          field('assignee', { readOnlyFor: ['AGENT', 'VIEWER'] }),
        ],
      },
      { title: 'Description', columns: 1, fields: [field('description'), field('tags')] },
    ],
  },
}

type ViewDef = { entity: Entity; key: string; content: ViewContent }
const VIEWS: ViewDef[] = [
  {
    entity: 'customer',
    key: 'all',
    content: {
      label: 'All customers',
      columns: [
        { field: 'name' },
        { field: 'company' },
        { field: 'email' },
        { field: 'tier', format: 'badge' },
        { field: 'owner' },
        { field: 'createdAt', format: 'date' },
      ],
      sort: [{ field: 'name', direction: 'asc' }],
      pageSize: 25,
    },
  },
  {
    entity: 'customer',
    key: 'gold',
    content: {
      label: 'Gold customers',
      columns: [{ field: 'name' }, { field: 'company' }, { field: 'annualRevenue', format: 'currency' }, { field: 'owner' }],
      filter: { field: 'tier', op: 'eq', value: 'gold' },
      sort: [{ field: 'annualRevenue', direction: 'desc' }],
      pageSize: 25,
    },
  },
  {
    entity: 'deal',
    key: 'all',
    content: {
      label: 'All deals',
      columns: [
        { field: 'name' },
        { field: 'customerId' },
        { field: 'amount', format: 'currency' },
        { field: 'stage', format: 'badge' },
        { field: 'closeDate', format: 'date' },
        { field: 'owner' },
      ],
      sort: [{ field: 'closeDate', direction: 'asc' }],
      pageSize: 25,
    },
  },
  {
    entity: 'deal',
    key: 'open-pipeline',
    content: {
      label: 'Open pipeline',
      columns: [
        { field: 'name' },
        { field: 'customerId' },
        { field: 'amount', format: 'currency' },
        { field: 'discountPercent', format: 'percent' },
        { field: 'stage', format: 'badge' },
        { field: 'closeDate', format: 'date' },
      ],
      filter: { field: 'stage', op: 'notIn', value: ['won', 'lost'] },
      sort: [{ field: 'amount', direction: 'desc' }],
      pageSize: 50,
    },
  },
  {
    entity: 'case',
    key: 'all',
    content: {
      label: 'All cases',
      columns: [
        { field: 'subject' },
        { field: 'customerId' },
        { field: 'status', format: 'badge' },
        { field: 'priority', format: 'badge' },
        { field: 'assignee' },
        { field: 'createdAt', format: 'datetime' },
      ],
      sort: [{ field: 'createdAt', direction: 'desc' }],
      pageSize: 25,
    },
  },
  {
    entity: 'case',
    key: 'open-urgent',
    content: {
      label: 'Open urgent cases',
      columns: [
        { field: 'subject' },
        { field: 'customerId' },
        { field: 'status', format: 'badge' },
        { field: 'assignee' },
        { field: 'channel', format: 'badge' },
        { field: 'createdAt', format: 'datetime' },
      ],
      filter: {
        all: [
          { field: 'priority', op: 'eq', value: 'urgent' },
          { field: 'status', op: 'notIn', value: ['resolved', 'closed'] },
        ],
      },
      // Oldest first: the case that has waited longest is the next one to take.
      sort: [{ field: 'createdAt', direction: 'asc' }],
      pageSize: 50,
    },
  },
]

const TRIGGERS: Array<{ entity: Entity; key: string; content: TriggerContent }> = [
  { entity: 'case', key: 'case-created', content: { event: 'record.created' } },
  { entity: 'case', key: 'priority-changed', content: { event: 'record.updated', fields: ['priority'] } },
  { entity: 'case', key: 'sla-breached', content: { event: 'sla.breached' } },
  { entity: 'deal', key: 'stage-changed', content: { event: 'record.updated', fields: ['stage'] } },
  { entity: 'customer', key: 'tier-changed', content: { event: 'record.updated', fields: ['tier'] } },
]

const CONDITIONS: Array<{ entity: Entity; key: string; label: string; when: Condition }> = [
  { entity: 'case', key: 'is-urgent', label: 'Priority is urgent', when: { field: 'priority', op: 'eq', value: 'urgent' } },
  { entity: 'case', key: 'became-urgent', label: 'Priority changed to urgent', when: { field: 'priority', op: 'changedTo', value: 'urgent' } },
  { entity: 'deal', key: 'is-won', label: 'Stage changed to won', when: { field: 'stage', op: 'changedTo', value: 'won' } },
  { entity: 'customer', key: 'became-gold', label: 'Tier changed to gold', when: { field: 'tier', op: 'changedTo', value: 'gold' } },
]

const ACTIONS: Array<{ entity: Entity; key: string; content: ActionContent }> = [
  { entity: 'case', key: 'notify-managers', content: { type: 'notify', roles: ['MANAGER'], message: 'Urgent case: {{subject}}' } },
  { entity: 'case', key: 'assign-agents', content: { type: 'assign', to: { roundRobinRole: 'AGENT' } } },
  { entity: 'case', key: 'notify-breach', content: { type: 'notify', roles: ['MANAGER'], userFields: ['assignee'], message: 'SLA breached: {{subject}}' } },
  { entity: 'deal', key: 'notify-won', content: { type: 'notify', roles: ['MANAGER'], userFields: ['owner'], message: 'Deal won: {{name}}' } },
  { entity: 'deal', key: 'notify-discount-approved', content: { type: 'notify', userFields: ['owner'], message: 'The discount on {{name}} was approved' } },
  { entity: 'deal', key: 'notify-discount-rejected', content: { type: 'notify', userFields: ['owner'], message: 'The discount on {{name}} was rejected' } },
  { entity: 'customer', key: 'tag-vip', content: { type: 'addTag', tag: 'vip' } },
  {
    entity: 'customer',
    key: 'create-onboarding-case',
    content: {
      type: 'createRecord',
      entity: 'case',
      values: { subject: 'Gold onboarding', customerId: { copyFrom: 'id' }, priority: 'high', category: 'onboarding' },
    },
  },
]

const AUTOMATIONS: Array<{ key: string; content: AutomationContent }> = [
  {
    key: 'escalate-urgent',
    content: {
      label: 'Escalate urgent cases',
      entity: 'case',
      trigger: 'case-created',
      conditions: ['is-urgent'],
      actions: ['notify-managers', 'assign-agents'],
      enabled: true,
      order: 10,
    },
  },
  {
    key: 'escalate-reprioritised',
    content: {
      label: 'Escalate cases raised to urgent',
      entity: 'case',
      trigger: 'priority-changed',
      conditions: ['became-urgent'],
      actions: ['notify-managers'],
      enabled: true,
      order: 20,
    },
  },
  {
    key: 'sla-breach-alert',
    content: { label: 'Alert on SLA breach', entity: 'case', trigger: 'sla-breached', conditions: [], actions: ['notify-breach'], enabled: true, order: 30 },
  },
  {
    key: 'celebrate-won-deal',
    content: {
      label: 'Announce won deals',
      entity: 'deal',
      trigger: 'stage-changed',
      conditions: ['is-won'],
      actions: ['notify-won'],
      enabled: true,
      order: 40,
    },
  },
  {
    key: 'onboard-gold-customer',
    content: {
      label: 'Onboard new gold customers',
      entity: 'customer',
      trigger: 'tier-changed',
      conditions: ['became-gold'],
      actions: ['tag-vip', 'create-onboarding-case'],
      enabled: true,
      order: 50,
    },
  },
]

const LARGE_DISCOUNT: ApprovalContent = {
  label: 'Discount above 20%',
  entity: 'deal',
  when: { field: 'discountPercent', op: 'gt', value: 20 },
  steps: [{ approverRole: 'MANAGER' }],
  lockedFields: ['amount', 'discountPercent'],
  onApprove: ['notify-discount-approved'],
  onReject: ['notify-discount-rejected'],
}

const BERLIN_OFFICE: BusinessHours = { timeZone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }

// Urgent and high run around the clock; normal and low count Berlin office hours only.
const SLA: Array<{ key: string; content: SlaContent }> = [
  {
    key: 'urgent',
    content: {
      label: 'Urgent cases',
      when: { field: 'priority', op: 'eq', value: 'urgent' },
      firstResponseMinutes: 30,
      resolutionMinutes: 4 * 60,
      businessHours: null,
      warnAtPercent: 80,
    },
  },
  {
    key: 'high',
    content: {
      label: 'High-priority cases',
      when: { field: 'priority', op: 'eq', value: 'high' },
      firstResponseMinutes: 60,
      resolutionMinutes: 8 * 60,
      businessHours: null,
      warnAtPercent: 80,
    },
  },
  {
    key: 'normal',
    content: {
      label: 'Normal cases',
      when: { field: 'priority', op: 'eq', value: 'normal' },
      firstResponseMinutes: 4 * 60,
      resolutionMinutes: 24 * 60,
      businessHours: BERLIN_OFFICE,
      warnAtPercent: 80,
    },
  },
  {
    key: 'low',
    content: {
      label: 'Low-priority cases',
      when: { field: 'priority', op: 'eq', value: 'low' },
      firstResponseMinutes: 8 * 60,
      resolutionMinutes: 72 * 60,
      businessHours: BERLIN_OFFICE,
      warnAtPercent: 80,
    },
  },
]

/** A fresh copy of the default configuration in snapshot order (callers may mutate it). */
export function defaultConfig(): ConfigItem[] {
  const entities: readonly Entity[] = ENTITIES
  const items: ConfigItem[] = [
    ...entities.map((entity) => ({
      namespace: 'objects' as const,
      entity,
      key: OBJECTS_KEY,
      content: { fields: [...BUILT_IN_FIELDS[entity], ...CUSTOM_FIELDS[entity]] },
    })),
    ...entities.map((entity) => ({ namespace: 'forms' as const, entity, key: 'default', content: FORMS[entity] })),
    ...VIEWS.map((v) => ({ namespace: 'views' as const, entity: v.entity, key: v.key, content: v.content })),
    ...TRIGGERS.map((t) => ({ namespace: 'triggers' as const, entity: t.entity, key: t.key, content: t.content })),
    ...CONDITIONS.map((c) => ({ namespace: 'conditions' as const, entity: c.entity, key: c.key, content: { label: c.label, when: c.when } })),
    ...ACTIONS.map((a) => ({ namespace: 'actions' as const, entity: a.entity, key: a.key, content: a.content })),
    ...AUTOMATIONS.map((a) => ({ namespace: 'automations' as const, entity: NO_ENTITY, key: a.key, content: a.content })),
    { namespace: 'approvals', entity: 'deal', key: 'large-discount', content: LARGE_DISCOUNT },
    ...SLA.map((s) => ({ namespace: 'sla' as const, entity: 'case' as const, key: s.key, content: s.content })),
  ]
  return structuredClone(sortItems(items))
}
