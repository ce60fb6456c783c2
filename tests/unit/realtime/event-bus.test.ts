// The in-process bus and its recent-event buffer (the Redis one is covered by the integration
// suites when REDIS_URL is set), stream-id ordering, and the subscription queue.
import { describe, expect, it } from 'vitest'
import { channelOf, compareStreamIds, createMemoryBus, isStreamId, redisRetryStrategy } from '../../../server/realtime/event-bus'
import { CLOSED, OVERFLOW, createEventQueue } from '../../../server/realtime/event-queue'

describe('stream ids', () => {
  it('orders by time, then sequence, numerically', () => {
    expect(compareStreamIds('1700000000000-0', '1700000000000-1')).toBeLessThan(0)
    expect(compareStreamIds('1700000000001-0', '1700000000000-99')).toBeGreaterThan(0)
    expect(compareStreamIds('9-10', '9-9')).toBeGreaterThan(0)
    expect(compareStreamIds('5-5', '5-5')).toBe(0)
  })
  it('recognises only <ms>-<seq>', () => {
    expect(isStreamId('1-0')).toBe(true)
    for (const bad of ['', '1', '1-', '-1', 'a-b', '1-0-0', '12 ']) expect(isStreamId(bad), bad).toBe(false)
  })
})

describe('channels', () => {
  it('are tenant-scoped and prefixed', () => {
    expect(channelOf('t1', 'config.published', 'p:')).toBe('p:t:t1:config.published')
  })
  it('reconnect with backoff, within a second', () => {
    expect([1, 2, 3, 4, 5, 10, 100].map(redisRetryStrategy)).toEqual([50, 100, 200, 400, 800, 1000, 1000])
  })
})

describe('memory bus', () => {
  it('delivers to subscribers of the same tenant and topic only', async () => {
    const bus = createMemoryBus()
    const got: string[] = []
    const off = bus.subscribe('acme', 'x', (e) => got.push(`acme:${e.id}`))
    bus.subscribe('globex', 'x', (e) => got.push(`globex:${e.id}`))
    await bus.publish({ tenantId: 'acme', topic: 'x', id: '1', payload: null })
    await bus.publish({ tenantId: 'acme', topic: 'y', id: '2', payload: null })
    off()
    await bus.publish({ tenantId: 'acme', topic: 'x', id: '3', payload: null })
    expect(got).toEqual(['acme:1'])
  })

  it('keeps a bounded, ordered buffer and says when an id is older than it', async () => {
    const bus = createMemoryBus({ bufferSize: 3 })
    const ids: string[] = []
    for (let i = 0; i < 5; i++) ids.push((await bus.append('acme', 'r', { i }))!.id)
    expect([...ids].sort(compareStreamIds)).toEqual(ids)
    expect(new Set(ids).size).toBe(5)

    const fromThird = await bus.recent('acme', 'r', ids[2]!)
    expect(fromThird).toEqual({ complete: true, lastId: ids[4], events: [expect.objectContaining({ id: ids[3] }), expect.objectContaining({ id: ids[4] })] })
    // ids[1] was the last dropped: everything after it is still there.
    expect((await bus.recent('acme', 'r', ids[1]!)).complete).toBe(true)
    expect(await bus.recent('acme', 'r', ids[0]!)).toMatchObject({ complete: false, events: [] })
    expect(await bus.recent('acme', 'r', 'garbage')).toMatchObject({ complete: false })
    expect(await bus.recent('acme', 'r', '99999999999999-0')).toMatchObject({ complete: false })
    expect(await bus.recent('acme', 'r', null)).toEqual({ events: [], complete: true, lastId: ids[4] })
    // Another tenant's buffer knows nothing of acme's ids.
    expect(await bus.recent('globex', 'r', ids[3]!)).toMatchObject({ complete: false, events: [], lastId: null })
  })
})

describe('event queue', () => {
  it('hands items over in order and ends when the signal aborts', async () => {
    const ac = new AbortController()
    const q = createEventQueue<number>(ac.signal)
    q.push(1)
    q.push(2)
    expect(await q.next()).toBe(1)
    expect(await q.next()).toBe(2)
    const waiting = q.next()
    ac.abort()
    expect(await waiting).toBe(CLOSED)
  })
  it('replaces a backlog beyond its bound with one overflow marker', async () => {
    const q = createEventQueue<number>(undefined, 2)
    q.push(1)
    q.push(2)
    q.push(3)
    expect(await q.next()).toBe(OVERFLOW)
    q.push(4)
    expect(await q.next()).toBe(4)
  })
})
