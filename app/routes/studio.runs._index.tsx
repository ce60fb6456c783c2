// The run log (automations.runs; Managers read): every automation run, newest first, filtered by
// automation, record, status and a range of days (URL search params, applied by the server), paged
// by cursor. The composer's "Recent runs" loads this route's data too (`?index&automation=…`).
import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useLocation, useRevalidator } from '@remix-run/react'
import { RouteErrorBoundary } from '~/components/error-page'
import { EmptyState, PageHeader } from '~/components/page'
import { skipRevalidateOnAutosave } from '~/components/studio/draft-types'
import { RunsTable } from '~/components/studio/run-log'
import { RUN_STATUS_LABELS } from '~/components/studio/run-words'
import { Button } from '~/components/ui/button'
import { Field } from '~/components/ui/field'
import { NativeSelect } from '~/components/ui/input'
import { Label } from '~/components/ui/label'
import { pagerLinks, trailOf } from '~/utils/cursor-trail'
import { DEFAULT_RUNS_PAGE, liveAutomations, loadRuns, runFiltersOf } from '~/utils/runs.server'
import { requirePermission } from '~/utils/session.server'

// The composer loads this route's data for its recent runs: an autosave there must not reload it.
export const shouldRevalidate = skipRevalidateOnAutosave

export const meta: MetaFunction = () => [{ title: 'Run log · Automation Studio · Pulse-8' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(context, request, 'automations:read', 'read the run log')
  const params = new URL(request.url).searchParams
  const filter = runFiltersOf(params)
  const cursor = params.get('cursor') || undefined
  const [page, automations] = await Promise.all([loadRuns(request, context, filter, cursor), liveAutomations(request, context)])
  return json(
    {
      runs: page.items,
      titles: page.titles,
      nextCursor: page.nextCursor,
      cursor: cursor ?? null,
      trail: trailOf(params),
      filter,
      automations,
      pageSize: Number(filter.limit) || DEFAULT_RUNS_PAGE,
    },
    { headers: context.resHeaders },
  )
}

export default function RunLogPage() {
  const { runs, titles, nextCursor, cursor, trail, filter, automations, pageSize } = useLoaderData<typeof loader>()
  const location = useLocation()
  const revalidator = useRevalidator()
  const { limit, ...criteria } = filter
  const filtered = Object.values(criteria).some(Boolean)
  const { older, newer } = pagerLinks(filter, { cursor, trail, nextCursor })
  const labels = Object.fromEntries(automations.map((a) => [a.key, a.label]))
  return (
    <>
      <PageHeader
        title="Run log"
        description="Every time an automation ran: what started it, whether its conditions held, and what each action did."
        actions={
          <Button variant="secondary" onClick={() => revalidator.revalidate()} disabled={revalidator.state !== 'idle'}>
            {revalidator.state === 'idle' ? 'Refresh' : 'Refreshing…'}
          </Button>
        }
      />
      <Form method="get" className="toolbar toolbar--wrap audit-filters" role="search" aria-label="Filter the run log">
        <div className="field">
          <Label htmlFor="runs-automation">Automation</Label>
          <NativeSelect id="runs-automation" name="automation" defaultValue={filter.automation}>
            <option value="">Any automation</option>
            {filter.automation && !labels[filter.automation] ? <option value={filter.automation}>{filter.automation}</option> : null}
            {automations.map((a) => (
              <option key={a.key} value={a.key}>
                {a.label}
              </option>
            ))}
          </NativeSelect>
        </div>
        <div className="field">
          <Label htmlFor="runs-status">Status</Label>
          <NativeSelect id="runs-status" name="status" defaultValue={filter.status}>
            <option value="">Any status</option>
            {Object.entries(RUN_STATUS_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </NativeSelect>
        </div>
        <Field label="Record id" name="record" defaultValue={filter.record} maxLength={100} placeholder="e.g. from a record's link" />
        <Field label="From (UTC)" name="from" type="date" defaultValue={filter.from} />
        <Field label="To (UTC)" name="to" type="date" defaultValue={filter.to} />
        {limit ? <input type="hidden" name="limit" value={limit} /> : null}
        <Button type="submit" variant="secondary">
          Filter
        </Button>
        {filtered || cursor ? (
          <Button asChild variant="ghost">
            <Link to={location.pathname}>Reset</Link>
          </Button>
        ) : null}
      </Form>
      {runs.length === 0 ? (
        <EmptyState title={filtered ? 'No matching runs' : 'No runs yet'}>
          <p>A run is logged each time an event reaches a published, enabled automation. Runs are kept for 30 days.</p>
        </EmptyState>
      ) : (
        <RunsTable runs={runs} titles={titles} automationLabels={labels} label="Runs" />
      )}
      <div className="pager">
        {newer === null ? null : (
          <Button asChild variant="ghost">
            <Link to={newer}>Newer runs</Link>
          </Button>
        )}
        {older ? (
          <Button asChild variant="secondary">
            <Link to={older}>Older runs</Link>
          </Button>
        ) : null}
      </div>
      <p className="muted">{pageSize} runs per page.</p>
    </>
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
