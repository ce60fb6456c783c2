// The dashboard service: every metric group for one period, each group its own module and SQL
// statement (server/dashboard/metrics/), run in parallel. Read-only; plain `(scope, input)`.
//
// What the numbers may show: every role with dashboard:read also has crm:read, which reads every
// customer, deal and case of the tenant (views restrict which saved views a role sees, not which
// records), so the groups count all the tenant's records; `ownerId` narrows them to one member.
// The automations group is the exception: the run log is for roles with automations:read
// (Manager and up), so the router says whether the caller may read it, and for anyone else the
// query is not run and the group answers `{ available: false }` (decision 026, amendment).
import { InvalidError, type TenantScope } from '../kernel'
import { automationMetrics } from './metrics/automations'
import { caseMetrics } from './metrics/cases'
import { inboxMetrics } from './metrics/inbox'
import { pipelineMetrics } from './metrics/pipeline'
import { slaMetrics } from './metrics/sla'
import type { GroupResult, MetricsQuery } from './metrics/period'
import type { AutomationMetrics } from './metrics/automations'

export type { MetricsQuery } from './metrics/period'

/** Longest period: a year and a bit (a quarter is the longest preset), bounding the day buckets. */
export const MAX_PERIOD_DAYS = 400

export type DashboardOptions = {
  /** Whether the caller may read the run log (automations:read, and a token scope that allows it). */
  mayReadAutomations: boolean
  /** "Now" for the SLA's at-risk and past-due (tests inject one). */
  now?: Date
}

export async function dashboardMetrics(scope: TenantScope, input: MetricsQuery, options: DashboardOptions) {
  const from = Date.parse(input.from)
  const to = Date.parse(input.to)
  if (!(to > from)) throw new InvalidError('The period ends before it starts', [{ path: ['to'], message: 'must be after from' }])
  if (to - from > MAX_PERIOD_DAYS * 86_400_000) {
    throw new InvalidError(`A period spans at most ${MAX_PERIOD_DAYS} days`, [{ path: ['to'], message: `at most ${MAX_PERIOD_DAYS} days after from` }])
  }
  // The embedded database runs one exchange at a time; the groups queue there and overlap on PostgreSQL.
  const [cases, pipeline, sla, inbox, automations] = await Promise.all([
    caseMetrics(scope, input),
    pipelineMetrics(scope, input),
    slaMetrics(scope, input, options.now ?? new Date()),
    inboxMetrics(scope, input),
    options.mayReadAutomations ? automationMetrics(scope, input) : NOT_YOURS,
  ])
  // The period is echoed without ownerId: a foreign member id must answer exactly like a missing one.
  return { period: { from: input.from, to: input.to, timeZone: input.timeZone }, cases, pipeline, sla, inbox, automations }
}

const NOT_YOURS: GroupResult<AutomationMetrics> = { available: false, reason: 'Automation runs are shown to managers and admins' }

export type DashboardMetrics = Awaited<ReturnType<typeof dashboardMetrics>>
