// One bus listener per tenant and topic in a process, however many subscriptions listen: the fan-out
// keeps their subscribers in a set and hands each event (parsed once by the bus) to all of them, and
// one resync listener per process tells them all to re-read after a bus reconnect. Before, each
// subscription added its own bus and resync listeners (decision 028).
//
// `shared(event, key, make)` is the other half: work on an event that does not depend on the
// subscriber (or depends only on `key`, e.g. a role) is done once per event and process, and every
// subscriber gets the same object, which is also what lets the API layer serialize it once
// (server/trpc/shared-frames.ts). The results live as long as the event object does.
import type { BusEvent, EventBus } from './event-bus'

export interface TopicSubscriber {
  event(event: BusEvent): void
  /** The bus was away: events may have been missed, re-read the source of truth. */
  resync(): void
}

export interface FanOut {
  subscribe(tenantId: string, topic: string, subscriber: TopicSubscriber): () => void
  /** Open topics and their subscriber counts (tests, /healthz). */
  size(): { topics: number; subscribers: number }
}

type Topic = { subscribers: Set<TopicSubscriber>; off: () => void }

const fanOuts = new WeakMap<EventBus, FanOut>()

/** The process's fan-out over `bus` (one per bus). */
export function fanOutOf(bus: EventBus): FanOut {
  let fanOut = fanOuts.get(bus)
  if (!fanOut) fanOuts.set(bus, (fanOut = createFanOut(bus)))
  return fanOut
}

function createFanOut(bus: EventBus): FanOut {
  const topics = new Map<string, Topic>()
  let offResync: (() => void) | null = null
  const each = (deliver: (s: TopicSubscriber) => void) => {
    for (const topic of topics.values()) for (const s of topic.subscribers) deliver(s)
  }
  return {
    subscribe(tenantId, topic, subscriber) {
      // Tenant ids and topics are ids and dotted names: a space cannot occur in either.
      const key = `${tenantId} ${topic}`
      let entry = topics.get(key)
      if (!entry) {
        const subscribers = new Set<TopicSubscriber>()
        const off = bus.subscribe(tenantId, topic, (event) => {
          for (const s of subscribers) s.event(event)
        })
        topics.set(key, (entry = { subscribers, off }))
        offResync ??= bus.onResync(() => each((s) => s.resync()))
      }
      const mine = entry
      mine.subscribers.add(subscriber)
      return () => {
        if (!mine.subscribers.delete(subscriber) || mine.subscribers.size) return
        mine.off()
        topics.delete(key)
        if (topics.size === 0) {
          offResync?.()
          offResync = null
        }
      }
    },
    size() {
      let subscribers = 0
      for (const t of topics.values()) subscribers += t.subscribers.size
      return { topics: topics.size, subscribers }
    },
  }
}

const sharedResults = new WeakMap<BusEvent, Map<string, unknown>>()

/**
 * `make(event)` once per event and `key` in this process: subscribers whose result can only differ
 * by `key` (their role, their user id) share one object. `make` must depend on nothing else.
 */
export function shared<T>(event: BusEvent, key: string, make: (event: BusEvent) => T): T {
  let results = sharedResults.get(event)
  if (!results) sharedResults.set(event, (results = new Map()))
  if (results.has(key)) return results.get(key) as T
  const result = make(event)
  results.set(key, result)
  return result
}
