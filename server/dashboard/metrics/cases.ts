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
import { daysJsonSql, inOrder, periodSql, type DayBucket, type MetricsQuery } from './period'

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

type DayCount = { day: string; n: number }
export type CaseMetricsRow = { open: { status: string; priority: string; count: number }[]; created: DayCount[]; resolved: DayCount[]; days: DayBucket[] }

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
      )
      -- Per-day counts come back as lists and meet the days in TypeScript: joined here, the
      -- planner's guesses for the buckets (thousands of rows for ~31) multiply into a plan cost
      -- above PostgreSQL's JIT threshold, whose compile time (seconds) would dwarf the query.
      SELECT
        (SELECT COALESCE(json_agg(json_build_object('status', "status", 'priority', "priority", 'count', n)), '[]'::json) FROM open) AS open,
        (SELECT COALESCE(json_agg(json_build_object('day', to_char(day, 'YYYY-MM-DD'), 'n', n)), '[]'::json) FROM created) AS created,
        (SELECT COALESCE(json_agg(json_build_object('day', to_char(day, 'YYYY-MM-DD'), 'n', n)), '[]'::json) FROM resolved) AS resolved,
        ${daysJsonSql(q)} AS days
    `
}

export function caseMetricsOf(row: CaseMetricsRow | undefined): CaseMetrics {
  const open = row?.open ?? []
  const openNow = open.reduce((n, r) => n + r.count, 0)
  // Both lists run from the period's first day to now (possibly past the period's end).
  const created = new Map((row?.created ?? []).map((c) => [c.day, c.n]))
  const resolved = new Map((row?.resolved ?? []).map((r) => [r.day, r.n]))
  let createdAfter = [...created.values()].reduce((a, b) => a + b, 0)
  let resolvedAfter = [...resolved.values()].reduce((a, b) => a + b, 0)
  const daily: CaseDay[] = (row?.days ?? []).map((d) => {
    const c = created.get(d.day) ?? 0
    const r = resolved.get(d.day) ?? 0
    createdAfter -= c
    resolvedAfter -= r
    // Open at the end of the day: open now, minus what was created after it, plus what was resolved after it.
    return { ...d, created: c, resolved: r, backlog: openNow - createdAfter + resolvedAfter }
  })
  return {
    open: openNow,
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
