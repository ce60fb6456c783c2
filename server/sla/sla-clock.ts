// The SLA clock of one case as plain data (decision 022): which timers exist, which are still to
// fire, which fire at a given moment, and what state a reader sees. No I/O: the case write hook
// (case-sla.ts) and the scanner (sla-timer.ts) both build on it.
import { addBusinessMinutes, type SlaContent } from '../config-language'

export type SlaClock = {
  startedAt: Date
  firstResponseDueAt: Date
  resolutionDueAt: Date
  firstResponseWarnAt: Date
  resolutionWarnAt: Date
  firstRespondedAt: Date | null
  resolvedAt: Date | null
  firstResponseWarnedAt: Date | null
  resolutionWarnedAt: Date | null
  firstResponseBreachedAt: Date | null
  resolutionBreachedAt: Date | null
}

export type SlaTarget = 'firstResponse' | 'resolution'
export type SlaTimerKind = 'warning' | 'breached'
export type SlaState = 'on_track' | 'at_risk' | 'breached' | 'met'

type Timer = { target: SlaTarget; kind: SlaTimerKind; at: keyof SlaClock; fired: keyof SlaClock; due: keyof SlaClock }

export const SLA_TIMERS: readonly Timer[] = [
  { target: 'firstResponse', kind: 'warning', at: 'firstResponseWarnAt', fired: 'firstResponseWarnedAt', due: 'firstResponseDueAt' },
  { target: 'firstResponse', kind: 'breached', at: 'firstResponseDueAt', fired: 'firstResponseBreachedAt', due: 'firstResponseDueAt' },
  { target: 'resolution', kind: 'warning', at: 'resolutionWarnAt', fired: 'resolutionWarnedAt', due: 'resolutionDueAt' },
  { target: 'resolution', kind: 'breached', at: 'resolutionDueAt', fired: 'resolutionBreachedAt', due: 'resolutionDueAt' },
]

const time = (d: Date | null) => d?.getTime() ?? null

/** When a target was met: resolution by resolving; first response by the first response, or by resolving without one. */
export function metAt(clock: SlaClock, target: SlaTarget): Date | null {
  return target === 'resolution' ? clock.resolvedAt : (clock.firstRespondedAt ?? clock.resolvedAt)
}

/** The due and warning instants of `policy` for a case whose clock started at `startedAt`. */
export function plannedTimes(
  policy: SlaContent,
  startedAt: Date,
): Pick<SlaClock, 'firstResponseDueAt' | 'resolutionDueAt' | 'firstResponseWarnAt' | 'resolutionWarnAt'> {
  const at = (minutes: number) => addBusinessMinutes(startedAt, minutes, policy.businessHours)
  const warn = policy.warnAtPercent / 100
  return {
    firstResponseDueAt: at(policy.firstResponseMinutes),
    resolutionDueAt: at(policy.resolutionMinutes),
    firstResponseWarnAt: at(policy.firstResponseMinutes * warn),
    resolutionWarnAt: at(policy.resolutionMinutes * warn),
  }
}

/** Timers that have neither fired nor been made moot by their target being met. */
export function pendingTimers(clock: SlaClock): Timer[] {
  return SLA_TIMERS.filter((t) => clock[t.fired] === null && metAt(clock, t.target) === null)
}

/** When the scanner must look at this case next (null: nothing left to fire). */
export function nextTimerAt(clock: SlaClock): Date | null {
  const times = pendingTimers(clock).map((t) => time(clock[t.at] as Date)!)
  return times.length ? new Date(Math.min(...times)) : null
}

/**
 * What fires at `now`: the events to emit and the columns to set. A warning whose breach fires at
 * the same moment (the timers were down past both) is marked without an event: it is too late to warn.
 */
export function fireTimers(clock: SlaClock, now: Date): { events: { target: SlaTarget; kind: SlaTimerKind; dueAt: Date }[]; set: Partial<SlaClock> } {
  const due = pendingTimers(clock).filter((t) => time(clock[t.at] as Date)! <= now.getTime())
  const set: Partial<SlaClock> = {}
  const events: { target: SlaTarget; kind: SlaTimerKind; dueAt: Date }[] = []
  for (const t of due) {
    set[t.fired] = now
    const breachToo = t.kind === 'warning' && due.some((d) => d.target === t.target && d.kind === 'breached')
    if (!breachToo) events.push({ target: t.target, kind: t.kind, dueAt: clock[t.due] as Date })
  }
  return { events, set }
}

/**
 * What a reader sees. Met: resolved within its targets. Breached: a target missed (fired, or past
 * due and not yet seen by the scanner). At risk: a target's warning moment has passed.
 */
export function slaState(clock: SlaClock, now: Date): { state: SlaState; breachedAt: Date | null } {
  const missed = SLA_TIMERS.filter((t) => t.kind === 'breached').flatMap((t) => {
    const met = metAt(clock, t.target)
    const dueAt = clock[t.due] as Date
    const fired = clock[t.fired] as Date | null
    if (met) return met.getTime() > dueAt.getTime() ? [dueAt] : []
    if (fired) return [dueAt]
    return dueAt.getTime() <= now.getTime() ? [dueAt] : []
  })
  if (missed.length) return { state: 'breached', breachedAt: new Date(Math.min(...missed.map((d) => d.getTime()))) }
  if (clock.resolvedAt) return { state: 'met', breachedAt: null }
  const atRisk = SLA_TIMERS.some((t) => t.kind === 'warning' && metAt(clock, t.target) === null && (clock[t.at] as Date).getTime() <= now.getTime())
  return { state: atRisk ? 'at_risk' : 'on_track', breachedAt: null }
}
