// The cases group: open cases now by status and priority, cases created and resolved per local day
// of the period, and the backlog (cases open) at the end of each day. One statement, one round trip.
//
// A case counts as open while its status is not resolved or closed (the default "open" views'
// filter). It was resolved at `resolvedAt` when the SLA engine recorded that, else at its last
// change (`updatedAt`), which is when a resolved case usually got its status.
//
// The backlog at the end of day d needs no scan of history: open(d) = open now − created after d +
// resolved after d, and both "after" counts only read rows since the period's start (indexed).
import { Prisma } from '../../db/client'
import { CASE_PRIORITIES, CASE_STATUSES } from '../../config-language'
import type { TenantScope } from '../../kernel'
import type { TenantSql } from '../../db/tenant-sql'
import { inOrder, periodSql, type DayBucket, type MetricsQuery } from './period'

const { sql, empty } = Prisma

/** Statuses that end a case; everything else (custom statuses too) is open. */
export const CLOSED_CASE_STATUSES = ['resolved', 'closed'] as const

export type CaseDay = DayBucket & { created: number; resolved: number; backlog: number }

export type CaseMetrics = {
  open: number
  openByStatus: { status: string; count: number }[]
  openByPriority: { priority: string; count: number }[]
  /** Status × priority, for tables and links. */
  openByStatusAndPriority: { status: string; priority: string; count: number }[]
  created: number
  resolved: number
  daily: CaseDay[]
}

export type CaseMetricsRow = { open: { status: string; priority: string; count: number }[]; daily: CaseDay[] }

export async function caseMetrics(scope: TenantScope, q: MetricsQuery): Promise<CaseMetrics> {
  const [row] = await scope.sql.query<CaseMetricsRow>(scope.db, caseMetricsQuery(scope.sql, q))
  return caseMetricsOf(row)
}

/** The group's one statement (the benchmark runs it through raw `pg` too). */
export function caseMetricsQuery(tenant: TenantSql, q: MetricsQuery): Prisma.Sql {
  const p = periodSql(q)
  const owner = q.ownerId === undefined ? empty : sql`AND t."assignee" = ${q.ownerId}`
  const closed = sql`(${CLOSED_CASE_STATUSES[0]}, ${CLOSED_CASE_STATUSES[1]})`
  const resolvedAt = sql`COALESCE(t."resolvedAt", t."updatedAt")`
  return sql`
      WITH open AS (
        SELECT t."status", t."priority", count(*)::int AS n
        FROM "Case" t
        WHERE ${tenant.scope('t')} AND t."status" NOT IN ${closed} ${owner}
        GROUP BY t."status", t."priority"
      ),
      created AS (
        SELECT date_trunc('day', ${p.local(sql`t."createdAt"`)}) AS day, count(*)::int AS n
        FROM "Case" t
        WHERE ${tenant.scope('t')} AND t."createdAt" >= ${p.fromUtc} ${owner}
        GROUP BY 1
      ),
      resolved AS (
        SELECT date_trunc('day', ${p.local(resolvedAt)}) AS day, count(*)::int AS n
        FROM "Case" t
        WHERE ${tenant.scope('t')} AND t."status" IN ${closed} AND ${resolvedAt} >= ${p.fromUtc} ${owner}
        GROUP BY 1
      ),
      days AS (
        SELECT d AS day FROM generate_series(${p.firstDay}, ${p.lastDay}, interval '1 day') AS d
      ),
      -- Running totals instead of a correlated count per day: the plan stays small (and below
      -- PostgreSQL's JIT threshold, whose compile time would dwarf the query).
      per_day AS (
        SELECT d.day, COALESCE(c.n, 0) AS created, COALESCE(r.n, 0) AS resolved,
          sum(COALESCE(c.n, 0)) OVER (ORDER BY d.day) AS created_so_far,
          sum(COALESCE(r.n, 0)) OVER (ORDER BY d.day) AS resolved_so_far
        FROM days d LEFT JOIN created c ON c.day = d.day LEFT JOIN resolved r ON r.day = d.day
      ),
      totals AS (
        SELECT (SELECT COALESCE(sum(n), 0) FROM open) AS open_now,
          (SELECT COALESCE(sum(n), 0) FROM created) AS created_since,
          (SELECT COALESCE(sum(n), 0) FROM resolved) AS resolved_since
      )
      SELECT
        (SELECT COALESCE(json_agg(json_build_object('status', "status", 'priority', "priority", 'count', n)), '[]'::json) FROM open) AS open,
        (SELECT COALESCE(json_agg(json_build_object(
            'day', to_char(d.day, 'YYYY-MM-DD'),
            'start', ${p.instant(sql`d.day`)},
            'end', ${p.instant(sql`d.day + interval '1 day'`)},
            'created', d.created,
            'resolved', d.resolved,
            -- open now, minus what was created after the day, plus what was resolved after it
            'backlog', tt.open_now - (tt.created_since - d.created_so_far) + (tt.resolved_since - d.resolved_so_far)
          ) ORDER BY d.day), '[]'::json)
          FROM per_day d, totals tt) AS daily
    `
}

export function caseMetricsOf(row: CaseMetricsRow | undefined): CaseMetrics {
  const open = row?.open ?? []
  const daily = (row?.daily ?? []).map((d) => ({ ...d, backlog: Number(d.backlog) }))
  return {
    open: open.reduce((n, r) => n + r.count, 0),
    openByStatus: sumBy(open, 'status', CASE_STATUSES).map(([status, count]) => ({ status, count })),
    openByPriority: sumBy(open, 'priority', CASE_PRIORITIES).map(([priority, count]) => ({ priority, count })),
    openByStatusAndPriority: open.map(({ status, priority, count }) => ({ status, priority, count })),
    created: daily.reduce((n, d) => n + d.created, 0),
    resolved: daily.reduce((n, d) => n + d.resolved, 0),
    daily,
  }
}

function sumBy<K extends 'status' | 'priority'>(
  rows: readonly ({ [k in K]: string } & { count: number })[],
  key: K,
  order: readonly string[],
): [string, number][] {
  const totals = new Map<string, number>()
  for (const r of rows) totals.set(r[key], (totals.get(r[key]) ?? 0) + r.count)
  return inOrder([...totals], ([value]) => value, order)
}
