import { describe, expect, test } from 'vitest'
import { pagerLinks, trailOf } from '../../../app/utils/cursor-trail'

describe('paging by cursor with a way back (audit log, run log)', () => {
  const filters = { status: 'failed', record: '' }

  test('the first page links only to older entries, keeping the filters', () => {
    expect(pagerLinks(filters, { cursor: null, trail: [], nextCursor: 'c1' })).toEqual({ older: '?status=failed&cursor=c1', newer: null })
  })

  test('the second page steps back to the first page, and on with the current cursor in the trail', () => {
    expect(pagerLinks(filters, { cursor: 'c1', trail: [], nextCursor: 'c2' })).toEqual({
      older: '?status=failed&trail=c1&cursor=c2',
      newer: '?status=failed',
    })
  })

  test('a deeper page steps back to the previous cursor, and the last page has no older link', () => {
    expect(pagerLinks({}, { cursor: 'c2', trail: ['c1'], nextCursor: null })).toEqual({ older: null, newer: '?cursor=c1' })
  })

  test('the trail from the URL is bounded and drops empty cursors', () => {
    const params = new URLSearchParams([...Array.from({ length: 60 }, (_, i) => ['trail', `c${i}`]), ['trail', '']])
    const trail = trailOf(params)
    expect(trail).toHaveLength(50)
    expect(trail.at(-1)).toBe('c59')
  })
})
