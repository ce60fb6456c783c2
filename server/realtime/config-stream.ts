// `config.onPublished`: every published version of the tenant's configuration, in order, each
// `tracked` with its version number. The ConfigPublishLog table is the source of truth: a client
// resuming with its last version gets exactly the versions after it from there, then live events
// from the bus. Bus events only say "version N exists"; any gap (a missed or late event, a bus
// reconnect) is filled from the log, and versions at or below the last one sent are dropped, so
// the stream has no holes and no duplicates whatever the bus does.
import { tracked } from '@trpc/server'
import { z } from 'zod'
import { forTenant, type TenantDb } from '../db/tenant-db'
import type { Db } from '../db/client'
import { CONFIG_PUBLISHED, type PublishedEvent } from '../config/publish'
import { headVersion } from '../config/config-store'
import { tenantProcedure } from '../trpc/init'
import type { EventBus } from './event-bus'
import { CLOSED, OVERFLOW, createEventQueue } from './event-queue'

/** What a subscriber learns of a publish: never the content (drafts or snapshot), only its identity. */
export type ConfigPublishedEvent = Pick<PublishedEvent, 'version' | 'checksum' | 'message' | 'kind' | 'authorLabel' | 'changedItems' | 'at'>

export const configPublishedInput = z
  .strictObject({ lastEventId: z.string().regex(/^\d{1,9}$/, 'The last config version received').nullish() })
  .optional()

const REPLAY_PAGE = 200
/** How often a process re-reads the head version of a tenant it streams, should every event be lost. */
export const CONFIG_SAFETY_POLL_MS = 10_000

function toEvent(e: PublishedEvent | ConfigPublishedEvent): ConfigPublishedEvent {
  return { version: e.version, checksum: e.checksum, message: e.message, kind: e.kind, authorLabel: e.authorLabel, changedItems: e.changedItems, at: e.at }
}

/** Published versions in (after, upTo], oldest first, read from the publish log. */
export async function publishedVersions(db: TenantDb, after: number, upTo?: number): Promise<ConfigPublishedEvent[]> {
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
type Watcher = { known: number; listeners: Set<() => void>; timer: NodeJS.Timeout; offBus: () => void; offResync: () => void }
const watchers = new WeakMap<EventBus, Map<string, Watcher>>()

function watchTenant(db: TenantDb, bus: EventBus, tenantId: string, safetyPollMs: number, onBehind: () => void): () => void {
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
      offBus: bus.subscribe(tenantId, CONFIG_PUBLISHED, (e) => (watcher.known = Math.max(watcher.known, (e.payload as PublishedEvent).version))),
      offResync: bus.onResync(check),
    }
    watcher.timer.unref()
    perBus.set(tenantId, (w = watcher))
    void headVersion(db).then((head) => (watcher.known = Math.max(watcher.known, head)), () => undefined)
  }
  const watcher = w
  watcher.listeners.add(onBehind)
  return () => {
    watcher.listeners.delete(onBehind)
    if (watcher.listeners.size) return
    clearInterval(watcher.timer)
    watcher.offBus()
    watcher.offResync()
    perBus!.delete(tenantId)
  }
}

export async function* streamConfigPublished(opts: {
  db: TenantDb
  bus: EventBus
  tenantId: string
  lastEventId: string | null | undefined
  signal: AbortSignal | undefined
  safetyPollMs?: number
}) {
  const { db, bus, tenantId, signal } = opts
  const queue = createEventQueue<ConfigPublishedEvent | typeof CATCH_UP>(signal)
  const off = bus.subscribe(tenantId, CONFIG_PUBLISHED, (e) => queue.push(toEvent(e.payload as PublishedEvent)))
  const unwatch = watchTenant(db, bus, tenantId, opts.safetyPollMs ?? CONFIG_SAFETY_POLL_MS, () => queue.push(CATCH_UP))
  let cursor = 0

  async function* replay(upTo?: number) {
    for (;;) {
      const page = await publishedVersions(db, cursor, upTo)
      for (const event of page) {
        cursor = event.version
        yield tracked(String(event.version), event)
      }
      if (page.length < REPLAY_PAGE) return
    }
  }

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
        yield tracked(String(item.version), item)
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

// A subscription lives as long as its socket: rather than keep each request's own tenant-scoped
// client (a Prisma extension) alive that long, subscribers of a tenant share one per process.
const sharedTenantDbs = new WeakMap<Db, Map<string, TenantDb>>()
function sharedTenantDb(root: Db, tenantId: string): TenantDb {
  let perRoot = sharedTenantDbs.get(root)
  if (!perRoot) sharedTenantDbs.set(root, (perRoot = new Map()))
  let db = perRoot.get(tenantId)
  if (!db) perRoot.set(tenantId, (db = forTenant(root, tenantId)))
  return db
}

/** `config.onPublished`: any member or token of the tenant (the CRM reloads its config on it). */
export const configOnPublished = tenantProcedure.input(configPublishedInput).subscription(({ ctx, input, signal }) =>
  streamConfigPublished({ db: sharedTenantDb(ctx.services.db, ctx.tenantId), bus: ctx.services.bus, tenantId: ctx.tenantId, lastEventId: input?.lastEventId, signal }),
)
