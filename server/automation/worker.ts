// The automation worker (decision 018), one per app instance. It claims the oldest pending outbox
// events of every tenant with `FOR UPDATE SKIP LOCKED` and a lease, runs them through the engine,
// and marks them done; a failure backs off and tries again, up to MAX_ATTEMPTS. A worker that dies
// leaves its events leased: once the lease runs out another instance claims them, and the run log
// (unique per event and automation, steps stored as they finish) makes the re-run skip what
// already happened. The root client is used to claim (across tenants), to list tenants for the
// scheduler and to prune; everything else goes through the event's tenant scope.
import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { DEFAULT_POOL_SIZE, Prisma, type Db } from '../db/client'
import { tenantScope } from '../kernel'
import type { Logger } from '../logger'
import type { AutomationDeps } from './actions'
import { processEvent, type ClaimedEvent, type EngineHooks } from './engine'
import { OUTBOX_SIGNAL } from './outbox'
import { RUN_RETENTION } from './run-log'
import { fireDueSchedules } from './schedules'

export type WorkerOptions = {
  /** Names this worker's leases (default: `<host>:<pid>:<random>`, so a lease tells which process holds it). */
  id?: string
  /** How often an idle worker looks for events. */
  pollMs?: number
  /** How long a claim holds before another worker may take the event. */
  leaseMs?: number
  batchSize?: number
  /** Events of one batch processed at once (1 on the embedded database, which runs one exchange at a time). */
  concurrency?: number
  maxAttempts?: number
  scheduleEveryMs?: number
  pruneEveryMs?: number
  hooks?: EngineHooks
}

export const WORKER_DEFAULTS = {
  pollMs: 250,
  leaseMs: 60_000,
  batchSize: 20,
  concurrency: 1,
  maxAttempts: 5,
  scheduleEveryMs: 15_000,
  pruneEveryMs: 10 * 60_000,
} as const

export type AutomationWorker = {
  readonly id: string
  start(): void
  /** Stops claiming and waits (up to `waitMs`) for the events in hand. */
  stop(waitMs?: number): Promise<void>
  /** One claim-and-process round; returns how many events it claimed. */
  runOnce(): Promise<number>
  /** Wakes an idle worker now (after a commit that appended events). */
  nudge(): void
}

/**
 * Events a worker runs at once: one on the embedded database (one exchange at a time, decision
 * 001); on PostgreSQL half the instance's pool (a run holds one connection at a time), leaving the
 * other half to requests.
 */
export const workerConcurrency = (embedded: boolean) => (embedded ? 1 : Math.max(1, Math.floor(DEFAULT_POOL_SIZE / 2)))

/** Backoff before attempt n+1: 1 s, 4 s, 16 s, … capped at 5 minutes. */
export const backoffMs = (attempts: number) => Math.min(1_000 * 4 ** Math.max(0, attempts - 1), 5 * 60_000)

export function createAutomationWorker(services: AutomationDeps & { db: Db; logger: Logger }, options: WorkerOptions = {}): AutomationWorker {
  const o = { ...WORKER_DEFAULTS, ...options }
  const id = options.id ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`
  const { db: root, logger } = services
  let running = false
  let loop: Promise<void> | null = null
  let wake: (() => void) | null = null
  // A signal that arrived while the worker was busy: the next idle round claims again at once.
  let signaled = false
  let unsubscribe: (() => void) | null = null
  let lastSchedule = 0
  let lastPrune = 0

  async function claim(): Promise<ClaimedEvent[]> {
    const rows = await root.$queryRaw<Array<ClaimedEvent & { tenantId: string; seq: bigint; attempts: number }>>(Prisma.sql`
      UPDATE "OutboxEvent" AS o
         SET "lockedBy" = ${id}, "lockedUntil" = now() + make_interval(secs => ${o.leaseMs / 1000}), attempts = o.attempts + 1
        FROM (SELECT "tenantId", id FROM "OutboxEvent"
               WHERE status = 'pending' AND "availableAt" <= now() AND ("lockedUntil" IS NULL OR "lockedUntil" < now())
               ORDER BY seq LIMIT ${o.batchSize}
               FOR UPDATE SKIP LOCKED) AS c
       WHERE o."tenantId" = c."tenantId" AND o.id = c.id
      RETURNING o."tenantId", o.id, o.seq, o.type, o.entity, o."recordId", o.payload, o."configVersion", o."causedByRunId", o.chain, o.attempts, o."createdAt"`)
    return rows.sort((a, b) => (a.seq < b.seq ? -1 : 1))
  }

  /** Runs one event; true when it is done (marked with its batch), false when it was put back or failed. */
  async function handle(event: ClaimedEvent & { tenantId: string; attempts: number }): Promise<boolean> {
    const scope = tenantScope(root, event.tenantId)
    try {
      await processEvent(scope, event, services, o.hooks)
      return true
    } catch (error) {
      const last = event.attempts >= o.maxAttempts
      logger.warn('automation event failed', { eventId: event.id, attempts: event.attempts, final: last, error: String(error) })
      await scope.db.outboxEvent.updateMany({
        where: { id: event.id, lockedBy: id },
        data: {
          status: last ? 'failed' : 'pending',
          lastError: String(error).slice(0, 2_000),
          availableAt: new Date(Date.now() + backoffMs(event.attempts)),
          lockedBy: null,
          lockedUntil: null,
        },
      })
      return false
    }
  }

  /** Marks a batch's processed events done in one statement (only those this worker still holds). */
  async function markDone(events: Array<{ tenantId: string; id: string }>): Promise<void> {
    if (!events.length) return
    await root.$executeRaw`
      UPDATE "OutboxEvent" SET status = 'done', "processedAt" = now(), "lockedBy" = NULL, "lockedUntil" = NULL
       WHERE ("tenantId", id) IN (SELECT * FROM unnest(${events.map((e) => e.tenantId)}::text[], ${events.map((e) => e.id)}::text[]))
         AND "lockedBy" = ${id}`
  }

  async function runOnce(): Promise<number> {
    const events = (await claim()) as Array<ClaimedEvent & { tenantId: string; attempts: number }>
    // Events of one record stay in order; different records may run side by side.
    const lanes = new Map<string, typeof events>()
    for (const e of events) {
      const lane = `${e.tenantId}:${e.recordId ?? e.id}`
      lanes.set(lane, [...(lanes.get(lane) ?? []), e])
    }
    const queue = [...lanes.values()]
    const done: typeof events = []
    await Promise.all(
      Array.from({ length: Math.min(o.concurrency, queue.length) }, async () => {
        for (let lane = queue.shift(); lane; lane = queue.shift()) for (const e of lane) if (await handle(e)) done.push(e)
      }),
    )
    await markDone(done)
    return events.length
  }

  async function housekeeping(): Promise<void> {
    const now = Date.now()
    if (now - lastSchedule >= o.scheduleEveryMs) {
      lastSchedule = now
      await fireDueSchedules(root, services).catch((error: unknown) => logger.warn('automation schedules failed', { error: String(error) }))
    }
    if (now - lastPrune >= o.pruneEveryMs) {
      lastPrune = now
      await prune(root).catch((error: unknown) => logger.warn('automation pruning failed', { error: String(error) }))
    }
  }

  async function main(): Promise<void> {
    while (running) {
      let claimed = 0
      signaled = false
      try {
        await housekeeping()
        claimed = await runOnce()
      } catch (error) {
        logger.warn('automation worker round failed', { error: String(error) })
      }
      if (claimed === 0 && running && !signaled) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, o.pollMs)
          wake = () => {
            clearTimeout(timer)
            resolve()
          }
        })
        wake = null
      }
    }
  }

  function nudge() {
    if (wake) wake()
    else signaled = true
  }

  return {
    id,
    start() {
      if (running) return
      running = true
      unsubscribe = services.bus.onSignal(OUTBOX_SIGNAL, nudge)
      loop = main()
    },
    async stop(waitMs = 10_000) {
      running = false
      unsubscribe?.()
      unsubscribe = null
      wake?.()
      if (loop) await Promise.race([loop, new Promise((r) => setTimeout(r, waitMs).unref())])
      loop = null
    },
    runOnce,
    nudge,
  }
}

/**
 * Retention (decision 018): runs older than RUN_RETENTION.maxAgeDays or beyond the newest
 * maxPerTenant of their tenant, processed outbox events after a week, schedule ticks after a day.
 */
export async function prune(root: Db): Promise<void> {
  const { maxAgeDays, maxPerTenant } = RUN_RETENTION
  await root.$executeRaw`DELETE FROM "AutomationRun" WHERE "startedAt" < now() - make_interval(days => ${maxAgeDays})`
  await root.$executeRaw`
    DELETE FROM "AutomationRun" AS r USING (
      SELECT "tenantId", id FROM (
        SELECT "tenantId", id, row_number() OVER (PARTITION BY "tenantId" ORDER BY "startedAt" DESC, id DESC) AS n FROM "AutomationRun"
      ) AS ranked WHERE n > ${maxPerTenant}
    ) AS old
    WHERE r."tenantId" = old."tenantId" AND r.id = old.id`
  await root.$executeRaw`DELETE FROM "OutboxEvent" WHERE status = 'done' AND "processedAt" < now() - interval '7 days'`
  await root.$executeRaw`DELETE FROM "ScheduleTick" WHERE "createdAt" < now() - interval '1 day'`
}
