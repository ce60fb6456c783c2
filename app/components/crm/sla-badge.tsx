// A case's SLA as a badge: words first ("On track · 2h 10m left", "At risk · 12m left",
// "Breached", "Met"), colour second, so it reads without colour too. The countdown ticks every
// 30 s in the browser; the state itself comes from the server's read (and turns here when a
// warning or due moment passes while the page is open).
import { useEffect, useState } from 'react'
import type { CaseSla } from './entities'

const TICK_MS = 30_000

function left(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000))
  if (minutes < 60) return `${minutes}m`
  const hours = Math.floor(minutes / 60)
  if (hours < 48) return `${hours}h ${minutes % 60}m`
  return `${Math.floor(hours / 24)}d ${hours % 24}h`
}

/** The state at `now`: the server's, advanced by the clock for a page left open. */
export function slaNow(sla: CaseSla, now: number): { state: CaseSla['state']; dueAt: string | null } {
  const dueAt = sla.firstRespondedAt || sla.resolvedAt ? (sla.resolvedAt ? null : sla.resolutionDueAt) : sla.firstResponseDueAt
  if (sla.state === 'breached' || sla.state === 'met' || !dueAt) return { state: sla.state, dueAt }
  if (Date.parse(dueAt) <= now) return { state: 'breached', dueAt }
  if (sla.state === 'at_risk' || (sla.atRiskAt && Date.parse(sla.atRiskAt) <= now)) return { state: 'at_risk', dueAt }
  return { state: 'on_track', dueAt }
}

export function SlaBadge({ sla }: { sla: CaseSla | null | undefined }) {
  // No clock until mounted: the server's render and the browser's first one must agree, and a
  // countdown (or a date in the reader's locale and zone) computed on both sides differs as soon
  // as a minute passes between them or their zones differ. The first paint shows the server's state.
  const [now, setNow] = useState<number | null>(null)
  useEffect(() => {
    setNow(Date.now())
    const timer = setInterval(() => setNow(Date.now()), TICK_MS)
    return () => clearInterval(timer)
  }, [])
  if (!sla) return null
  const { state, dueAt } = now === null ? { state: sla.state, dueAt: null } : slaNow(sla, now)
  const text =
    state === 'met'
      ? 'Met'
      : state === 'breached'
        ? 'Breached'
        : `${state === 'at_risk' ? 'At risk' : 'On track'}${dueAt && now !== null ? ` · ${left(Date.parse(dueAt) - now)} left` : ''}`
  const tone = state === 'breached' ? 'badge--danger' : state === 'at_risk' ? 'badge--warning' : state === 'met' ? 'badge--success' : ''
  const what = sla.firstRespondedAt || sla.resolvedAt ? 'resolution' : 'first response'
  return (
    <span
      className={`badge sla-badge ${tone}`}
      title={dueAt ? `SLA ${sla.policyKey}: ${what} due ${new Date(dueAt).toLocaleString()}` : `SLA ${sla.policyKey}`}
    >
      {text}
    </span>
  )
}
