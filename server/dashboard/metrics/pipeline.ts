// The pipeline group: open deals now by stage (count and amount), deals won and lost per week of
// the period (count and amount), win rate and average deal size. One statement, one round trip.
//
// A deal is won or lost in the week of its close date (a date column, so the period's first and
// last local days bound it; weeks start on Monday, ISO). A deal without a close date has not
// closed on the calendar and is not counted as won or lost in any period.
//
// Weighted pipeline: the deal stages carry no probability in the config language (an option is a
// value and a label), so `weighted` is null until stage options can carry one.
import { Prisma } from '../../db/client'
import { DEAL_STAGES } from '../../config-language'
import type { TenantScope } from '../../kernel'
import type { TenantSql } from '../../db/tenant-sql'
import { inOrder, periodSql, type MetricsQuery } from './period'

const { sql, empty } = Prisma

export const CLOSED_DEAL_STAGES = ['won', 'lost'] as const

export type DealTotal = { count: number; amount: number }

/** A week of the period: its Monday and the days of it inside the period (`from`..`to`, inclusive dates). */
export type PipelineWeek = { week: string; from: string; to: string; won: DealTotal; lost: DealTotal }

export type PipelineMetrics = {
  open: DealTotal
  openByStage: ({ stage: string } & DealTotal)[]
  won: DealTotal
  lost: DealTotal
  /** won / (won + lost) by count in the period; null when none closed. */
  winRate: number | null
  /** Average amount of the deals won in the period; null when none was won. */
  averageDealSize: number | null
  /** Σ amount × stage probability over open deals; null: stages carry no probability. */
  weighted: number | null
  weekly: PipelineWeek[]
}

export type PipelineMetricsRow = {
  open: ({ stage: string } & DealTotal)[]
  closed: { stage: 'won' | 'lost'; week: string; count: number; amount: number }[]
  weeks: { week: string; from: string; to: string }[]
}

export async function pipelineMetrics(scope: TenantScope, q: MetricsQuery): Promise<PipelineMetrics> {
  const [row] = await scope.sql.query<PipelineMetricsRow>(scope.db, pipelineMetricsQuery(scope.sql, q))
  return pipelineMetricsOf(row)
}

/** The group's one statement (the benchmark runs it through raw `pg` too). */
export function pipelineMetricsQuery(tenant: TenantSql, q: MetricsQuery): Prisma.Sql {
  const p = periodSql(q)
  const owner = q.ownerId === undefined ? empty : sql`AND t."owner" = ${q.ownerId}`
  const closed = sql`(${CLOSED_DEAL_STAGES[0]}, ${CLOSED_DEAL_STAGES[1]})`
  return sql`
      WITH bounds AS (SELECT ${p.firstDay}::date AS first_day, ${p.lastDay}::date AS last_day),
      open AS (
        SELECT t."stage", count(*)::int AS n, COALESCE(sum(t."amount"), 0)::float8 AS amount
        FROM "Deal" t
        WHERE ${tenant.scope('t')} AND t."stage" NOT IN ${closed} ${owner}
        GROUP BY t."stage"
      ),
      closed AS (
        SELECT t."stage", date_trunc('week', t."closeDate")::date AS week, count(*)::int AS n, COALESCE(sum(t."amount"), 0)::float8 AS amount
        FROM "Deal" t, bounds b
        WHERE ${tenant.scope('t')} AND t."stage" IN ${closed}
          AND t."closeDate" >= b.first_day AND t."closeDate" <= b.last_day ${owner}
        GROUP BY 1, 2
      ),
      weeks AS (
        SELECT w::date AS week, GREATEST(w::date, b.first_day) AS "from", LEAST(w::date + 6, b.last_day) AS "to"
        FROM bounds b, generate_series(date_trunc('week', b.first_day), b.last_day, interval '1 week') AS w
      )
      SELECT
        (SELECT COALESCE(json_agg(json_build_object('stage', "stage", 'count', n, 'amount', amount)), '[]'::json) FROM open) AS open,
        (SELECT COALESCE(json_agg(json_build_object('stage', "stage", 'week', to_char(week, 'YYYY-MM-DD'), 'count', n, 'amount', amount)), '[]'::json) FROM closed) AS closed,
        (SELECT json_agg(json_build_object('week', to_char(week, 'YYYY-MM-DD'), 'from', to_char("from", 'YYYY-MM-DD'), 'to', to_char("to", 'YYYY-MM-DD')) ORDER BY week) FROM weeks) AS weeks
    `
}

export function pipelineMetricsOf(row: PipelineMetricsRow | undefined): PipelineMetrics {
  const none = (): DealTotal => ({ count: 0, amount: 0 })
  const add = (a: DealTotal, b: DealTotal): DealTotal => ({ count: a.count + b.count, amount: a.amount + b.amount })
  const weekly: PipelineWeek[] = (row?.weeks ?? []).map((w) => ({ ...w, won: none(), lost: none() }))
  const byWeek = new Map(weekly.map((w) => [w.week, w]))
  for (const c of row?.closed ?? []) {
    const week = byWeek.get(c.week)
    if (week) week[c.stage] = add(week[c.stage], c)
  }
  const openByStage = inOrder(row?.open ?? [], (s) => s.stage, DEAL_STAGES).map(({ stage, count, amount }) => ({ stage, count, amount }))
  const won = weekly.reduce((t, w) => add(t, w.won), none())
  const lost = weekly.reduce((t, w) => add(t, w.lost), none())
  return {
    open: openByStage.reduce(add, none()),
    openByStage,
    won,
    lost,
    winRate: won.count + lost.count > 0 ? won.count / (won.count + lost.count) : null,
    averageDealSize: won.count > 0 ? won.amount / won.count : null,
    weighted: null,
    weekly,
  }
}
