import { describe, expect, test } from 'vitest'
import { listInput, parseTableState, tableStateToParams, type TableViewState } from '../../../app/components/crm/table-state'

describe('table state in the URL', () => {
  test('round-trips sort, filters, search and the cursor trail', () => {
    const state: TableViewState = {
      sort: [
        { field: 'annualRevenue', direction: 'desc' },
        { field: 'name', direction: 'asc' },
      ],
      filter: [
        { field: 'tier', op: 'eq', value: 'gold' },
        { field: 'tags', op: 'isEmpty' },
      ],
      search: 'acme',
      cursors: ['c1', 'c2'],
    }
    const params = tableStateToParams('all', state)
    expect(params.get('view')).toBe('all')
    expect(parseTableState(new URLSearchParams(params.toString()))).toEqual(state)
  })

  test('ignores malformed or hostile parameters instead of failing the page', () => {
    const params = new URLSearchParams({
      sort: 'name:sideways,"; drop table:asc,createdAt:desc',
      filter: '[{"field":"tier"},{"field":"x","op":"eq","value":1}, 5]',
    })
    const state = parseTableState(params)
    expect(state.sort).toEqual([{ field: 'createdAt', direction: 'desc' }])
    expect(state.filter).toEqual([{ field: 'x', op: 'eq', value: 1 }])
    expect(parseTableState(new URLSearchParams({ filter: '{not json' })).filter).toEqual([])
  })

  test('the list input ANDs the chips and pages from the last cursor', () => {
    const input = listInput('gold', { sort: null, filter: [{ field: 'tier', op: 'eq', value: 'gold' }], search: '', cursors: ['a', 'b'] })
    expect(input).toEqual({ view: 'gold', filter: { all: [{ field: 'tier', op: 'eq', value: 'gold' }] }, cursor: 'b' })
    expect(listInput(undefined, { sort: null, filter: [], search: '', cursors: [] })).toEqual({})
  })
})
