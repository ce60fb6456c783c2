// A stream's bus subscription may be confirmed after the stream has read its replay source (Redis
// confirms a SUBSCRIBE asynchronously). An event appended in that gap must still reach the
// subscriber: the stream reads the buffer again once the bus says it is listening.
import { describe, expect, it } from 'vitest'
import { streamBuffered } from '../../server/realtime/buffered-stream'
import { createMemoryBus, type EventBus } from '../../server/realtime/event-bus'

/** A memory bus whose subscriptions start delivering only when `confirm()` is called, like Redis's. */
function lateSubscribingBus() {
  const inner = createMemoryBus()
  let confirm!: () => void
  const confirmed = new Promise<void>((resolve) => (confirm = resolve))
  let bufferRead!: () => void
  const firstBufferRead = new Promise<void>((resolve) => (bufferRead = resolve))
  const bus: EventBus = {
    ...inner,
    subscribe(tenantId, topic, handler) {
      let off = () => undefined as void
      let closed = false
      void confirmed.then(() => {
        if (!closed) off = inner.subscribe(tenantId, topic, handler)
      })
      return () => {
        closed = true
        off()
      }
    },
    listening: async () => {
      await confirmed
      return true
    },
    async recent(tenantId, topic, afterId) {
      const result = await inner.recent(tenantId, topic, afterId)
      bufferRead()
      return result
    },
  }
  return { bus, inner, confirm, firstBufferRead }
}

describe('streamBuffered with a subscription confirmed late', () => {
  it('delivers an event appended between the replay read and the confirmation', async () => {
    const { bus, inner, confirm, firstBufferRead } = lateSubscribingBus()
    const abort = new AbortController()
    const stream = streamBuffered({
      bus,
      tenantId: 't1',
      topic: 'thing.changed',
      lastEventId: null,
      signal: abort.signal,
      sharedAs: 'test',
      map: (p) => p as { n: number },
    })
    const first = stream.next()
    await firstBufferRead
    // Let the stream settle on its (empty) replay before the event is appended.
    await new Promise((resolve) => setImmediate(resolve))
    await inner.append('t1', 'thing.changed', { n: 1 })
    confirm()
    const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error('the event appended in the gap never arrived')), 2_000))
    const item = (await Promise.race([first, timeout])) as IteratorResult<{ data: unknown }>
    expect(item.value?.data).toEqual({ n: 1 })
    abort.abort()
    await stream.return(undefined)
  })
})
