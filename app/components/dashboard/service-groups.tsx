// The dashboard's service groups: SLA (compliance per priority, breaches, at risk), inbox
// (messages per day by channel, median first response, unassigned threads) and automations (runs
// and failures per day; only for roles that may read the run log, the server sends nothing else).
// Every number links to the list behind it (links.ts). The case list shows each case's SLA state
// but cannot filter by it yet, so SLA numbers open the cases they are about (the priority, open
// cases, the owner) with the SLA column to read the state from.
import type { FieldCondition } from '../../../server/config-language'
import { ChartCard, formatNumber, Kpi } from './chart-card'
import { AMBER, BLUE, GREEN, PURPLE, RED, TEAL, formatDuration, shortDay, useOptionLabels } from './chart-words'
import type { Metrics } from './metrics'
import { inboxHref, listHref, OPEN_CASE, ownerFilter, runLogHref } from './links'
import type { PeriodChoice } from './period'

const CHANNEL_STYLE: Record<string, { label: string; color: string; pattern: 'diagonal' | 'grid' | 'zigzag' | 'vertical' | 'crosshatch' }> = {
  email: { label: 'Email', color: BLUE, pattern: 'diagonal' },
  chat: { label: 'Chat', color: GREEN, pattern: 'grid' },
  sms: { label: 'SMS', color: AMBER, pattern: 'zigzag' },
  webform: { label: 'Web form', color: PURPLE, pattern: 'vertical' },
  api: { label: 'API', color: TEAL, pattern: 'crosshatch' },
}

/** Channels in the inbox's order (CHANNEL_STYLE's), unknown ones after. */
const inOrder = (channels: string[]) => {
  const order = Object.keys(CHANNEL_STYLE)
  const rank = (c: string) => (order.includes(c) ? order.indexOf(c) : order.length)
  return [...channels].sort((a, b) => rank(a) - rank(b))
}

const percent = (p: number | null) => (p === null ? '—' : `${Math.round(p)} %`)

export function SlaGroup({ sla, ownerId }: { sla: Metrics['sla']; ownerId: string | null }) {
  const priority = useOptionLabels('case', 'priority')
  const mine = ownerFilter('case', ownerId)
  const href = (...filter: FieldCondition[]) => listHref('case', [...filter, ...mine])
  const byPriority = (p: string) => href({ field: 'priority', op: 'eq', value: p })
  // Priorities whose targets came due in the period; the others have nothing to say.
  const rows = sla.compliance.filter((c) => c.firstResponse.due + c.resolution.due > 0)
  const due = rows.reduce((n, c) => n + c.firstResponse.due + c.resolution.due, 0)
  const met = rows.reduce((n, c) => n + c.firstResponse.met + c.resolution.met, 0)
  return (
    <section className="dash-group" aria-labelledby="dash-sla">
      <h2 className="dash-group__title" id="dash-sla">
        SLA
      </h2>
      <div className="dash-kpis">
        <Kpi
          label="Targets met"
          value={due ? percent((met / due) * 100) : '—'}
          href={href()}
          hint={`${formatNumber(met)} of ${formatNumber(due)} due in the period`}
        />
        <Kpi label="Breaches" value={formatNumber(sla.breaches)} href={href()} testId="kpi-sla-breaches" hint="targets missed, due in the period" />
        <Kpi label="At risk" value={formatNumber(sla.atRisk)} href={href(OPEN_CASE)} testId="kpi-sla-at-risk" hint="open cases past their warning, now" />
      </div>
      <div className="dash-grid">
        <ChartCard
          id="sla-compliance"
          title="Compliance by priority (%)"
          description="Share of the targets due in the period that were met in time. The case list shows each case's SLA state."
          kind="bar"
          layout="vertical"
          rowHeader="Priority"
          series={[
            { key: 'firstResponse', label: 'First response met (%)', color: BLUE, pattern: 'diagonal' },
            { key: 'resolution', label: 'Resolution met (%)', color: GREEN, pattern: 'grid' },
          ]}
          rows={rows.map((c) => ({
            key: c.priority,
            label: priority(c.priority),
            values: { firstResponse: c.firstResponse.percent ?? 0, resolution: c.resolution.percent ?? 0 },
            hrefs: { firstResponse: byPriority(c.priority), resolution: byPriority(c.priority) },
          }))}
        />
        <ChartCard
          id="sla-targets"
          title="Targets due by priority: met vs breached"
          kind="bar"
          layout="vertical"
          stacked
          rowHeader="Priority"
          series={[
            { key: 'met', label: 'Met', color: GREEN, pattern: 'grid' },
            { key: 'breached', label: 'Breached', color: RED, pattern: 'zigzag' },
          ]}
          rows={rows.map((c) => ({
            key: c.priority,
            label: priority(c.priority),
            values: { met: c.firstResponse.met + c.resolution.met, breached: c.firstResponse.due - c.firstResponse.met + c.resolution.due - c.resolution.met },
            hrefs: { met: byPriority(c.priority), breached: byPriority(c.priority) },
          }))}
        />
      </div>
    </section>
  )
}

export function InboxGroup({ inbox, ownerId }: { inbox: Metrics['inbox']; ownerId: string | null }) {
  const assignee = ownerId ?? undefined
  const style = (channel: string) => CHANNEL_STYLE[channel] ?? { label: channel, color: BLUE, pattern: 'diagonal' as const }
  return (
    <section className="dash-group" aria-labelledby="dash-inbox">
      <h2 className="dash-group__title" id="dash-inbox">
        Inbox
      </h2>
      <div className="dash-kpis">
        <Kpi label="Messages received" value={formatNumber(inbox.received)} href={inboxHref({ assignee })} testId="kpi-inbox-received" hint="in the period" />
        <Kpi
          label="Median first response"
          value={inbox.medianFirstResponseSeconds === null ? '—' : formatDuration(inbox.medianFirstResponseSeconds)}
          href={inboxHref({ assignee })}
          hint={`${formatNumber(inbox.threadsAnswered)} of ${formatNumber(inbox.threadsOpened)} new threads answered`}
        />
        <Kpi
          label="Unassigned threads"
          value={formatNumber(inbox.unassignedThreads)}
          href={inboxHref({ status: 'open', assignee: 'unassigned' })}
          testId="kpi-inbox-unassigned"
          hint={ownerId ? 'open, now (the whole team)' : 'open, now'}
        />
      </div>
      <div className="dash-grid">
        <ChartCard
          id="inbox-received"
          title="Messages received per day by channel"
          kind="bar"
          stacked
          rowHeader="Day"
          series={inOrder(inbox.channels).map((c) => ({ key: c, ...style(c) }))}
          rows={inbox.daily.map((d) => ({
            key: d.day,
            label: shortDay(d.day),
            values: Object.fromEntries(d.byChannel.map((c) => [c.channel, c.count])),
            hrefs: Object.fromEntries(d.byChannel.map((c) => [c.channel, inboxHref({ channel: c.channel, assignee })])),
          }))}
        />
      </div>
    </section>
  )
}

export function AutomationsGroup({ automations, period }: { automations: Metrics['automations']; period: PeriodChoice }) {
  if (!automations.available) {
    return (
      <section className="dash-group" aria-labelledby="dash-automations">
        <h2 className="dash-group__title" id="dash-automations">
          Automations
        </h2>
        <p className="dash-note" data-testid="automations-not-shown">
          {automations.reason}.
        </p>
      </section>
    )
  }
  const first = automations.daily[0]
  const last = automations.daily.at(-1)
  const all = (status?: 'failed') => (first && last ? runLogHref(first.start, last.end, status) : `/studio/runs?from=${period.start}&to=${period.end}`)
  return (
    <section className="dash-group" aria-labelledby="dash-automations">
      <h2 className="dash-group__title" id="dash-automations">
        Automations
      </h2>
      <div className="dash-kpis">
        <Kpi label="Runs" value={formatNumber(automations.runs)} href={all()} testId="kpi-automation-runs" hint="in the period" />
        <Kpi label="Failed runs" value={formatNumber(automations.failed)} href={all('failed')} testId="kpi-automation-failed" hint="in the period" />
      </div>
      <div className="dash-grid">
        <ChartCard
          id="automation-runs"
          title="Automation runs per day"
          kind="bar"
          rowHeader="Day"
          series={[
            { key: 'runs', label: 'Runs', color: BLUE, pattern: 'diagonal' },
            { key: 'failed', label: 'Failed', color: RED, pattern: 'zigzag' },
          ]}
          rows={automations.daily.map((d) => ({
            key: d.day,
            label: shortDay(d.day),
            values: { runs: d.runs, failed: d.failed },
            hrefs: { runs: runLogHref(d.start, d.end), failed: runLogHref(d.start, d.end, 'failed') },
          }))}
        />
      </div>
    </section>
  )
}
