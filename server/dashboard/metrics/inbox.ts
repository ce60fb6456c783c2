// The inbox group: messages received per local day by channel, median first-response time of the
// threads opened in the period, unassigned threads now. Not available yet: the inbox tables
// (issue #13) are not in this build. Its query replaces `inboxMetrics`'s body.
import type { TenantScope } from '../../kernel'
import type { DayBucket, GroupResult, MetricsQuery } from './period'

export type InboxDay = DayBucket & { byChannel: { channel: string; count: number }[] }

export type InboxMetrics = {
  received: number
  daily: InboxDay[]
  /** Median seconds from a thread's first inbound message to the first reply; null without replies. */
  medianFirstResponseSeconds: number | null
  unassignedThreads: number
}

export async function inboxMetrics(_scope: TenantScope, _q: MetricsQuery): Promise<GroupResult<InboxMetrics>> {
  return { available: false, reason: 'The inbox is not set up yet' }
}
