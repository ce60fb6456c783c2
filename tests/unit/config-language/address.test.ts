import { describe, expect, it } from 'vitest'
import {
  addressOf,
  canonicalJson,
  checksumInput,
  ENTITIES,
  isConfigAddress,
  NAMESPACES,
  parseAddress,
  sortItems,
  type ConfigItem,
} from '../../../server/config-language'

describe('addresses', () => {
  it('formats namespace/entity/key', () => {
    expect(addressOf({ namespace: 'forms', entity: 'customer', key: 'default' })).toBe('forms/customer/default')
    expect(addressOf({ namespace: 'automations', entity: '-', key: 'escalate-urgent' })).toBe('automations/-/escalate-urgent')
  })

  it('parses valid addresses back into parts', () => {
    expect(parseAddress('views/case/open-urgent')).toEqual({ namespace: 'views', entity: 'case', key: 'open-urgent' })
    expect(parseAddress('automations/-/escalate-urgent')).toEqual({ namespace: 'automations', entity: '-', key: 'escalate-urgent' })
    expect(parseAddress('objects/deal/fields')).toEqual({ namespace: 'objects', entity: 'deal', key: 'fields' })
  })

  it.each([
    ['widgets/case/x', 'unknown namespace'],
    ['views/ticket/x', 'unknown entity'],
    ['views/-/x', 'views are entity-bound'],
    ['automations/case/x', 'automations live under -'],
    ['sla/deal/x', 'SLA policies are for cases'],
    ['objects/customer/default', 'the objects key is fields'],
    ['views/case/Open', 'upper case key'],
    ['views/case/1st', 'key starts with a digit'],
    ['views/case', 'two segments'],
    ['views/case/a/b', 'four segments'],
    [`views/case/${'a'.repeat(64)}`, 'key too long'],
  ])('rejects %s (%s)', (address) => {
    expect(parseAddress(address)).toBeNull()
    expect(isConfigAddress(address)).toBe(false)
  })

  it('exports the namespaces and entities of the product', () => {
    expect(NAMESPACES).toEqual(['objects', 'forms', 'views', 'triggers', 'conditions', 'actions', 'automations', 'approvals', 'sla'])
    expect(ENTITIES).toEqual(['customer', 'deal', 'case'])
  })
})

describe('canonical JSON and checksum input', () => {
  it('sorts object keys at every level and drops undefined properties', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1}')
  })

  it('gives the same string for the same set in any order', () => {
    const a: ConfigItem = { namespace: 'views', entity: 'case', key: 'all', content: { label: 'All', pageSize: 10 } }
    const b: ConfigItem = { namespace: 'forms', entity: 'case', key: 'default', content: { sections: [], label: 'Case' } }
    const reordered: ConfigItem = { key: 'all', content: { pageSize: 10, label: 'All' }, entity: 'case', namespace: 'views' }
    expect(checksumInput([a, b])).toBe(checksumInput([b, reordered]))
    expect(checksumInput([a, b])).not.toBe(checksumInput([a]))
  })

  it('sorts items by address, the snapshot order', () => {
    const items: ConfigItem[] = [
      { namespace: 'views', entity: 'case', key: 'all', content: {} },
      { namespace: 'automations', entity: '-', key: 'x', content: {} },
      { namespace: 'forms', entity: 'case', key: 'default', content: {} },
    ]
    expect(sortItems(items).map(addressOf)).toEqual(['automations/-/x', 'forms/case/default', 'views/case/all'])
  })
})
