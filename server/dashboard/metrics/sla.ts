// The SLA group: compliance per priority (first response and resolution), breaches in the period,
// cases at risk now. Not available yet: the SLA state (issue #12) is not in this build. Its query
// replaces `slaMetrics`'s body; the result type and the UI section already exist.
import type { TenantScope } from '../../kernel'
import type { GroupResult, MetricsQuery } from './period'

export type SlaPriorityCompliance = {
  priority: string
  /** Cases whose first-response target fell in the period: how many, and how many met it. */
  firstResponse: { due: number; met: number; percent: number | null }
  resolution: { due: number; met: number; percent: number | null }
}

export type SlaMetrics = {
  compliance: SlaPriorityCompliance[]
  /** Targets breached (first response or resolution) in the period. */
  breaches: number
  /** Open cases past their warning threshold and not yet breached, now. */
  atRisk: number
}

export async function slaMetrics(_scope: TenantScope, _q: MetricsQuery): Promise<GroupResult<SlaMetrics>> {
  return { available: false, reason: 'SLA tracking is not set up yet' }
}
