import { describe, expect, it } from 'vitest'
import { diffConfigSets, diffContent, type ConfigItem } from '../../../server/config-language'
import { baseConfig, edit, fieldIndex, remove } from './helpers'

describe('diffContent', () => {
  it('reports changed, added and removed object keys by path', () => {
    expect(diffContent({ a: 1, b: { c: 2, d: 3 } }, { a: 2, b: { c: 2, e: 4 } })).toEqual([
      { path: ['a'], kind: 'changed', before: 1, after: 2 },
      { path: ['b', 'd'], kind: 'removed', before: 3 },
      { path: ['b', 'e'], kind: 'added', after: 4 },
    ])
  })

  it('compares plain arrays by index', () => {
    expect(diffContent({ days: [1, 2, 3] }, { days: [1, 5] })).toEqual([
      { path: ['days', 1], kind: 'changed', before: 2, after: 5 },
      { path: ['days', 2], kind: 'removed', before: 3 },
    ])
  })

  it('matches arrays of named objects by identity: an insertion is one addition', () => {
    const before = {
      fields: [
        { name: 'a', label: 'A' },
        { name: 'b', label: 'B' },
      ],
    }
    const after = {
      fields: [
        { name: 'new', label: 'New' },
        { name: 'a', label: 'A' },
        { name: 'b', label: 'Bee' },
      ],
    }
    expect(diffContent(before, after)).toEqual([
      { path: ['fields', 0], kind: 'added', after: { name: 'new', label: 'New' } },
      { path: ['fields', 2, 'label'], kind: 'changed', before: 'B', after: 'Bee' },
    ])
  })

  it('reports a removal at its index in before, and a reorder once', () => {
    const before = { columns: [{ field: 'a' }, { field: 'b' }, { field: 'c' }] }
    const after = { columns: [{ field: 'c' }, { field: 'a' }] }
    expect(diffContent(before, after)).toEqual([
      { path: ['columns', 1], kind: 'removed', before: { field: 'b' } },
      { path: ['columns'], kind: 'reordered', before: ['a', 'c'], after: ['c', 'a'] },
    ])
  })

  it('reports a change of kind (object to value) at that path', () => {
    expect(diffContent({ businessHours: { start: '09:00' } }, { businessHours: null })).toEqual([
      { path: ['businessHours'], kind: 'changed', before: { start: '09:00' }, after: null },
    ])
  })

  it('finds nothing between equal contents', () => {
    expect(diffContent(baseConfig()[0]!.content, baseConfig()[0]!.content)).toEqual([])
  })
})

describe('diffConfigSets', () => {
  it('lists added, removed and changed items with their changes', () => {
    const before = baseConfig()
    const after = remove(baseConfig(), 'views/deal/all')
    after.push({ namespace: 'views', entity: 'deal', key: 'won', content: { label: 'Won', columns: [], sort: [], pageSize: 10 } } as ConfigItem)
    edit(after, 'views/customer/all', (c) => (c.pageSize = 17))
    edit(after, 'objects/customer/fields', (c) => (c.fields[fieldIndex(after, 'customer', 'tier')].label = 'Level'))
    const diff = diffConfigSets(before, after)
    expect(diff.added).toEqual(['views/deal/won'])
    expect(diff.removed).toEqual(['views/deal/all'])
    expect(diff.changed).toEqual([
      {
        address: 'objects/customer/fields',
        changes: [{ path: ['fields', fieldIndex(after, 'customer', 'tier'), 'label'], kind: 'changed', before: 'Tier', after: 'Level' }],
      },
      { address: 'views/customer/all', changes: [{ path: ['pageSize'], kind: 'changed', before: 25, after: 17 }] },
    ])
  })

  it('is empty for the same set in another order', () => {
    expect(diffConfigSets(baseConfig(), baseConfig().reverse())).toEqual({ added: [], removed: [], changed: [] })
  })
})
