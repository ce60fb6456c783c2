// The dashboard's metric groups, one section each, from `dashboard.metrics`' answer: cases and
// pipeline here, SLA / inbox / automations in service-groups.tsx.
// Labels of statuses, priorities and stages come from the live config (admins may relabel them);
// every number links to the list behind it (links.ts).
import type { FieldCondition } from '../../../server/config-language'
import { ChartCard, formatNumber, Kpi, type ChartRow } from './chart-card'
import { AMBER, BLUE, GREEN, RED, shortDay, useOptionLabels } from './chart-words'
import { AutomationsGroup, InboxGroup, SlaGroup } from './service-groups'
import { between, listHref, onDates, OPEN_CASE, OPEN_DEAL, ownerFilter, RESOLVED_CASE } from './links'
import type { Metrics } from './metrics'
import type { PeriodChoice } from './period'

/** The cookie that carries the reader's IANA time zone to the loader. */
export const ZONE_COOKIE = 'pulse8_tz'

export function DashboardGroups({ metrics, period, ownerId }: { metrics: Metrics; period: PeriodChoice; ownerId: string | null }) {
  return (
    <div className="dash-groups">
      <CasesGroup cases={metrics.cases} ownerId={ownerId} />
      <PipelineGroup pipeline={metrics.pipeline} ownerId={ownerId} period={period} />
      <SlaGroup sla={metrics.sla} ownerId={ownerId} />
      <InboxGroup inbox={metrics.inbox} ownerId={ownerId} />
      <AutomationsGroup automations={metrics.automations} period={period} />
    </div>
  )
}

function CasesGroup({ cases, ownerId }: { cases: Metrics['cases']; ownerId: string | null }) {
  const status = useOptionLabels('case', 'status')
  const priority = useOptionLabels('case', 'priority')
  const mine = ownerFilter('case', ownerId)
  const href = (...filter: FieldCondition[]) => listHref('case', [...filter, ...mine])
  const first = cases.daily[0]
  const last = cases.daily.at(-1)
  const inPeriod = first && last ? between('createdAt', first.start, last.end) : []
  const days: ChartRow[] = cases.daily.map((d) => ({
    key: d.day,
    label: shortDay(d.day),
    values: { created: d.created, resolved: d.resolved, backlog: d.backlog },
    hrefs: {
      created: href(...between('createdAt', d.start, d.end)),
      // Resolution time is resolvedAt, else the last change: the list filters by the last change.
      resolved: href(RESOLVED_CASE, ...between('updatedAt', d.start, d.end)),
      backlog: href(OPEN_CASE),
    },
  }))
  return (
    <section className="dash-group" aria-labelledby="dash-cases">
      <h2 className="dash-group__title" id="dash-cases">
        Cases
      </h2>
      <div className="dash-kpis">
        <Kpi label="Open cases" value={formatNumber(cases.open)} href={href(OPEN_CASE)} testId="kpi-open-cases" hint="now" />
        <Kpi label="Created" value={formatNumber(cases.created)} href={href(...inPeriod)} hint="in the period" />
        <Kpi
          label="Resolved"
          value={formatNumber(cases.resolved)}
          href={first && last ? href(RESOLVED_CASE, ...between('updatedAt', first.start, last.end)) : undefined}
          hint="in the period"
        />
      </div>
      <div className="dash-grid">
        <ChartCard
          id="open-by-status"
          title="Open cases by status"
          kind="bar"
          layout="vertical"
          rowHeader="Status"
          series={[{ key: 'count', label: 'Open cases', color: BLUE, pattern: 'diagonal' }]}
          rows={cases.openByStatus.map((s) => ({
            key: s.status,
            label: status(s.status),
            values: { count: s.count },
            hrefs: { count: href({ field: 'status', op: 'eq', value: s.status }) },
          }))}
        />
        <ChartCard
          id="open-by-priority"
          title="Open cases by priority"
          kind="bar"
          layout="vertical"
          rowHeader="Priority"
          series={[{ key: 'count', label: 'Open cases', color: AMBER, pattern: 'crosshatch' }]}
          rows={cases.openByPriority.map((p) => ({
            key: p.priority,
            label: priority(p.priority),
            values: { count: p.count },
            hrefs: { count: href(OPEN_CASE, { field: 'priority', op: 'eq', value: p.priority }) },
          }))}
        />
        <ChartCard
          id="created-resolved"
          title="Created vs resolved per day"
          kind="bar"
          rowHeader="Day"
          series={[
            { key: 'created', label: 'Created', color: BLUE, pattern: 'diagonal' },
            { key: 'resolved', label: 'Resolved', color: GREEN, pattern: 'grid' },
          ]}
          rows={days}
        />
        <ChartCard
          id="backlog"
          title="Backlog (open cases at the end of each day)"
          kind="line"
          rowHeader="Day"
          series={[{ key: 'backlog', label: 'Open at end of day', color: RED }]}
          rows={days.map((d) => ({ ...d, values: { backlog: d.values.backlog! } }))}
        />
      </div>
    </section>
  )
}

function PipelineGroup({ pipeline, ownerId, period }: { pipeline: Metrics['pipeline']; ownerId: string | null; period: PeriodChoice }) {
  const stage = useOptionLabels('deal', 'stage')
  const mine = ownerFilter('deal', ownerId)
  const href = (...filter: FieldCondition[]) => listHref('deal', [...filter, ...mine])
  const stageIs = (value: string): FieldCondition => ({ field: 'stage', op: 'eq', value })
  const closedIn = onDates('closeDate', period.start, period.end)
  const percent = pipeline.winRate === null ? '—' : `${Math.round(pipeline.winRate * 100)} %`
  return (
    <section className="dash-group" aria-labelledby="dash-pipeline">
      <h2 className="dash-group__title" id="dash-pipeline">
        Pipeline
      </h2>
      <div className="dash-kpis">
        <Kpi
          label="Open pipeline"
          value={formatNumber(pipeline.open.amount, true)}
          href={href(OPEN_DEAL)}
          hint={`${formatNumber(pipeline.open.count)} deals`}
        />
        <Kpi
          label="Won"
          value={formatNumber(pipeline.won.amount, true)}
          href={href(stageIs('won'), ...closedIn)}
          hint={`${formatNumber(pipeline.won.count)} deals`}
        />
        <Kpi
          label="Lost"
          value={formatNumber(pipeline.lost.amount, true)}
          href={href(stageIs('lost'), ...closedIn)}
          hint={`${formatNumber(pipeline.lost.count)} deals`}
        />
        <Kpi label="Win rate" value={percent} href={href({ field: 'stage', op: 'in', value: ['won', 'lost'] }, ...closedIn)} hint="won of closed, by count" />
        <Kpi
          label="Average deal size"
          value={pipeline.averageDealSize === null ? '—' : formatNumber(pipeline.averageDealSize, true)}
          href={href(stageIs('won'), ...closedIn)}
          hint="of deals won"
        />
        {pipeline.weighted === null ? null : <Kpi label="Weighted pipeline" value={formatNumber(pipeline.weighted, true)} href={href(OPEN_DEAL)} />}
      </div>
      <div className="dash-grid">
        <ChartCard
          id="pipeline-by-stage"
          title="Open pipeline by stage"
          description="Amount of the open deals in each stage; the table has the counts too."
          kind="bar"
          layout="vertical"
          compact
          rowHeader="Stage"
          series={[{ key: 'amount', label: 'Amount', color: BLUE, pattern: 'diagonal' }]}
          rows={pipeline.openByStage.map((s) => ({
            key: s.stage,
            label: `${stage(s.stage)} (${formatNumber(s.count)})`,
            values: { amount: s.amount },
            hrefs: { amount: href(stageIs(s.stage)) },
          }))}
        />
        <ChartCard
          id="deals-by-stage"
          title="Open deals by stage"
          kind="bar"
          layout="vertical"
          rowHeader="Stage"
          series={[{ key: 'count', label: 'Deals', color: AMBER, pattern: 'vertical' }]}
          rows={pipeline.openByStage.map((s) => ({
            key: s.stage,
            label: stage(s.stage),
            values: { count: s.count },
            hrefs: { count: href(stageIs(s.stage)) },
          }))}
        />
        <ChartCard
          id="won-lost-count"
          title="Won vs lost per week (deals)"
          kind="bar"
          rowHeader="Week of"
          series={[
            { key: 'won', label: 'Won', color: GREEN, pattern: 'grid' },
            { key: 'lost', label: 'Lost', color: RED, pattern: 'zigzag' },
          ]}
          rows={pipeline.weekly.map((w) => ({
            key: w.week,
            label: shortDay(w.from),
            values: { won: w.won.count, lost: w.lost.count },
            hrefs: { won: href(stageIs('won'), ...onDates('closeDate', w.from, w.to)), lost: href(stageIs('lost'), ...onDates('closeDate', w.from, w.to)) },
          }))}
        />
        <ChartCard
          id="won-lost-amount"
          title="Won vs lost per week (amount)"
          kind="bar"
          compact
          rowHeader="Week of"
          series={[
            { key: 'won', label: 'Won', color: GREEN, pattern: 'grid' },
            { key: 'lost', label: 'Lost', color: RED, pattern: 'zigzag' },
          ]}
          rows={pipeline.weekly.map((w) => ({
            key: w.week,
            label: shortDay(w.from),
            values: { won: w.won.amount, lost: w.lost.amount },
            hrefs: { won: href(stageIs('won'), ...onDates('closeDate', w.from, w.to)), lost: href(stageIs('lost'), ...onDates('closeDate', w.from, w.to)) },
          }))}
        />
      </div>
    </section>
  )
}
