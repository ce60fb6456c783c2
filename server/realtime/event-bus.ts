// One event bus, two implementations: Redis when REDIS_URL is set (so every app instance sees every
// event), an in-process emitter otherwise. Channels are tenant-scoped by construction: callers name
// a tenant and a topic, never a raw channel.
//
// Two ways to send (docs/decisions/005-realtime.md):
// - `publish`: fire-and-forget fan-out (Redis PUBLISH). For events whose history lives elsewhere,
//   like `config.published`, replayed from the ConfigPublishLog table.
// - `append`: also keeps the event in a bounded per tenant+topic buffer that late or reconnecting
//   subscribers read with `recent` (a Redis Stream trimmed with XADD MAXLEN, shared by instances;
//   an in-memory ring otherwise). The buffer assigns the event's id, ordered like the stream.
//
// Delivery is at least once: an event may arrive twice (a publish retried after an outage), and
// may be missed while a connection is down. Consumers dedupe by id and re-read their source of
// truth when `onResync` fires.
import { EventEmitter } from 'node:events'
import { Redis } from 'ioredis'
import type { Logger } from '../logger'

export type BusEvent = { topic: string; tenantId: string; id: string; payload: unknown }
export type BusHandler = (event: BusEvent) => void

export type RecentEvents = {
  /** Buffered events after the given id, oldest first. */
  events: BusEvent[]
  /** False when events after the given id were already dropped (or the id is unknown): refetch. */
  complete: boolean
  /** The id of the newest buffered event, or null when the buffer is empty. */
  lastId: string | null
}

export type BusStatus = {
  kind: 'memory' | 'redis'
  connected: boolean
  publishFailures: number
  /** Events waiting to be sent again once Redis is back. */
  pendingRetries: number
}

export interface EventBus {
  readonly kind: 'memory' | 'redis'
  /** Never throws: a failed publish is logged, counted and retried; it must not undo the write that caused it. */
  publish(event: BusEvent): Promise<void>
  /**
   * Stores the event in the tenant+topic's bounded buffer, giving it an ordered id, and publishes
   * it. Never throws: returns null when the buffer is unreachable (the event is retried later).
   */
  append(tenantId: string, topic: string, payload: unknown): Promise<BusEvent | null>
  /** The buffered events after `afterId` (null: none, only `lastId`). Never throws (incomplete instead). */
  recent(tenantId: string, topic: string, afterId: string | null): Promise<RecentEvents>
  subscribe(tenantId: string, topic: string, handler: BusHandler): () => void
  /**
   * Resolves once events of the topic published anywhere reach this process's subscribers (Redis
   * confirms a new channel's SUBSCRIBE asynchronously), with true when that was still pending when
   * asked: a stream that started meanwhile re-reads its replay source then, so nothing published
   * in between falls through. Bounded: never waits more than a few seconds.
   */
  listening(tenantId: string, topic: string): Promise<boolean>
  /** Called after the bus was disconnected and is back: events may have been missed meanwhile. */
  onResync(handler: () => void): () => void
  /**
   * Process-wide wake-up signals: no tenant, no payload, no buffer, no retry. `signal(topic)`
   * reaches the `onSignal(topic)` handlers of every instance (this one at once), best effort: a
   * lost signal may only delay a consumer that also polls (the automation worker, decision 018).
   * Signals sent in one turn of the event loop go out as one.
   */
  signal(topic: string): void
  onSignal(topic: string, handler: () => void): () => void
  status(): BusStatus
  close(): Promise<void>
}

export type BusOptions = {
  prefix?: string
  /** Entries kept per tenant+topic in the recent-event buffer. */
  bufferSize?: number
  /** Events kept for a retry while Redis is unreachable; the oldest are dropped beyond this. */
  maxPendingRetries?: number
}

export const DEFAULT_BUFFER_SIZE = 1_000
const DEFAULT_MAX_PENDING = 10_000
/** An idle tenant's buffer expires after a day: the ids it held are then answered with "refetch". */
const BUFFER_TTL_MS = 24 * 60 * 60 * 1000

/** The channel of a process-wide signal (never a tenant's: tenant channels start with `t:`). */
export function signalChannelOf(topic: string, prefix = 'pulse8:'): string {
  return `${prefix}signal:${topic}`
}

/**
 * `signal` coalesced per event-loop turn: a burst of commits sends one signal, after the turn in
 * which they asked (so after their commits).
 */
function coalesced(send: (topic: string) => void): (topic: string) => void {
  const queued = new Set<string>()
  return (topic) => {
    if (queued.has(topic)) return
    queued.add(topic)
    setImmediate(() => {
      queued.delete(topic)
      send(topic)
    })
  }
}

export function channelOf(tenantId: string, topic: string, prefix = 'pulse8:'): string {
  return `${prefix}t:${tenantId}:${topic}`
}

export function bufferKeyOf(tenantId: string, topic: string, prefix = 'pulse8:'): string {
  return `${channelOf(tenantId, topic, prefix)}:recent`
}

// ---- buffer ids: `<ms>-<seq>`, the Redis Stream id format, compared numerically ----------------

const STREAM_ID = /^(\d{1,16})-(\d{1,16})$/

export function isStreamId(id: string): boolean {
  return STREAM_ID.test(id)
}

/** Orders two stream ids (`<ms>-<seq>`): negative, zero or positive. Both must be valid. */
export function compareStreamIds(a: string, b: string): number {
  const [, am, as] = STREAM_ID.exec(a)!
  const [, bm, bs] = STREAM_ID.exec(b)!
  return Number(am) - Number(bm) || Number(as) - Number(bs)
}

/** Reconnect delays for Redis: 50 ms doubling up to 1 s, so a recovered Redis is in use within a second. */
export const redisRetryStrategy = (times: number) => Math.min(50 * 2 ** Math.max(0, times - 1), 1_000)

// ---- in-process ---------------------------------------------------------------------------------

export function createMemoryBus(opts: Pick<BusOptions, 'bufferSize'> = {}): EventBus {
  const bufferSize = opts.bufferSize ?? DEFAULT_BUFFER_SIZE
  const emitter = new EventEmitter()
  emitter.setMaxListeners(0)
  type Ring = { events: BusEvent[]; lastDropped: string | null; lastId: string | null }
  const rings = new Map<string, Ring>()
  let lastMs = 0
  let seq = 0
  let publishFailures = 0
  // A throwing subscriber must not make the write that announced the event fail.
  const emit = (channel: string, event: BusEvent) => {
    try {
      emitter.emit(channel, event)
    } catch {
      publishFailures++
    }
  }
  const nextId = () => {
    const now = Date.now()
    if (now > lastMs) {
      lastMs = now
      seq = 0
    } else seq++
    return `${lastMs}-${seq}`
  }
  return {
    kind: 'memory',
    async publish(event) {
      emit(channelOf(event.tenantId, event.topic), event)
    },
    async append(tenantId, topic, payload) {
      const ch = channelOf(tenantId, topic)
      let ring = rings.get(ch)
      if (!ring) rings.set(ch, (ring = { events: [], lastDropped: null, lastId: null }))
      const event: BusEvent = { tenantId, topic, id: nextId(), payload }
      ring.events.push(event)
      ring.lastId = event.id
      while (ring.events.length > bufferSize) ring.lastDropped = ring.events.shift()!.id
      emit(ch, event)
      return event
    },
    async recent(tenantId, topic, afterId) {
      const ring = rings.get(channelOf(tenantId, topic))
      const lastId = ring?.lastId ?? null
      if (afterId === null) return { events: [], complete: true, lastId }
      if (!isStreamId(afterId) || !ring || compareStreamIds(afterId, lastId!) > 0) return { events: [], complete: false, lastId }
      const complete = ring.lastDropped === null || compareStreamIds(afterId, ring.lastDropped) >= 0
      return { events: complete ? ring.events.filter((e) => compareStreamIds(e.id, afterId) > 0) : [], complete, lastId }
    },
    subscribe(tenantId, topic, handler) {
      const ch = channelOf(tenantId, topic)
      emitter.on(ch, handler)
      return () => emitter.off(ch, handler)
    },
    listening: async () => false,
    onResync: () => () => undefined,
    signal: coalesced((topic) => emit(signalChannelOf(topic), { tenantId: '', topic, id: '', payload: null })),
    onSignal(topic, handler) {
      const ch = signalChannelOf(topic)
      emitter.on(ch, handler)
      return () => emitter.off(ch, handler)
    },
    status: () => ({ kind: 'memory', connected: true, publishFailures, pendingRetries: 0 }),
    async close() {
      emitter.removeAllListeners()
      rings.clear()
    },
  }
}

// ---- Redis --------------------------------------------------------------------------------------

// XADD and PUBLISH in one atomic script: subscribers receive events in stream order, which is what
// lets them drop anything at or before the last id they have (the replay/live seam).
const APPEND_SCRIPT = `
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'e', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PUBLISH', KEYS[2], cjson.encode({ id = id, e = ARGV[2] }))
return id
`

type Wire = { e: string; id?: string }
type Pending = { kind: 'publish'; event: BusEvent } | { kind: 'append'; tenantId: string; topic: string; payload: unknown }

/**
 * Retries of failed publishes while the connection stays up (a command timeout during a stall):
 * 'ready' never fires again for those, so a timer retries them, backing off to the maximum.
 */
const RETRY_MIN_MS = 250
const RETRY_MAX_MS = 5_000

/** The longest a stream waits for its Redis subscription before it starts (see `listening`). */
const LISTENING_BOUND_MS = 3_000

export function createRedisBus(url: string, logger: Logger, options: BusOptions | string = {}): EventBus {
  const opts: BusOptions = typeof options === 'string' ? { prefix: options } : options
  const prefix = opts.prefix ?? 'pulse8:'
  const bufferSize = opts.bufferSize ?? DEFAULT_BUFFER_SIZE
  const maxPending = opts.maxPendingRetries ?? DEFAULT_MAX_PENDING
  // One publisher and one subscriber connection per process, however many sockets subscribe: the
  // subscriber fans events out in-process. ioredis reconnects with backoff and re-subscribes the
  // subscriber's channels itself. Commands fail at once while disconnected (no offline queue), and
  // so do those in flight when the connection drops (no ioredis retry: our own queue retries): a
  // write must never wait on Redis, nor hang on a half-open connection (command timeout).
  const pub = new Redis(url, {
    retryStrategy: redisRetryStrategy,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    commandTimeout: 2_000,
    connectionName: 'pulse8-bus-pub',
  })
  const sub = new Redis(url, { retryStrategy: redisRetryStrategy, maxRetriesPerRequest: null, connectionName: 'pulse8-bus-sub' })
  const emitter = new EventEmitter()
  emitter.setMaxListeners(0)
  const resync = new EventEmitter()
  resync.setMaxListeners(0)
  const counts = new Map<string, number>()
  // The SUBSCRIBE of each channel this process listens to, resolved when Redis confirmed it.
  const confirmations = new Map<string, { done: boolean; promise: Promise<void> }>()
  const pending: Pending[] = []
  let publishFailures = 0
  let closing = false
  // Signal channels this process listens to, with their handler counts.
  const signals = new Map<string, number>()
  const emitSafely = (channel: string) => {
    try {
      emitter.emit(channel)
    } catch (error) {
      logger.warn('bus signal handler failed', { channel, error: String(error) })
    }
  }

  const label = (conn: Redis) => (conn === pub ? 'publisher' : 'subscriber')
  for (const conn of [pub, sub]) {
    let lost = false
    conn.on('error', (err) => logger.debug('redis error', { connection: label(conn), error: String(err) }))
    conn.on('close', () => {
      if (!lost && !closing) logger.warn('event bus: redis connection lost, reconnecting', { connection: label(conn) })
      lost = true
    })
    conn.on('ready', () => {
      // Events that failed before the very first connect are sent now too.
      if (conn === pub) void flushPending()
      if (!lost) return
      lost = false
      logger.info('event bus: redis connection back', { connection: label(conn) })
      if (conn === pub) return
      // Anything published while the subscriber was away was not heard: consumers re-read. ioredis
      // re-subscribes right after 'ready'; a PING queued behind those SUBSCRIBEs answers once they
      // are in effect, so nothing published after the re-read can fall between the two.
      setImmediate(
        () =>
          void sub.ping().then(
            () => resync.emit('resync'),
            () => resync.emit('resync'),
          ),
      )
    })
  }

  sub.on('message', (channel: string, message: string) => {
    if (signals.has(channel)) return void emitSafely(channel)
    try {
      const wire = JSON.parse(message) as Wire | BusEvent
      // Appended events arrive as { id, e } (the id is the stream's); published ones as the event.
      const event: BusEvent = 'e' in wire ? { ...(JSON.parse(wire.e) as BusEvent), id: wire.id! } : wire
      emitter.emit(channel, event)
    } catch (err) {
      logger.warn('bad bus message', { channel, error: String(err) })
    }
  })

  function fail(what: string, err: unknown, retry: Pending) {
    publishFailures++
    logger.warn('bus publish failed; will retry when redis is back', { what, error: String(err) })
    pending.push(retry)
    if (pending.length > maxPending) {
      pending.shift()
      logger.warn('bus retry queue full: dropped the oldest event', { maxPending })
    }
    scheduleRetry()
  }

  // A reconnect flushes at once ('ready'); this covers failures on a connection that never dropped.
  let retryTimer: NodeJS.Timeout | undefined
  let retryDelay = RETRY_MIN_MS
  function scheduleRetry() {
    if (retryTimer || closing || pending.length === 0) return
    retryTimer = setTimeout(() => {
      retryTimer = undefined
      void flushPending()
    }, retryDelay)
    retryTimer.unref()
    retryDelay = Math.min(retryDelay * 2, RETRY_MAX_MS)
  }

  async function rawAppend(tenantId: string, topic: string, payload: unknown): Promise<BusEvent> {
    const body = JSON.stringify({ tenantId, topic, id: '', payload } satisfies BusEvent)
    const id = (await pub.eval(
      APPEND_SCRIPT,
      2,
      bufferKeyOf(tenantId, topic, prefix),
      channelOf(tenantId, topic, prefix),
      bufferSize,
      body,
      BUFFER_TTL_MS,
    )) as string
    return { tenantId, topic, id, payload }
  }

  let flushing = false
  async function flushPending() {
    if (flushing) return
    flushing = true
    try {
      while (pending.length && pub.status === 'ready') {
        const next = pending[0]!
        if (next.kind === 'publish') await pub.publish(channelOf(next.event.tenantId, next.event.topic, prefix), JSON.stringify(next.event))
        else await rawAppend(next.tenantId, next.topic, next.payload)
        pending.shift()
      }
      if (pending.length === 0) retryDelay = RETRY_MIN_MS
    } catch (err) {
      logger.warn('bus retry failed; will retry', { error: String(err) })
    } finally {
      flushing = false
    }
    scheduleRetry()
  }

  return {
    kind: 'redis',
    async publish(event) {
      try {
        await pub.publish(channelOf(event.tenantId, event.topic, prefix), JSON.stringify(event))
      } catch (err) {
        fail(event.topic, err, { kind: 'publish', event })
        // This instance's own subscribers need not wait for Redis; the retry's echo is a duplicate
        // they drop by id.
        try {
          emitter.emit(channelOf(event.tenantId, event.topic, prefix), event)
        } catch (error) {
          logger.warn('bus subscriber failed', { topic: event.topic, error: String(error) })
        }
      }
    },
    async append(tenantId, topic, payload) {
      try {
        return await rawAppend(tenantId, topic, payload)
      } catch (err) {
        fail(topic, err, { kind: 'append', tenantId, topic, payload })
        return null
      }
    },
    async recent(tenantId, topic, afterId) {
      const key = bufferKeyOf(tenantId, topic, prefix)
      try {
        if (afterId !== null && !isStreamId(afterId)) return { events: [], complete: false, lastId: await lastIdOf(key) }
        if (afterId === null) return { events: [], complete: true, lastId: await lastIdOf(key) }
        const results = await pub.multi().xinfo('STREAM', key).xrange(key, `(${afterId}`, '+').exec()
        const [infoErr, info] = results?.[0] ?? [new Error('no reply'), null]
        if (infoErr) return { events: [], complete: false, lastId: null } // no buffer (expired or never written)
        const fields = infoFields(info as unknown[])
        const lastId = String(fields['last-generated-id'])
        const firstEntry = fields['first-entry'] as [string, string[]] | null
        const firstId = firstEntry?.[0] ?? null
        const trimmed = Number(fields['entries-added']) > Number(fields['length'])
        // Newer than anything this buffer made (another Redis, or a flushed one): start over.
        if (compareStreamIds(afterId, lastId) > 0) return { events: [], complete: false, lastId }
        // Older than the oldest kept entry, after trimming: what came between may be gone. (Redis
        // 7.0's trimming leaves max-deleted-entry-id alone, hence the count.)
        if (trimmed && (firstId === null || compareStreamIds(afterId, firstId) < 0)) return { events: [], complete: false, lastId }
        const [rangeErr, entries] = results![1]!
        if (rangeErr) throw rangeErr
        const events = (entries as Array<[string, string[]]>).map(([id, kv]) => ({ ...(JSON.parse(kv[1]!) as BusEvent), id }))
        return { events, complete: true, lastId }
      } catch (err) {
        logger.warn('bus recent-events read failed', { topic, error: String(err) })
        return { events: [], complete: false, lastId: null }
      }
    },
    subscribe(tenantId, topic, handler) {
      const ch = channelOf(tenantId, topic, prefix)
      emitter.on(ch, handler)
      const n = (counts.get(ch) ?? 0) + 1
      counts.set(ch, n)
      if (n === 1) {
        const confirmation = { done: false, promise: Promise.resolve() }
        confirmation.promise = sub.subscribe(ch).then(
          () => void (confirmation.done = true),
          (err) => logger.warn('bus subscribe failed', { ch, error: String(err) }),
        )
        confirmations.set(ch, confirmation)
      }
      let done = false
      return () => {
        if (done) return
        done = true
        emitter.off(ch, handler)
        const left = (counts.get(ch) ?? 1) - 1
        if (left > 0) return void counts.set(ch, left)
        counts.delete(ch)
        confirmations.delete(ch)
        sub.unsubscribe(ch).catch(() => undefined)
      }
    },
    async listening(tenantId, topic) {
      const confirmation = confirmations.get(channelOf(tenantId, topic, prefix))
      if (!confirmation || confirmation.done) return false
      // While Redis is away the SUBSCRIBE waits for the reconnect; the stream goes on meanwhile and
      // the reconnect's resync fills what it missed.
      let timer: NodeJS.Timeout | undefined
      const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, LISTENING_BOUND_MS)))
      await Promise.race([confirmation.promise, bound])
      clearTimeout(timer)
      return true
    },
    onResync(handler) {
      resync.on('resync', handler)
      return () => resync.off('resync', handler)
    },
    // This instance hears its own signal at once; the others through Redis (its echo here is one
    // more wake-up, harmless). A failed publish is not retried: consumers of signals also poll.
    signal: coalesced((topic) => {
      const ch = signalChannelOf(topic, prefix)
      emitSafely(ch)
      if (pub.status === 'ready') pub.publish(ch, '1').catch((err: unknown) => logger.debug('bus signal failed', { topic, error: String(err) }))
    }),
    onSignal(topic, handler) {
      const ch = signalChannelOf(topic, prefix)
      emitter.on(ch, handler)
      const n = (signals.get(ch) ?? 0) + 1
      signals.set(ch, n)
      if (n === 1) sub.subscribe(ch).catch((err: unknown) => logger.warn('bus subscribe failed', { ch, error: String(err) }))
      let done = false
      return () => {
        if (done) return
        done = true
        emitter.off(ch, handler)
        const left = (signals.get(ch) ?? 1) - 1
        if (left > 0) return void signals.set(ch, left)
        signals.delete(ch)
        sub.unsubscribe(ch).catch(() => undefined)
      }
    },
    status: () => ({ kind: 'redis', connected: pub.status === 'ready' && sub.status === 'ready', publishFailures, pendingRetries: pending.length }),
    async close() {
      closing = true
      clearTimeout(retryTimer)
      emitter.removeAllListeners()
      resync.removeAllListeners()
      await flushPending()
      // quit() on a client that is not connected waits in its offline queue for a Redis that may never return.
      await Promise.allSettled([pub, sub].map((c) => (c.status === 'ready' ? c.quit() : undefined)))
      pub.disconnect()
      sub.disconnect()
    },
  }

  async function lastIdOf(key: string): Promise<string | null> {
    const last = (await pub.xrevrange(key, '+', '-', 'COUNT', 1)) as Array<[string, string[]]>
    return last[0]?.[0] ?? null
  }
}

function infoFields(flat: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = flat[i + 1]
  return out
}
