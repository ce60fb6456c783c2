// The inbox group: messages received per local day by channel, median first-response time of the
// threads opened in the period, unassigned open threads now. One statement, one round trip, over
// the inbox's tables (decision 021).
//
// - received: inbound messages by their `receivedAt` (when the sender's system says it arrived;
//   ingestion time when it says nothing), on the message's channel;
// - a thread opened when its first inbound message was received; its first response is the
//   thread's first outbound reply (`firstOutboundAt`, set once, the one that meets a case's SLA);
//   threads still without a reply are not in the median (null when no thread has one);
// - unassigned: threads with status open and no assignee, now — the inbox list's
//   `status=open&assignee=unassigned`. With `ownerId` the other numbers count the threads that
//   member is assigned; unassigned threads have no owner, so that count stays the team's (the
//   work waiting to be picked up).
import { Prisma } from '../../db/client'
import type { TenantScope } from '../../kernel'
import type { TenantSql } from '../../db/tenant-sql'
import { daysJsonSql, localDaySql, periodSql, type Available, type DayBucket, type MetricsQuery } from './period'

const { sql, empty } = Prisma

export type InboxDay = DayBucket & { byChannel: { channel: string; count: number }[] }

export type InboxMetrics = {
  received: number
  /** Channels that received messages in the period, by name (the UI orders them as the inbox does). */
  channels: string[]
  daily: InboxDay[]
  /** Median seconds from a thread's first inbound message to the first reply; null without replies. */
  medianFirstResponseSeconds: number | null
  /** Threads opened in the period, and how many of them have a reply (the median's sample). */
  threadsOpened: number
  threadsAnswered: number
  unassignedThreads: number
}

export type InboxMetricsRow = {
  received: { day: string; channel: string; n: number }[]
  opened: number
  answered: number
  median: number | null
  unassigned: number
  days: DayBucket[]
}

export async function inboxMetrics(scope: TenantScope, q: MetricsQuery): Promise<Available<InboxMetrics>> {
  const [row] = await scope.sql.query<InboxMetricsRow>(scope.db, inboxMetricsQuery(scope.sql, q))
  return inboxMetricsOf(row)
}

/** The group's one statement. Messages are `t`, threads `k`. */
export function inboxMetricsQuery(tenant: TenantSql, q: MetricsQuery): Prisma.Sql {
  const p = periodSql(q)
  const assigned =
    q.ownerId === undefined
      ? empty
      : sql`AND EXISTS (SELECT 1 FROM "InboxThread" k WHERE ${tenant.scope('k')} AND k."id" = t."threadId" AND k."assigneeId" = ${q.ownerId})`
  const inPeriod = sql`t."receivedAt" >= ${p.fromUtc} AND t."receivedAt" < ${p.toUtc}`
  return sql`
      WITH received AS (
        SELECT ${localDaySql(q, sql`t."receivedAt"`)} AS day, t."channel", count(*)::int AS n
        FROM "InboxMessage" t
        WHERE ${tenant.scope('t')} AND t."direction" = 'inbound' AND ${inPeriod} ${assigned}
        GROUP BY 1, 2
      ),
      opened AS (
        -- Threads with an inbound message in the period whose first inbound message is in it.
        SELECT t."threadId", min(t."receivedAt") AS first_in
        FROM "InboxMessage" t
        WHERE ${tenant.scope('t')} AND t."direction" = 'inbound'
          AND t."threadId" IN (SELECT t."threadId" FROM "InboxMessage" t WHERE ${tenant.scope('t')} AND t."direction" = 'inbound' AND ${inPeriod} ${assigned})
        GROUP BY 1
        HAVING min(t."receivedAt") >= ${p.fromUtc}
      ),
      answered AS (
        SELECT GREATEST(EXTRACT(EPOCH FROM (k."firstOutboundAt" - o.first_in)), 0)::float8 AS seconds
        FROM opened o JOIN "InboxThread" k ON ${tenant.scope('k')} AND k."id" = o."threadId"
        WHERE k."firstOutboundAt" IS NOT NULL
      )
      SELECT
        (SELECT COALESCE(json_agg(json_build_object('day', to_char(day, 'YYYY-MM-DD'), 'channel', "channel", 'n', n)), '[]'::json) FROM received) AS received,
        (SELECT count(*)::int FROM opened) AS opened,
        (SELECT count(*)::int FROM answered) AS answered,
        (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) FROM answered) AS median,
        (SELECT count(*)::int FROM "InboxThread" k WHERE ${tenant.scope('k')} AND k."status" = 'open' AND k."assigneeId" IS NULL) AS unassigned,
        ${daysJsonSql(q)} AS days
    `
}

export function inboxMetricsOf(row: InboxMetricsRow | undefined): Available<InboxMetrics> {
  const received = row?.received ?? []
  const channels = [...new Set(received.map((r) => r.channel))].sort()
  const daily: InboxDay[] = (row?.days ?? []).map((d) => ({
    ...d,
    byChannel: channels.map((channel) => ({ channel, count: received.find((r) => r.day === d.day && r.channel === channel)?.n ?? 0 })),
  }))
  return {
    available: true,
    received: received.reduce((n, r) => n + r.n, 0),
    channels,
    daily,
    medianFirstResponseSeconds: row?.median ?? null,
    threadsOpened: row?.opened ?? 0,
    threadsAnswered: row?.answered ?? 0,
    unassignedThreads: row?.unassigned ?? 0,
  }
}
