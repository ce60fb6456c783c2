// The dashboard: the metrics a support and sales team lives by, for a period and an owner, from
// `dashboard.metrics` (server/dashboard/). Days are the reader's: the browser's time zone travels
// in a cookie (the server cannot know it on the first visit, so that visit renders once the
// browser has said it). Live: record changes reload the numbers (live-refresh.ts), not a timer.
import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, useLoaderData, useRevalidator, useSubmit } from '@remix-run/react'
import { useEffect, useRef, useState } from 'react'
import { isValidTimeZone } from '../../server/config-language'
import { PageHeader, EmptyState } from '~/components/page'
import { RouteErrorBoundary } from '~/components/error-page'
import { callForPage } from '~/utils/api-errors.server'
import { requirePermission } from '~/utils/session.server'
import { localDate, parsePeriod, periodInstants, PERIOD_PRESETS } from '~/components/dashboard/period'
import { DashboardGroups, ZONE_COOKIE } from '~/components/dashboard/dashboard-groups'
import { useRefreshOnChanges } from '~/components/dashboard/live-refresh'
import dashboardStyles from '~/components/dashboard/dashboard.css'

export const meta: MetaFunction = () => [{ title: 'Dashboard · Pulse-8' }]
export const links: LinksFunction = () => [{ rel: 'stylesheet', href: dashboardStyles }]

function zoneOf(request: Request): string | null {
  const raw = (request.headers.get('cookie') ?? '')
    .split(/;\s*/)
    .find((c) => c.startsWith(`${ZONE_COOKIE}=`))
    ?.slice(ZONE_COOKIE.length + 1)
  if (!raw) return null
  const zone = decodeURIComponent(raw)
  return zone.length <= 64 && isValidTimeZone(zone) ? zone : null
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const me = await requirePermission(context, request, 'dashboard:read', 'see the dashboard')
  const url = new URL(request.url)
  // Until the browser has said its zone (first visit), days are UTC days.
  const timeZone = zoneOf(request) ?? 'UTC'
  const period = parsePeriod(url.searchParams, localDate(new Date(), timeZone))
  const ownerId = url.searchParams.get('owner') || undefined
  const [metrics, members] = await Promise.all([
    callForPage(request, context, (trpc) => trpc.dashboard.metrics({ ...periodInstants(period, timeZone), timeZone, ...(ownerId ? { ownerId } : {}) })),
    callForPage(request, context, (trpc) => trpc.members.names()),
  ])
  return json({ tenantName: me.activeTenant!.name, timeZone, period, ownerId: ownerId ?? null, metrics, members }, { headers: context.resHeaders })
}

export default function DashboardPage() {
  const { tenantName, timeZone, period, metrics, members, ownerId } = useLoaderData<typeof loader>()
  const revalidator = useRevalidator()
  const submit = useSubmit()

  // Tell the server the reader's zone (first visit, or the laptop travelled) and load with it;
  // once per page, so a zone the server does not know cannot loop.
  const zoneSent = useRef(false)
  useEffect(() => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone
    if (zone === timeZone || zoneSent.current) return
    zoneSent.current = true
    document.cookie = `${ZONE_COOKIE}=${encodeURIComponent(zone)}; path=/; max-age=31536000; samesite=lax`
    revalidator.revalidate()
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [timeZone])

  const live = useRefreshOnChanges(() => {
    if (revalidator.state === 'idle') revalidator.revalidate()
  })

  // The picked preset, before it applies: "Custom" shows the date inputs and waits for Apply.
  const [preset, setPreset] = useState(period.preset)
  useEffect(() => setPreset(period.preset), [period.preset])

  const isNew =
    metrics.cases.open === 0 &&
    metrics.cases.created === 0 &&
    metrics.pipeline.open.count === 0 &&
    metrics.pipeline.won.count + metrics.pipeline.lost.count === 0
  return (
    <>
      <PageHeader title="Dashboard" description={`${tenantName} at a glance, days in ${timeZone}. The numbers follow changes as they happen.`} />
      <Form
        method="get"
        className="dash-filters"
        aria-label="Period and owner"
        onChange={(e) => {
          // Presets apply at once; custom dates wait for their Apply button.
          const target = e.target as HTMLInputElement
          if (target.name === 'period') setPreset(target.value as typeof preset)
          if (target.name === 'period' && target.value !== 'custom') submit(e.currentTarget, { replace: true })
          if (target.name === 'owner') submit(e.currentTarget, { replace: true })
        }}
      >
        <fieldset className="dash-period">
          <legend className="visually-hidden">Period</legend>
          {PERIOD_PRESETS.map((p) => (
            <label key={p.key} className="dash-period__option">
              <input type="radio" name="period" value={p.key} checked={preset === p.key} onChange={() => setPreset(p.key)} />
              <span>{p.label}</span>
            </label>
          ))}
        </fieldset>
        {preset === 'custom' ? (
          <span className="dash-custom">
            <label>
              From <input className="input input--inline" type="date" name="start" defaultValue={period.start} required />
            </label>
            <label>
              to <input className="input input--inline" type="date" name="end" defaultValue={period.end} required />
            </label>
            <button className="btn btn--secondary btn--sm" type="submit">
              Apply
            </button>
          </span>
        ) : null}
        <label className="dash-owner">
          Owner{' '}
          <select className="input select input--inline" name="owner" defaultValue={ownerId ?? ''}>
            <option value="">Everyone</option>
            {members.map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
        <noscript>
          <button className="btn btn--secondary btn--sm" type="submit">
            Show
          </button>
        </noscript>
      </Form>
      {isNew ? (
        <EmptyState title="No cases or deals yet">
          <p>Create your first customer, deal or case, or import customers from CSV: the charts fill in as the records come.</p>
        </EmptyState>
      ) : null}
      <div data-live={live ? 'listening' : 'starting'}>
        <DashboardGroups metrics={metrics} period={period} ownerId={ownerId} />
      </div>
    </>
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
