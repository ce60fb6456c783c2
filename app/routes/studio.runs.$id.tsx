// One automation run (automations.run; Managers read): the event that started it and its record,
// each condition's result, every step (status, attempts, result or error, time), a loop-guard stop
// shown as such, and the causal chain: links to the runs whose changes caused this one. Admins
// retry a failed run here (automations.retry); the server decides, the button is a courtesy.
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useFetcher, useLoaderData, useRevalidator } from '@remix-run/react'
import { useEffect } from 'react'
import { MAX_CHAIN_SHOWN, RunChain, RunConditions, RunSteps } from '~/components/studio/run-detail'
import { RunRecord, RunStatusBadge } from '~/components/studio/run-log'
import { eventWords, isLoopGuardStop, reasonWords, runDuration } from '~/components/studio/run-words'
import { RouteErrorBoundary } from '~/components/error-page'
import { DateTime } from '~/components/date-time'
import { PageHeader } from '~/components/page'
import { Button } from '~/components/ui/button'
import { useToast } from '~/components/ui/toaster'
import { callForForm, callForPage } from '~/utils/api-errors.server'
import { liveAutomations, recordTitles } from '~/utils/runs.server'
import { requirePermission } from '~/utils/session.server'

export const meta: MetaFunction = () => [{ title: 'Run · Automation Studio · Pulse-8' }]

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const me = await requirePermission(context, request, 'automations:read', 'read the run log')
  const id = params.id ?? ''
  const run = await callForPage(request, context, (trpc) => trpc.automations.run({ id }))
  // The causal chain, newest cause first: each run names the run whose change caused it. A cause
  // already pruned from the log ends the walk.
  const causes: Array<typeof run> = []
  for (let cause = run.causedByRunId; cause && causes.length < MAX_CHAIN_SHOWN;) {
    const found = await context.trpc.automations.run({ id: cause }).catch(() => null)
    if (!found) break
    causes.push(found)
    cause = found.causedByRunId
  }
  const [titles, automations, config] = await Promise.all([
    recordTitles(
      context,
      [run, ...causes].map((r) => ({ entity: r.entity, id: r.recordId })),
    ),
    liveAutomations(request, context),
    callForPage(request, context, (trpc) => trpc.runtime.config()),
  ])
  const conditionLabels = Object.fromEntries(
    config.items.filter((i) => i.namespace === 'conditions' && i.entity === run.entity).map((i) => [i.key, (i.content as { label?: string }).label ?? i.key]),
  )
  return json(
    {
      run,
      causes,
      titles,
      automationLabels: Object.fromEntries(automations.map((a) => [a.key, a.label])),
      conditionLabels,
      canRetry: me.permissions.includes('automations:manage'),
    },
    { headers: context.resHeaders },
  )
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  await requirePermission(context, request, 'automations:manage', 'retry a run')
  const result = await callForForm(request, context, 'retry', (trpc) => trpc.automations.retry({ id: params.id ?? '' }))
  if (!result.ok) return result.response
  return json({ ok: true as const, intent: 'retry', status: result.data.status, reason: result.data.reason }, { headers: context.resHeaders })
}

export default function RunPage() {
  const { run, causes, titles, automationLabels, conditionLabels, canRetry } = useLoaderData<typeof loader>()
  const retry = useFetcher<typeof action>()
  const revalidator = useRevalidator()
  const toast = useToast()
  const label = automationLabels[run.automationKey] ?? run.automationKey
  const reason = reasonWords(run)

  useEffect(() => {
    const data = retry.data
    if (!data || retry.state !== 'idle') return
    if (data.ok) {
      toast(
        data.status === 'succeeded'
          ? { title: 'Run retried', description: 'Every step has now succeeded.', tone: 'success' }
          : { title: 'Retried, and it failed again', description: reasonWords({ status: data.status, reason: data.reason }) ?? undefined, tone: 'error' },
      )
    } else toast({ title: 'Could not retry the run', description: data.message, tone: 'error' })
  }, [retry.data, retry.state, toast])

  return (
    <>
      <PageHeader
        title={`Run of “${label}”`}
        description={
          <>
            <Link to="/studio/runs">Run log</Link> ·{' '}
            <Link to={`/studio/runs?${new URLSearchParams({ automation: run.automationKey })}`}>all runs of this automation</Link>
          </>
        }
        actions={
          <>
            <Button variant="secondary" onClick={() => revalidator.revalidate()} disabled={revalidator.state !== 'idle'}>
              {revalidator.state === 'idle' ? 'Refresh' : 'Refreshing…'}
            </Button>
            {canRetry && run.status === 'failed' ? (
              <retry.Form method="post">
                <Button type="submit" disabled={retry.state !== 'idle'}>
                  {retry.state === 'idle' ? 'Retry' : 'Retrying…'}
                </Button>
              </retry.Form>
            ) : null}
          </>
        }
      />
      <section className="card run-summary" aria-label="Summary">
        <div className="card__body">
          <dl className="run-facts">
            <dt>Status</dt>
            <dd>
              <RunStatusBadge run={run} />
            </dd>
            <dt>Event</dt>
            <dd>
              {eventWords(run.event)}{' '}
              <span className="muted">
                (config version {run.configVersion}, event {run.eventId})
              </span>
            </dd>
            <dt>Record</dt>
            <dd>
              <RunRecord run={run} titles={titles} />
            </dd>
            <dt>Started</dt>
            <dd>
              <DateTime value={run.startedAt} />
            </dd>
            <dt>Took</dt>
            <dd>{runDuration(run.startedAt, run.finishedAt)}</dd>
          </dl>
          {reason ? (
            <p className={isLoopGuardStop(run) ? 'run-reason run-reason--guard' : 'run-reason'} data-testid="run-reason">
              {reason}
            </p>
          ) : null}
        </div>
      </section>
      <RunConditions run={run} labels={conditionLabels} />
      <RunSteps run={run} />
      <RunChain run={run} causes={causes} titles={titles} automationLabels={automationLabels} />
    </>
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
