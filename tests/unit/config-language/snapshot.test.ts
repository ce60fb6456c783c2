import { describe, expect, it } from 'vitest'
import {
  automationsFor,
  buildConfigIndex,
  collectReferences,
  defaultConfig,
  renderMessage,
  slaPolicyFor,
  viewsVisibleTo,
} from '../../../server/config-language'
import { baseConfig, edit } from './helpers'

describe('buildConfigIndex', () => {
  const index = buildConfigIndex(defaultConfig())

  it('gets items and parsed content by address', () => {
    expect(index.has('forms/case/default')).toBe(true)
    expect(index.get('views/case/all')?.key).toBe('all')
    expect(index.content('views', 'case', 'all')?.pageSize).toBe(25)
    expect(index.content('views', 'case', 'nope')).toBeUndefined()
    expect(index.list('views', 'deal').map((v) => v.key)).toEqual(['all', 'open-pipeline'])
  })

  it('serves an entity’s fields and named conditions', () => {
    expect(index.field('deal', 'stage')?.options?.length).toBe(5)
    expect(index.conditions('case')('is-urgent')).toEqual({ field: 'priority', op: 'eq', value: 'urgent' })
    expect(index.conditions('case')('nope')).toBeUndefined()
  })

  it('leaves invalid content out of parsed lookups', () => {
    const broken = buildConfigIndex(edit(baseConfig(), 'views/case/all', (c) => (c.pageSize = -1)))
    expect(broken.has('views/case/all')).toBe(true)
    expect(broken.content('views', 'case', 'all')).toBeUndefined()
  })
})

describe('runtime helpers', () => {
  const index = buildConfigIndex(defaultConfig())

  it('automationsFor: enabled automations for an entity and event, in order', () => {
    expect(automationsFor(index, 'case', 'record.created').map((a) => a.key)).toEqual(['escalate-urgent'])
    expect(automationsFor(index, 'case', 'record.updated').map((a) => a.key)).toEqual(['escalate-reprioritised'])
    expect(automationsFor(index, 'deal', 'record.created')).toEqual([])
    const disabled = buildConfigIndex(edit(defaultConfig(), 'automations/-/escalate-urgent', (c) => (c.enabled = false)))
    expect(automationsFor(disabled, 'case', 'record.created')).toEqual([])
  })

  it('slaPolicyFor: the matching policy, the strictest when several match', () => {
    expect(slaPolicyFor(index, { priority: 'urgent', status: 'new' })?.key).toBe('urgent')
    expect(slaPolicyFor(index, { priority: 'low' })?.key).toBe('low')
    expect(slaPolicyFor(index, { priority: 'none' })).toBeUndefined()
    const overlap = buildConfigIndex(edit(defaultConfig(), 'sla/case/low', (c) => (c.when = { all: [] })))
    expect(slaPolicyFor(overlap, { priority: 'high' })?.key).toBe('high')
  })

  it('viewsVisibleTo: views without visibleTo are for everyone', () => {
    const items = edit(defaultConfig(), 'views/deal/open-pipeline', (c) => (c.visibleTo = ['MANAGER', 'ADMIN']))
    const restricted = buildConfigIndex(items)
    expect(viewsVisibleTo(restricted, 'deal', 'AGENT').map((v) => v.key)).toEqual(['all'])
    expect(viewsVisibleTo(restricted, 'deal', 'MANAGER').map((v) => v.key)).toEqual(['all', 'open-pipeline'])
  })

  it('renderMessage fills {{field}} from the record, showing option labels', () => {
    const fields = index.fields('case')
    const record = { subject: 'Printer on fire', priority: 'urgent', tags: ['a', 'b'], data: { channel: 'web' } }
    expect(renderMessage('{{subject}} ({{ priority }}, {{channel}}, {{tags}}, {{assignee}})', record, { fields })).toBe(
      'Printer on fire (Urgent, Web form, a, b, )',
    )
  })
})

describe('collectReferences', () => {
  it('lists field and item references with their paths', () => {
    const refs = collectReferences(defaultConfig())
    expect(refs).toContainEqual({ kind: 'item', from: 'automations/-/escalate-urgent', path: ['actions', 1], target: 'actions/case/assign-agents' })
    expect(refs).toContainEqual({ kind: 'field', from: 'views/case/open-urgent', path: ['filter', 'all', 0, 'field'], entity: 'case', field: 'priority' })
    expect(refs).toContainEqual({
      kind: 'field',
      from: 'actions/customer/create-onboarding-case',
      path: ['values', 'customerId'],
      entity: 'case',
      field: 'customerId',
    })
    expect(refs).toContainEqual({
      kind: 'item',
      from: 'approvals/deal/large-discount',
      path: ['onApprove', 0],
      target: 'actions/deal/notify-discount-approved',
    })
  })
})
