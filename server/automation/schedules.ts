// Schedule triggers: cron + time zone, read with croner (decision 018). Every instance's worker
// looks for due ticks; the instance whose ScheduleTick insert wins (ON CONFLICT DO NOTHING) appends
// the `schedule` event in the same transaction, so each tick fires once however many instances see it.
import { Cron } from 'croner'
import { automationsFor, ENTITIES, type ConfigIndex } from '../config-language'
import { configuredTenants, liveSnapshot } from '../config/live-config'
import type { Db } from '../db/client'
import { tenantScope, type TenantScope } from '../kernel'
import type { AutomationDeps } from './actions'
import { configAt } from './engine'
import { appendOutboxEvent } from './outbox'

/** A tick older than this when first seen (an instance was down, or the automation is new) is not fired late. */
export const SCHEDULE_GRACE_MS = 2 * 60_000

/** The most recent tick of `cron` in `timeZone` at or before `now`, or null. */
export function lastTick(cron: string, timeZone: string | undefined, now: Date): Date | null {
  const job = new Cron(cron, { timezone: timeZone ?? 'UTC', paused: true })
  // previousRuns looks strictly before its reference: a tick exactly at `now` counts as due.
  const [previous] = job.previousRuns(1, new Date(now.getTime() + 1))
  return previous ?? null
}

/** The next `count` ticks after `from` (for previews and docs). */
export function nextTicks(cron: string, timeZone: string | undefined, from: Date, count: number): Date[] {
  return new Cron(cron, { timezone: timeZone ?? 'UTC', paused: true }).nextRuns(count, from)
}

/** The schedule automations of a config with their due tick, if one is within the grace period. */
export function dueSchedules(index: ConfigIndex, now: Date): Array<{ key: string; entity: (typeof ENTITIES)[number]; tickAt: Date }> {
  const due: Array<{ key: string; entity: (typeof ENTITIES)[number]; tickAt: Date }> = []
  for (const entity of ENTITIES) {
    for (const a of automationsFor(index, entity, 'schedule')) {
      const trigger = index.content('triggers', entity, a.content.trigger)
      if (!trigger?.cron) continue
      const tickAt = lastTick(trigger.cron, trigger.timeZone, now)
      if (tickAt && now.getTime() - tickAt.getTime() <= SCHEDULE_GRACE_MS) due.push({ key: a.key, entity, tickAt })
    }
  }
  return due
}

/** Fires the tenant's due ticks that no instance fired yet; returns how many this call fired. */
export async function fireTenantSchedules(scope: TenantScope, deps: AutomationDeps, now: Date): Promise<number> {
  // Fresh (one head-version read per tenant and round): the cache on this instance may not have
  // heard of a publish yet (over Redis the invalidation arrives after the publish returned).
  const live = await liveSnapshot(deps.runtimeConfig, scope, { fresh: true })
  const index = await configAt(scope, deps, live.version)
  let fired = 0
  for (const tick of dueSchedules(index, now)) {
    await scope.db.$transaction(async (tx) => {
      const won = await tx.scheduleTick.createMany({ data: [{ tenantId: scope.tenantId, automationKey: tick.key, tickAt: tick.tickAt }], skipDuplicates: true })
      if (won.count === 0) return
      fired++
      await appendOutboxEvent(tx, scope, null, {
        type: 'schedule',
        entity: tick.entity,
        recordId: null,
        configVersion: live.version,
        payload: { automationKey: tick.key, tickAt: tick.tickAt.toISOString() },
      })
    })
  }
  return fired
}

/** One round over every configured tenant (the root client only lists them). */
export async function fireDueSchedules(root: Db, deps: AutomationDeps, now = new Date()): Promise<number> {
  let fired = 0
  for (const tenantId of await configuredTenants(root)) fired += await fireTenantSchedules(tenantScope(root, tenantId), deps, now)
  return fired
}
