import { describe, expect, it } from 'vitest'
import { defaultConfig, entityOfPath, readSnapshotItems } from '../../../server/config-language'

describe('readSnapshotItems', () => {
  it('reads a stored snapshot as config items', () => {
    const items = defaultConfig()
    expect(readSnapshotItems(JSON.parse(JSON.stringify(items)))).toEqual(items)
  })
  it('refuses content that is not a list of items, instead of casting it', () => {
    expect(() => readSnapshotItems({ items: [] })).toThrow(/malformed/)
    expect(() => readSnapshotItems([{ namespace: 'nope', entity: 'customer', key: 'x', content: {} }])).toThrow(/malformed/)
  })
})

describe('entityOfPath', () => {
  it('maps a router name / URL segment to its entity', () => {
    expect(entityOfPath('deals')).toBe('deal')
    expect(entityOfPath('toString')).toBeUndefined()
  })
})
