// The config domain's stream of published versions (`config.onPublished` serves it): every
// published version of the tenant's configuration, in order, each as `{ id, data }` with its
// version number as id (the router makes that tRPC's `tracked`). The ConfigPublishLog table is the source of truth: a client
// resuming with its last version gets exactly the versions after it from there, then live events
// from the bus. Bus events only say "version N exists"; any gap (a missed or late event, a bus
// reconnect) is filled from the log, and versions at or below the last one sent are dropped, so
// the stream has no holes and no duplicates whatever the bus does.
import { z } from 'zod'
import type { TenantScope } from '../kernel'
import type { BusEvent, EventBus } from '../realtime/event-bus'
import { fanOutOf, shared } from '../realtime/fan-out'
import { CLOSED, OVERFLOW, createEventQueue } from '../realtime/event-queue'
import type { StreamItem } from '../realtime/buffered-stream'
import { CONFIG_PUBLISHED, type PublishedEvent } from './publish'
import { headVersion, type ConfigReader } from './config-store'

/** What a subscriber learns of a publish: never the content (drafts or snapshot), only its identity. */
export type ConfigPublishedEvent = Pick<PublishedEvent, 'version' | 'checksum' | 'message' | 'kind' | 'authorLabel' | 'changedItems' | 'at'>

export const configPublishedInput = z
  .strictObject({
    lastEventId: z
      .string()
      .regex(/^\d{1,9}$/, 'The last config version received')
      .nullish(),
  })
  .optional()

const REPLAY_PAGE = 200
/** How often a process re-reads the head version of a tenant it streams, should every event be lost. */
export const CONFIG_SAFETY_POLL_MS = 10_000

function toEvent(e: PublishedEvent | ConfigPublishedEvent): ConfigPublishedEvent {
  return { version: e.version, checksum: e.checksum, message: e.message, kind: e.kind, authorLabel: e.authorLabel, changedItems: e.changedItems, at: e.at }
}

/** What every subscriber of the process gets for one bus event: one object, made once. */
const liveEvent = (e: BusEvent) => shared(e, 'config published', (event) => toEvent(event.payload as PublishedEvent))

/** Published versions in (after, upTo], oldest first, read from the publish log. */
export async function publishedVersions(
  db: Pick<TenantScope['db'], 'configPublishLog' | 'configSnapshot'>,
  after: number,
  upTo?: number,
): Promise<ConfigPublishedEvent[]> {
  const rows = await db.configPublishLog.findMany({
    where: { version: upTo === undefined ? { gt: after } : { gt: after, lte: upTo } },
    orderBy: { version: 'asc' },
    take: REPLAY_PAGE,
    select: { version: true, kind: true, message: true, checksum: true, changedItems: true, createdAt: true },
  })
  if (!rows.length) return []
  const snaps = await db.configSnapshot.findMany({ where: { version: { in: rows.map((r) => r.version) } }, select: { version: true, authorLabel: true } })
  const authors = new Map(snaps.map((s) => [s.version, s.authorLabel]))
  return rows.map((r) => ({
    version: r.version,
    checksum: r.checksum,
    message: r.message,
    kind: r.kind as PublishedEvent['kind'],
    authorLabel: authors.get(r.version) ?? '',
    changedItems: r.changedItems,
    at: r.createdAt.toISOString(),
  }))
}

const CATCH_UP = Symbol('catch-up')

// One watcher per process (bus) and tenant, shared by that tenant's subscribers: it knows the
// newest version the bus announced and re-reads the head version after a bus reconnect and every
// `safetyPollMs` (Redis may drop an event on the floor, e.g. when its publisher dies mid-outage).
// Only when the head is ahead of the bus does it wake the subscribers to catch up from the log.
type Watcher = { known: number; listeners: Set<() => void>; timer: NodeJS.Timeout; offBus: () => void }
const watchers = new WeakMap<EventBus, Map<string, Watcher>>()

function watchTenant(db: ConfigReader, bus: EventBus, tenantId: string, safetyPollMs: number, onBehind: () => void): () => void {
  let perBus = watchers.get(bus)
  if (!perBus) watchers.set(bus, (perBus = new Map()))
  let w = perBus.get(tenantId)
  if (!w) {
    const check = () =>
      void headVersion(db).then(
        (head) => {
          if (head <= watcher.known) return
          watcher.known = head
          for (const l of watcher.listeners) l()
        },
        () => undefined,
      )
    const watcher: Watcher = {
      known: 0,
      listeners: new Set(),
      timer: setInterval(check, safetyPollMs),
      offBus: fanOutOf(bus).subscribe(tenantId, CONFIG_PUBLISHED, {
        event: (e) => (watcher.known = Math.max(watcher.known, (e.payload as PublishedEvent).version)),
        resync: check,
      }),
    }
    watcher.timer.unref()
    perBus.set(tenantId, (w = watcher))
    void headVersion(db).then(
      (head) => (watcher.known = Math.max(watcher.known, head)),
      () => undefined,
    )
  }
  const watcher = w
  watcher.listeners.add(onBehind)
  return () => {
    watcher.listeners.delete(onBehind)
    if (watcher.listeners.size) return
    clearInterval(watcher.timer)
    watcher.offBus()
    perBus!.delete(tenantId)
  }
}

export async function* streamConfigPublished(
  scope: TenantScope,
  opts: {
    bus: EventBus
    lastEventId: string | null | undefined
    signal: AbortSignal | undefined
    safetyPollMs?: number
  },
): AsyncGenerator<StreamItem<ConfigPublishedEvent>, void, unknown> {
  const { db, tenantId } = scope
  const { bus, signal } = opts
  const queue = createEventQueue<ConfigPublishedEvent | typeof CATCH_UP>(signal)
  // Only the watcher re-reads after a bus reconnect (and wakes the streams that are behind).
  const off = fanOutOf(bus).subscribe(tenantId, CONFIG_PUBLISHED, { event: (e) => queue.push(liveEvent(e)), resync: () => undefined })
  const unwatch = watchTenant(db, bus, tenantId, opts.safetyPollMs ?? CONFIG_SAFETY_POLL_MS, () => queue.push(CATCH_UP))
  let cursor = 0

  async function* replay(upTo?: number): AsyncGenerator<StreamItem<ConfigPublishedEvent>> {
    for (;;) {
      const page = await publishedVersions(db, cursor, upTo)
      for (const event of page) {
        cursor = event.version
        yield { id: String(event.version), data: event }
      }
      if (page.length < REPLAY_PAGE) return
    }
  }

  // Redis confirms a new channel's SUBSCRIBE asynchronously: once it has, catch up from the log
  // on whatever was published between the head read below and then.
  void bus.listening(tenantId, CONFIG_PUBLISHED).then((waited) => waited && queue.push(CATCH_UP))
  try {
    const head = await headVersion(db)
    if (opts.lastEventId == null) cursor = head
    else {
      // A version beyond the head comes from another history (a reset database): resend the head.
      const last = Number(opts.lastEventId)
      cursor = last > head ? Math.max(head - 1, 0) : last
      yield* replay()
    }
    for (;;) {
      const item = await queue.next()
      if (item === CLOSED) return
      if (item === CATCH_UP || item === OVERFLOW) {
        yield* replay()
        continue
      }
      if (item.version <= cursor) continue
      if (item.version === cursor + 1) {
        cursor = item.version
        yield { id: String(item.version), data: item }
      } else {
        yield* replay(item.version)
      }
    }
  } finally {
    off()
    unwatch()
    queue.close()
  }
}
