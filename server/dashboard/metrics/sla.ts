// The SLA group: compliance per priority (first response and resolution), breaches in the period,
// cases at risk now. One statement, one round trip, over the sla domain's clocks (`CaseSla`, one
// row per case under a policy; decision 022) and the case's current priority and assignee.
//
// The definitions are `slaState`'s (server/sla/sla-clock.ts), so the numbers are the states the
// case pages show:
// - a target (first response or resolution) counts in the period when its due instant falls in
//   it and its outcome is known: met (first response: the first response, or resolving without
//   one; resolution: resolving), or missed (its breach fired, or it is past due now). A target
//   still running, due later in the period, counts nowhere yet;
// - met in time = met at or before the due instant; everything else that counts is a breach, dated
//   at its due instant (a breach the scanner never fired, e.g. met late, is still one);
// - at risk now = clock not resolved, no target missed, and a target not met past its warning.
import { Prisma } from '../../db/client'
import { CASE_PRIORITIES } from '../../config-language'
import type { TenantScope } from '../../kernel'
import type { TenantSql } from '../../db/tenant-sql'
import { inOrder, periodSql, utcSql, type Available, type MetricsQuery } from './period'

const { sql, empty } = Prisma

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

type TargetRow = { priority: string; target: 'firstResponse' | 'resolution'; due: number; met: number }
export type SlaMetricsRow = { targets: TargetRow[]; atRisk: number }

export async function slaMetrics(scope: TenantScope, q: MetricsQuery, now: Date): Promise<Available<SlaMetrics>> {
  const [row] = await scope.sql.query<SlaMetricsRow>(scope.db, slaMetricsQuery(scope.sql, q, now))
  return slaMetricsOf(row)
}

/** The group's one statement. `now` decides which running targets are past due and at risk. */
export function slaMetricsQuery(tenant: TenantSql, q: MetricsQuery, now: Date): Prisma.Sql {
  const p = periodSql(q)
  const at = utcSql(now)
  // The case's assignee: the same owner filter as the cases group.
  const owner = q.ownerId === undefined ? empty : sql`AND k."assignee" = ${q.ownerId}`
  const clocks = sql`"CaseSla" t JOIN "Case" k ON k."tenantId" = t."tenantId" AND k."id" = t."caseId"`
  const target = (name: string, dueAt: string, metAt: Prisma.Sql, firedAt: string) => sql`
        SELECT k."priority", ${name}::text AS target, t.${Prisma.raw(`"${dueAt}"`)} AS due_at, ${metAt} AS met_at, t.${Prisma.raw(`"${firedAt}"`)} AS fired_at
        FROM ${clocks}
        WHERE ${tenant.scope('t')} AND ${tenant.scope('k')} ${owner}
          AND t.${Prisma.raw(`"${dueAt}"`)} >= ${p.fromUtc} AND t.${Prisma.raw(`"${dueAt}"`)} < ${p.toUtc}`
  return sql`
      WITH targets AS (
        ${target('firstResponse', 'firstResponseDueAt', sql`COALESCE(t."firstRespondedAt", t."resolvedAt")`, 'firstResponseBreachedAt')}
        UNION ALL
        ${target('resolution', 'resolutionDueAt', sql`t."resolvedAt"`, 'resolutionBreachedAt')}
      ),
      counted AS (
        SELECT "priority", target,
          count(*) FILTER (WHERE met_at IS NOT NULL OR fired_at IS NOT NULL OR due_at <= ${at})::int AS due,
          count(*) FILTER (WHERE met_at IS NOT NULL AND met_at <= due_at)::int AS met
        FROM targets
        GROUP BY 1, 2
      ),
      at_risk AS (
        SELECT count(*)::int AS n
        FROM ${clocks}
        WHERE ${tenant.scope('t')} AND ${tenant.scope('k')} ${owner}
          AND t."resolvedAt" IS NULL
          -- not breached: neither target missed (resolution is unmet while the clock is unresolved)
          AND (t."firstRespondedAt" IS NOT NULL OR (t."firstResponseBreachedAt" IS NULL AND t."firstResponseDueAt" > ${at}))
          AND (t."firstRespondedAt" IS NULL OR t."firstRespondedAt" <= t."firstResponseDueAt")
          AND t."resolutionBreachedAt" IS NULL AND t."resolutionDueAt" > ${at}
          -- past the warning of a target not yet met
          AND ((t."firstRespondedAt" IS NULL AND t."firstResponseWarnAt" <= ${at}) OR t."resolutionWarnAt" <= ${at})
      )
      SELECT
        (SELECT COALESCE(json_agg(json_build_object('priority', "priority", 'target', target, 'due', due, 'met', met)), '[]'::json) FROM counted) AS targets,
        (SELECT n FROM at_risk) AS "atRisk"
    `
}

export function slaMetricsOf(row: SlaMetricsRow | undefined): Available<SlaMetrics> {
  const targets = row?.targets ?? []
  const share = (due: number, met: number) => ({ due, met, percent: due > 0 ? (met / due) * 100 : null })
  const of = (priority: string, target: TargetRow['target']) => {
    const r = targets.find((x) => x.priority === priority && x.target === target)
    return share(r?.due ?? 0, r?.met ?? 0)
  }
  // Every built-in priority, so the table keeps its rows; custom ones when they had targets.
  const priorities = inOrder([...new Set([...CASE_PRIORITIES, ...targets.map((t) => t.priority)])], (p) => p, CASE_PRIORITIES)
  return {
    available: true,
    compliance: priorities.map((priority) => ({ priority, firstResponse: of(priority, 'firstResponse'), resolution: of(priority, 'resolution') })),
    breaches: targets.reduce((n, t) => n + t.due - t.met, 0),
    atRisk: row?.atRisk ?? 0,
  }
}
