// The automations group: runs per local day and failures. Not available yet: the run log
// (issue #11) is not in this build. Its query replaces `automationMetrics`'s body.
import type { TenantScope } from '../../kernel'
import type { DayBucket, GroupResult, MetricsQuery } from './period'

export type AutomationDay = DayBucket & { runs: number; failed: number }

export type AutomationMetrics = {
  runs: number
  failed: number
  daily: AutomationDay[]
}

export async function automationMetrics(_scope: TenantScope, _q: MetricsQuery): Promise<GroupResult<AutomationMetrics>> {
  return { available: false, reason: 'No automation runs are logged yet' }
}
