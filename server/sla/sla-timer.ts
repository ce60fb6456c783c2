// The SLA timers (decision 022): every instance runs one scanner. About once a second it claims
// the clocks whose next timer is due (`FOR UPDATE SKIP LOCKED`, across tenants), marks the timers
// fired and appends `sla.warning` / `sla.breached` to the outbox in the SAME transaction. So each
// timer fires exactly once however many instances scan, and a restart loses nothing: the due
// instants are rows, not memory. The default `sla-breach-alert` automation takes it from there.
// After the commit the scanner wakes the automation workers and announces each fired timer to
// browsers (`sla.onTimerFired`, sla-events.ts).
import { Prisma, type Db } from '../db/client'
import { forTenantTransaction } from '../db/tenant-db'
import { systemActor, tenantScope } from '../kernel'
import type { Logger } from '../logger'
import { appendOutboxEvent, outboxCommitted } from '../automation/outbox'
import { liveSnapshot } from '../config/live-config'
import type { RuntimeConfigCache } from '../config/runtime-config'
import type { EventBus } from '../realtime/event-bus'
import { fireTimers, nextTimerAt, type SlaClock } from './sla-clock'
import { announceSlaTimer, type SlaTimerEvent } from './sla-events'

export type SlaTimerDeps = {
  db: Db
  runtimeConfig: RuntimeConfigCache
  logger: Logger
  /** Where fired timers are announced after commit (browsers via `sla.onTimerFired`; the automation worker's wake-up). */
  bus?: EventBus
  /** The clock (tests inject one). */
  now?: () => Date
}

export type SlaTimerOptions = {
  /** Pause between scans when nothing was due. */
  intervalMs?: number
  /** Clocks claimed per transaction. */
  batchSize?: number
}

type ClaimedRow = SlaClock & { tenantId: string; caseId: string; policyKey: string; configVersion: number }

const ACTOR = systemActor('sla timers')

/**
 * One claim: up to `batchSize` due clocks, their timers fired and their events appended, in one
 * transaction. Returns how many clocks it claimed (a full batch means: claim again at once).
 */
export async function fireDueSlaTimers(deps: SlaTimerDeps, opts: { batchSize?: number } = {}): Promise<{ claimed: number; events: number }> {
  const now = (deps.now ?? (() => new Date()))()
  const batchSize = opts.batchSize ?? 500
  // Which tenants have something due, and their live config versions (the outbox event carries the
  // version live when it happened): asked before the claim, since the embedded database serves one
  // exchange at a time and the transaction below must use nothing but its own client.
  const due = await deps.db.$queryRaw<{ tenantId: string }[]>(Prisma.sql`SELECT DISTINCT "tenantId" FROM "CaseSla" WHERE "nextTimerAt" <= ${now} LIMIT 100`)
  if (due.length === 0) return { claimed: 0, events: 0 }
  const versions = new Map<string, number>()
  for (const { tenantId } of due) {
    const live = await liveSnapshot(deps.runtimeConfig, tenantScope(deps.db, tenantId)).catch(() => null)
    if (live) versions.set(tenantId, live.version)
  }
  // Announced only after the commit: a listener that reads the case must see the timer fired.
  const fired = await deps.db.$transaction(
    async (tx) => {
      const rows = await tx.$queryRaw<ClaimedRow[]>(
        Prisma.sql`SELECT * FROM "CaseSla" WHERE "nextTimerAt" <= ${now} ORDER BY "nextTimerAt" LIMIT ${batchSize} FOR UPDATE SKIP LOCKED`,
      )
      const events: Array<{ tenantId: string; event: SlaTimerEvent }> = []
      for (const row of rows) {
        const timers = fireTimers(row, now)
        const clock = { ...row, ...timers.set }
        const scoped = forTenantTransaction(tx, row.tenantId)
        await scoped.caseSla.updateMany({ where: { caseId: row.caseId }, data: { ...timers.set, nextTimerAt: nextTimerAt(clock) } })
        for (const e of timers.events) {
          await appendOutboxEvent(scoped, { tenantId: row.tenantId }, ACTOR, {
            type: e.kind === 'warning' ? 'sla.warning' : 'sla.breached',
            entity: 'case',
            recordId: row.caseId,
            configVersion: versions.get(row.tenantId) ?? row.configVersion,
            payload: { caseId: row.caseId, policyKey: row.policyKey, target: e.target, dueAt: e.dueAt.toISOString(), firedAt: now.toISOString() },
          })
          events.push({
            tenantId: row.tenantId,
            event: { caseId: row.caseId, policyKey: row.policyKey, target: e.target, kind: e.kind, dueAt: e.dueAt.toISOString(), at: now.toISOString() },
          })
        }
      }
      return { claimed: rows.length, events }
    },
    { timeout: 30_000 },
  )
  if (deps.bus && fired.events.length > 0) {
    outboxCommitted(deps.bus)
    for (const { tenantId, event } of fired.events) await announceSlaTimer(deps.bus, tenantId, event)
  }
  return { claimed: fired.claimed, events: fired.events.length }
}

export type SlaTimer = {
  /** Stops scanning; resolves when the scan in progress (if any) has finished. */
  stop(): Promise<void>
}

/** Starts the scanner of this instance (server/main.ts; tests start their own when they need one). */
export function startSlaTimer(deps: SlaTimerDeps, opts: SlaTimerOptions = {}): SlaTimer {
  const intervalMs = opts.intervalMs ?? 1_000
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> = Promise.resolve()
  const scan = async () => {
    try {
      // A full batch means more may be due: claim again at once rather than after the pause.
      for (;;) {
        const { claimed } = await fireDueSlaTimers(deps, opts)
        if (stopped || claimed < (opts.batchSize ?? 500)) break
      }
    } catch (err) {
      deps.logger.error('sla timers: scan failed', { error: String(err) })
    }
  }
  const loop = () => {
    if (stopped) return
    running = scan().then(() => {
      if (!stopped) timer = setTimeout(loop, intervalMs)
    })
  }
  loop()
  return {
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      await running
    },
  }
}
