// The fan-out: one bus listener per tenant and topic however many subscribers, per-event work done
// once per process, and the serialized frame of a shared event made once.
import { describe, expect, it } from 'vitest'
import superjson from 'superjson'
import { tracked } from '@trpc/server'
import { createMemoryBus, type BusEvent, type EventBus } from '../../../server/realtime/event-bus'
import { fanOutOf, shared } from '../../../server/realtime/fan-out'
import { shareSerialization, sharedFrameEncoder, sharedOutputTransformer } from '../../../server/trpc/shared-frames'

/** A memory bus that counts its subscriptions. */
function countingBus(): { bus: EventBus; listeners: () => number } {
  const inner = createMemoryBus()
  let listeners = 0
  const bus: EventBus = {
    ...inner,
    subscribe(tenantId, topic, handler) {
      listeners++
      const off = inner.subscribe(tenantId, topic, handler)
      return () => (listeners--, off())
    },
  }
  return { bus, listeners: () => listeners }
}

describe('fanOutOf', () => {
  it('listens to the bus once per tenant and topic, delivers to every subscriber, and stops when the last leaves', async () => {
    const { bus, listeners } = countingBus()
    const got: Array<[number, BusEvent]> = []
    const offs = [0, 1, 2].map((n) => fanOutOf(bus).subscribe('t1', 'thing', { event: (e) => got.push([n, e]), resync: () => undefined }))
    const other = fanOutOf(bus).subscribe('t2', 'thing', { event: (e) => got.push([9, e]), resync: () => undefined })
    expect(listeners()).toBe(2)
    await bus.append('t1', 'thing', { n: 1 })
    expect(got.map(([n]) => n)).toEqual([0, 1, 2])
    // One event object for all of them: what `shared` keys on.
    expect(new Set(got.map(([, e]) => e)).size).toBe(1)
    for (const off of offs) off()
    expect(listeners()).toBe(1)
    other()
    expect(listeners()).toBe(0)
    expect(fanOutOf(bus).size()).toEqual({ topics: 0, subscribers: 0 })
  })

  it('shared: makes a result once per event and key', () => {
    const event: BusEvent = { tenantId: 't', topic: 'x', id: '1-0', payload: { n: 1 } }
    let made = 0
    const make = (e: BusEvent) => ({ made: ++made, payload: e.payload })
    const a = shared(event, 'k1', make)
    expect(shared(event, 'k1', make)).toBe(a)
    expect(shared(event, 'k2', make)).not.toBe(a)
    expect(made).toBe(2)
  })
})

describe('shared frames', () => {
  const frame = (subscriptionId: number, envelope: ReturnType<typeof tracked>) => {
    const [id, data] = envelope
    return { id: subscriptionId, jsonrpc: '2.0', result: { type: 'data', data: sharedOutputTransformer.serialize({ id, data }), id } }
  }

  it('serializes a shared event once and encodes frames equal to plain JSON, per subscription id', () => {
    const data = { version: 3, at: new Date('2026-12-01T00:00:00Z'), message: 'quote " and \\ ' }
    shareSerialization(data)
    const one = frame(1, tracked('3', data))
    const two = frame(2, tracked('3', data))
    expect(two.result.data).toBe(one.result.data)
    for (const message of [one, two]) {
      const text = sharedFrameEncoder.encode(message)
      expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(message)))
      expect(superjson.deserialize(JSON.parse(text).result.data)).toEqual({ id: '3', data })
    }
  })

  it('leaves unshared values and other messages to superjson and JSON.stringify', () => {
    const data = { version: 4 }
    const a = sharedOutputTransformer.serialize({ id: '4', data })
    expect(sharedOutputTransformer.serialize({ id: '4', data })).not.toBe(a)
    const error = { id: 1, jsonrpc: '2.0', error: { message: 'no' } }
    expect(sharedFrameEncoder.encode(error)).toBe(JSON.stringify(error))
    const started = { id: 1, jsonrpc: '2.0', result: { type: 'started' } }
    expect(sharedFrameEncoder.encode(started)).toBe(JSON.stringify(started))
  })
})
