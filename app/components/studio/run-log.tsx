// The run log's pieces, shared by the run log page and the composer's "Recent runs": a run's
// status badge and the table of runs (status, automation, record, start, duration, link to the run).
import type { SerializeFrom } from '@remix-run/node'
import { Link } from '@remix-run/react'
import type { RouterOutputs } from '../../../server/app-router'
import { isEntity } from '../../../server/config-language'
import { DateTime } from '~/components/date-time'
import { ENTITY_META, recordHref } from '~/components/crm/entities'
import { eventWords, isLoopGuardStop, RUN_STATUS_LABELS, runDuration, type RunStatus } from './run-words'

export type RunRow = SerializeFrom<RouterOutputs['automations']['run']>

const BADGE: Record<RunStatus, string> = {
  pending: 'badge',
  running: 'badge badge--warning',
  succeeded: 'badge badge--success',
  failed: 'badge badge--danger',
  skipped: 'badge',
}

export function RunStatusBadge({ run }: { run: Pick<RunRow, 'status' | 'reason'> }) {
  const guard = isLoopGuardStop(run)
  return <span className={guard ? 'badge badge--warning' : BADGE[run.status]}>{guard ? 'Stopped by loop guard' : RUN_STATUS_LABELS[run.status]}</span>
}

export const runHref = (id: string) => `/studio/runs/${encodeURIComponent(id)}`

/** The record a run acted on: a link with its title (or its id once the record is gone). */
export function RunRecord({ run, titles }: { run: Pick<RunRow, 'entity' | 'recordId'>; titles: Record<string, string> }) {
  if (!run.recordId) return <span className="muted">No record</span>
  if (!isEntity(run.entity)) return <code>{run.recordId}</code>
  const title = titles[`${run.entity}:${run.recordId}`]
  return (
    <Link to={recordHref(run.entity, run.recordId)}>
      {title ?? `${ENTITY_META[run.entity].singular} ${run.recordId.slice(0, 8)}`}
      {title ? null : <span className="muted"> (deleted?)</span>}
    </Link>
  )
}

export function RunsTable({
  runs,
  titles,
  automationLabels,
  label,
  showAutomation = true,
}: {
  runs: RunRow[]
  titles: Record<string, string>
  automationLabels: Record<string, string>
  label: string
  showAutomation?: boolean
}) {
  return (
    <div className="table-wrap">
      <table className="table" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Status</th>
            {showAutomation ? <th scope="col">Automation</th> : null}
            <th scope="col">Event</th>
            <th scope="col">Record</th>
            <th scope="col">Started</th>
            <th scope="col">Took</th>
            <th scope="col">
              <span className="visually-hidden">Open</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id} data-run={run.id}>
              <td>
                <RunStatusBadge run={run} />
              </td>
              {showAutomation ? <td>{automationLabels[run.automationKey] ?? run.automationKey}</td> : null}
              <td>{eventWords(run.event)}</td>
              <td>
                <RunRecord run={run} titles={titles} />
              </td>
              <td>
                <DateTime value={run.startedAt} />
              </td>
              <td>{runDuration(run.startedAt, run.finishedAt)}</td>
              <td>
                <Link to={runHref(run.id)}>
                  Open<span className="visually-hidden"> the run of {automationLabels[run.automationKey] ?? run.automationKey}</span>
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
