// The sla domain's service for the others (decision 022): the crm's case writes keep a case's SLA
// clock in their transaction (syncCaseSla, forgetCaseSla), the inbox's reply (and any agent
// comment) meets the first response (recordFirstResponse), and case reads show the clock's state
// (slaOfCases). The timers that fire warnings and breaches are the scanner's (sla-timer.ts).
import { slaPolicyFor, type ConfigIndex, type RecordLike } from '../config-language'
import type { TenantScope, TenantTx } from '../kernel'
import { nextTimerAt, plannedTimes, slaState, type SlaClock, type SlaState } from './sla-clock'

/** What a case read carries about its SLA (null when no policy applies). */
export type CaseSlaSummary = {
  policyKey: string
  /** ISO 8601 instants, like the record row's own datetimes. */
  firstResponseDueAt: string
  resolutionDueAt: string
  firstRespondedAt: string | null
  resolvedAt: string | null
  state: SlaState
  breachedAt: string | null
  /** When the state turns at risk (the earliest warning of a target not yet met), for a live countdown. */
  atRiskAt: string | null
}

/** Statuses that meet the resolution target; leaving them (a reopened case) restarts nothing but un-meets it. */
export const RESOLVED_STATUSES: readonly string[] = ['resolved', 'closed']

const NO_FIRES = {
  firstResponseWarnedAt: null,
  resolutionWarnedAt: null,
  firstResponseBreachedAt: null,
  resolutionBreachedAt: null,
} as const

/**
 * Keeps the case's SLA clock in step with a write of the case, inside the write's transaction.
 * The first matching live policy (`slaPolicyFor`: the strictest when several match) sets the due
 * times from when the clock started (the case's creation); a change that makes a different policy
 * apply recomputes them from the same start and re-arms the timers (a new promise); when no
 * policy applies any more the clock is removed. Status resolved/closed meets the resolution target.
 */
export async function syncCaseSla(
  tx: TenantTx,
  scope: Pick<TenantScope, 'tenantId'>,
  input: { caseRecord: RecordLike & { id: string; createdAt: string }; index: ConfigIndex; configVersion: number; now: Date },
): Promise<void> {
  const { caseRecord, index, now } = input
  const caseId = caseRecord.id
  const existing = await tx.caseSla.findFirst({ where: { caseId } })
  const policy = slaPolicyFor(index, caseRecord)
  if (!policy) {
    if (existing) await tx.caseSla.deleteMany({ where: { caseId } })
    return
  }
  const resolved = RESOLVED_STATUSES.includes(String(caseRecord.status))
  const resolvedAt = resolved ? (existing?.resolvedAt ?? now) : null
  if (existing && existing.policyKey === policy.key) {
    if (time(existing.resolvedAt) === time(resolvedAt)) return
    const clock: SlaClock = { ...existing, resolvedAt }
    await tx.caseSla.updateMany({ where: { caseId }, data: { resolvedAt, nextTimerAt: nextTimerAt(clock) } })
    return
  }
  // A new clock starts now (a case just created, `now` injectable); a changed policy keeps the start.
  const startedAt = existing?.startedAt ?? (caseRecord.version === 1 ? now : new Date(caseRecord.createdAt))
  const clock: SlaClock = {
    startedAt,
    ...plannedTimes(policy.content, startedAt),
    firstRespondedAt: existing?.firstRespondedAt ?? null,
    resolvedAt,
    ...NO_FIRES,
  }
  const data = { ...clock, policyKey: policy.key, configVersion: input.configVersion, nextTimerAt: nextTimerAt(clock) }
  if (existing) await tx.caseSla.updateMany({ where: { caseId }, data })
  else await tx.caseSla.create({ data: { tenantId: scope.tenantId, caseId, ...data } })
}

/** The case is gone: so is its clock (in the delete's transaction). */
export async function forgetCaseSla(tx: TenantTx, input: { caseId: string }): Promise<void> {
  await tx.caseSla.deleteMany({ where: { caseId: input.caseId } })
}

/**
 * The first response to a case: the first outbound inbox reply or agent comment on it (the
 * caller decides what counts; decision 022). Only the first one counts; later ones change nothing.
 * Call inside the transaction that stores the reply.
 */
export async function recordFirstResponse(tx: TenantTx, _scope: Pick<TenantScope, 'tenantId'>, input: { caseId: string; at: Date }): Promise<void> {
  const existing = await tx.caseSla.findFirst({ where: { caseId: input.caseId } })
  if (!existing || existing.firstRespondedAt) return
  const clock: SlaClock = { ...existing, firstRespondedAt: input.at }
  await tx.caseSla.updateMany({
    where: { caseId: input.caseId, firstRespondedAt: null },
    data: { firstRespondedAt: input.at, nextTimerAt: nextTimerAt(clock) },
  })
}

/** The SLA of each case (one query for the page); cases without a policy are absent. */
export async function slaOfCases(scope: Pick<TenantScope, 'db'>, caseIds: readonly string[], now = new Date()): Promise<Map<string, CaseSlaSummary>> {
  if (caseIds.length === 0) return new Map()
  const rows = await scope.db.caseSla.findMany({ where: { caseId: { in: [...caseIds] } } })
  return new Map(
    rows.map((r) => {
      const { state, breachedAt } = slaState(r, now)
      return [
        r.caseId,
        {
          policyKey: r.policyKey,
          firstResponseDueAt: r.firstResponseDueAt.toISOString(),
          resolutionDueAt: r.resolutionDueAt.toISOString(),
          firstRespondedAt: iso(r.firstRespondedAt),
          resolvedAt: iso(r.resolvedAt),
          state,
          breachedAt: iso(breachedAt),
          atRiskAt: iso(r.firstRespondedAt ? (r.resolvedAt ? null : r.resolutionWarnAt) : r.firstResponseWarnAt),
        },
      ]
    }),
  )
}

const time = (d: Date | null | undefined) => d?.getTime() ?? null
const iso = (d: Date | null | undefined) => d?.toISOString() ?? null
