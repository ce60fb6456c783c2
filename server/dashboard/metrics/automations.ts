// The automations group: runs and failed runs per local day of the period, and their totals. One
// statement, one round trip, over the run log (`AutomationRun`, decision 018/020): a run is
// counted on the local day it started, whatever its status (the run log's unfiltered total);
// failed = status `failed` (the run log's status filter).
//
// `ownerId` is ignored: a run belongs to an automation, not to a member (the record it touched
// may have an owner, but "my automations" is not a thing the run log or the Studio knows).
//
// Only for callers who may read the run log (automations:read, decision 026's amendment): the
// service does not run this query for anyone else.
import { Prisma } from '../../db/client'
import type { TenantScope } from '../../kernel'
import type { TenantSql } from '../../db/tenant-sql'
import { daysJsonSql, localDaySql, periodSql, type Available, type DayBucket, type MetricsQuery } from './period'

const { sql } = Prisma

export type AutomationDay = DayBucket & { runs: number; failed: number }

export type AutomationMetrics = {
  runs: number
  failed: number
  daily: AutomationDay[]
}

export type AutomationMetricsRow = { runs: { day: string; runs: number; failed: number }[]; days: DayBucket[] }

export async function automationMetrics(scope: TenantScope, q: MetricsQuery): Promise<Available<AutomationMetrics>> {
  const [row] = await scope.sql.query<AutomationMetricsRow>(scope.db, automationMetricsQuery(scope.sql, q))
  return automationMetricsOf(row)
}

/** The group's one statement (the `(tenantId, startedAt)` index serves the range). */
export function automationMetricsQuery(tenant: TenantSql, q: MetricsQuery): Prisma.Sql {
  const p = periodSql(q)
  return sql`
      WITH runs AS (
        SELECT ${localDaySql(q, sql`t."startedAt"`)} AS day, count(*)::int AS runs, count(*) FILTER (WHERE t."status" = 'failed')::int AS failed
        FROM "AutomationRun" t
        WHERE ${tenant.scope('t')} AND t."startedAt" >= ${p.fromUtc} AND t."startedAt" < ${p.toUtc}
        GROUP BY 1
      )
      SELECT
        (SELECT COALESCE(json_agg(json_build_object('day', to_char(day, 'YYYY-MM-DD'), 'runs', runs, 'failed', failed)), '[]'::json) FROM runs) AS runs,
        ${daysJsonSql(q)} AS days
    `
}

export function automationMetricsOf(row: AutomationMetricsRow | undefined): Available<AutomationMetrics> {
  const runs = new Map((row?.runs ?? []).map((r) => [r.day, r]))
  const daily: AutomationDay[] = (row?.days ?? []).map((d) => ({ ...d, runs: runs.get(d.day)?.runs ?? 0, failed: runs.get(d.day)?.failed ?? 0 }))
  return {
    available: true,
    runs: daily.reduce((n, d) => n + d.runs, 0),
    failed: daily.reduce((n, d) => n + d.failed, 0),
    daily,
  }
}
