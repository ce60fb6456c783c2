// A subscription over a buffered bus topic (record changes, inbox messages, notifications): replay
// from the recent-event buffer after the client's last event id, then live events, each as
// `{ id, data }` with its buffer id (the API layer makes that tRPC's `tracked`: server/trpc/
// tracked-stream.ts; realtime knows no API). A client whose id is older than the buffer (or
// unknown) gets one `{ type: 'refetch' }` and continues live from there.
import { z } from 'zod'
import { compareStreamIds, isStreamId, type BusEvent, type EventBus } from './event-bus'
import { CLOSED, OVERFLOW, createEventQueue } from './event-queue'
import { fanOutOf, shared } from './fan-out'

export type RefetchEvent = { type: 'refetch' }
export const REFETCH: RefetchEvent = { type: 'refetch' }

/** The input of every buffered subscription: only the resume point (tRPC fills it in on reconnect). */
/** One event of a resumable stream: `id` is what a client resumes from (`lastEventId`). */
export type StreamItem<T> = { id: string; data: T }

export const resumeInput = z.strictObject({ lastEventId: z.string().max(64).nullish() }).optional()

const RESYNC = Symbol('resync')
const LISTENING = Symbol('listening')

export async function* streamBuffered<T>(opts: {
  bus: EventBus
  tenantId: string
  topic: string
  lastEventId: string | null | undefined
  signal: AbortSignal | undefined
  /** Shapes a payload for this subscriber; null skips it (not addressed to them). */
  map: (payload: unknown) => T | null
  /**
   * Names the stream and everything `map` depends on besides the payload (e.g. `notifications
   * <userId> <role>`): subscribers with the same `sharedAs` get one result per live event, made once.
   */
  sharedAs: string
}): AsyncGenerator<StreamItem<T | RefetchEvent>, void, unknown> {
  const { bus, tenantId, topic, signal } = opts
  // Listen before reading the buffer, so nothing falls between the replay and the live events;
  // what arrives twice is dropped by id below.
  const queue = createEventQueue<BusEvent | typeof RESYNC | typeof LISTENING>(signal)
  const off = fanOutOf(bus).subscribe(tenantId, topic, { event: (event) => queue.push(event), resync: () => queue.push(RESYNC) })
  const mapShared = (event: BusEvent) => opts.map(event.payload)
  let cursor: string | null = null
  const seen = (id: string) => cursor !== null && isStreamId(id) && isStreamId(cursor) && compareStreamIds(id, cursor) <= 0

  async function* catchUp(from: string | null): AsyncGenerator<StreamItem<T | RefetchEvent>> {
    const recent = await bus.recent(tenantId, topic, from)
    if (from === null) {
      cursor = recent.lastId
      return
    }
    if (!recent.complete) {
      cursor = recent.lastId ?? (isStreamId(from) ? from : null)
      yield { id: cursor ?? '0-0', data: REFETCH }
      return
    }
    cursor = from
    for (const event of recent.events) {
      if (seen(event.id)) continue
      cursor = event.id
      const data = opts.map(event.payload)
      if (data !== null) yield { id: event.id, data }
    }
  }

  // Redis confirms a new channel's SUBSCRIBE after the replay below may have been read: once it
  // has, read the buffer again for anything appended in between.
  void bus.listening(tenantId, topic).then((waited) => waited && queue.push(LISTENING))
  try {
    yield* catchUp(opts.lastEventId ?? null)
    for (;;) {
      const item = await queue.next()
      if (item === CLOSED) return
      if (item === RESYNC || item === OVERFLOW) {
        yield* catchUp(cursor ?? '0-0')
        continue
      }
      if (item === LISTENING) {
        // An empty buffer at the start (cursor null): everything in it now came after.
        if (cursor !== null || (await bus.recent(tenantId, topic, null)).lastId !== null) yield* catchUp(cursor ?? '0-0')
        continue
      }
      if (seen(item.id)) continue
      cursor = item.id
      const data = shared(item, opts.sharedAs, mapShared)
      if (data !== null) yield { id: item.id, data }
    }
  } finally {
    off()
    queue.close()
  }
}
