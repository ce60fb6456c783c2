// The tenant's audit log, newest first (audit.list; admins only), filtered by actor, action, item
// and date range, paginated by cursor (with a trail of cursors for stepping back).
import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react'
import { callForPage } from '~/utils/api-errors.server'
import { pagerLinks, trailOf } from '~/utils/cursor-trail'
import { summariseAuditEntry } from '~/utils/audit-summary'
import { requirePermission } from '~/utils/session.server'
import { EmptyState, PageHeader } from '~/components/page'
import { DateTime } from '~/components/date-time'
import { RouteErrorBoundary } from '~/components/error-page'
import { Button } from '~/components/ui/button'
import { Field } from '~/components/ui/field'
import { NativeSelect } from '~/components/ui/input'
import { Label } from '~/components/ui/label'

export const meta: MetaFunction = () => [{ title: 'Audit log · Automation Studio · Pulse-8' }]

const PAGE_SIZES = [25, 50, 100] as const
const DEFAULT_PAGE_SIZE = 50

const SUMMARY_MAX = 160
const DETAIL_MAX = 5_000

function brief(value: unknown): string {
  if (Array.isArray(value)) return value.length <= 3 ? JSON.stringify(value) : `[${value.length} items]`
  if (value !== null && typeof value === 'object') return `{${Object.keys(value).length} fields}`
  const json = JSON.stringify(value) ?? String(value)
  return json.length > 60 ? `${json.slice(0, 57)}…` : json
}

/**
 * One readable line per side of a change (`role: "AGENT"`), short enough for a table cell; the
 * full JSON goes along for the row's "details" disclosure. Some entries (a whole configuration
 * publish) are large, hence the caps.
 */
function describeSide(value: unknown): { summary: string; json: string } | null {
  if (value === null || value === undefined) return null
  const summary =
    typeof value === 'object' && !Array.isArray(value)
      ? Object.entries(value)
          .map(([k, v]) => `${k}: ${brief(v)}`)
          .join(', ')
      : brief(value)
  const json = JSON.stringify(value, null, 2)
  return {
    summary: summary.length > SUMMARY_MAX ? `${summary.slice(0, SUMMARY_MAX - 1)}…` : summary,
    json: json.length > DETAIL_MAX ? `${json.slice(0, DETAIL_MAX - 1)}…` : json,
  }
}

const DAY = /^\d{4}-\d{2}-\d{2}$/

/** The filters of the page, as the URL carries them (dates are whole UTC days). */
function filtersOf(params: URLSearchParams) {
  const day = (name: string) => {
    const v = params.get(name)?.trim() ?? ''
    return DAY.test(v) && !Number.isNaN(Date.parse(v)) ? v : ''
  }
  const limit = Number(params.get('limit'))
  return {
    limit: Number.isInteger(limit) && limit >= 1 && limit <= 200 && limit !== DEFAULT_PAGE_SIZE ? String(limit) : '',
    actor: params.get('actor')?.trim() ?? '',
    action: params.get('action')?.trim() ?? '',
    target: params.get('target')?.trim() ?? '',
    from: day('from'),
    to: day('to'),
  }
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(context, request, 'audit:read', 'read the audit log')
  const params = new URL(request.url).searchParams
  const filter = filtersOf(params)
  const cursor = params.get('cursor') || undefined
  // The cursors of the newer pages walked so far, so "Newer entries" can step back.
  const trail = trailOf(params)
  const [page, members, tokens, invitations] = await Promise.all([
    callForPage(request, context, (trpc) =>
      trpc.audit.list({
        actorUserId: filter.actor || undefined,
        action: filter.action || undefined,
        target: filter.target || undefined,
        from: filter.from ? new Date(`${filter.from}T00:00:00.000Z`) : undefined,
        to: filter.to ? new Date(`${filter.to}T23:59:59.999Z`) : undefined,
        cursor,
        limit: Number(filter.limit) || DEFAULT_PAGE_SIZE,
      }),
    ),
    // Names for the actor column; ids of people who have since left stay as ids.
    callForPage(request, context, (trpc) => trpc.members.list()),
    callForPage(request, context, (trpc) => trpc.tokens.list()),
    callForPage(request, context, (trpc) => trpc.members.invitations()),
  ])
  const people = new Map(members.map((m) => [m.userId, `${m.name} (${m.email})`]))
  const tokenNames = new Map(tokens.map((t) => [t.id, t.name]))
  const memberNames = new Map(members.map((m) => [m.userId, m.name]))
  // Invitations are named by their email: the pending ones, and any this page saw created.
  const invitationEmails = new Map(invitations.map((i) => [i.id, i.email]))
  for (const e of page.items) {
    const email = (e.after as { email?: unknown } | null)?.email
    if (e.target.startsWith('invitation/') && typeof email === 'string') invitationEmails.set(e.target.slice('invitation/'.length), email)
  }
  const entries = page.items.map((e) => ({
    id: e.id,
    createdAt: e.createdAt.toISOString(),
    summary: summariseAuditEntry(e, {
      actor: e.actorUserId
        ? (memberNames.get(e.actorUserId) ?? 'A former member')
        : e.actorTokenId
          ? `API token “${tokenNames.get(e.actorTokenId) ?? e.actorTokenId}”`
          : 'System',
      user: (id) => memberNames.get(id),
      token: (id) => tokenNames.get(id),
      invitation: (id) => invitationEmails.get(id),
    }),
    actor: e.actorUserId
      ? (people.get(e.actorUserId) ?? `Former member ${e.actorUserId}`)
      : e.actorTokenId
        ? `API token "${tokenNames.get(e.actorTokenId) ?? e.actorTokenId}"`
        : 'System',
    action: e.action,
    target: e.target,
    before: describeSide(e.before),
    after: describeSide(e.after),
  }))
  return json({
    entries,
    nextCursor: page.nextCursor,
    cursor: cursor ?? null,
    trail,
    filter,
    actors: members.map((m) => ({ id: m.userId, label: `${m.name} (${m.email})` })),
    isFirstPage: !cursor,
  })
}

export default function AuditLogPage() {
  const { entries, nextCursor, cursor, trail, filter, actors, isFirstPage } = useLoaderData<typeof loader>()
  const location = useLocation()
  const { limit, ...criteria } = filter
  const filtered = Object.values(criteria).some(Boolean)
  const { older, newer } = pagerLinks(filter, { cursor, trail, nextCursor })
  return (
    <>
      <PageHeader title="Audit log" description="Who changed what in this tenant, and when: members, roles, tokens and configuration." />
      <Form method="get" className="toolbar toolbar--wrap audit-filters" role="search" aria-label="Filter the audit log">
        <div className="field">
          <Label htmlFor="audit-actor">Actor</Label>
          <NativeSelect id="audit-actor" name="actor" defaultValue={filter.actor}>
            <option value="">Anyone</option>
            {actors.map((a) => (
              <option key={a.id} value={a.id}>
                {a.label}
              </option>
            ))}
          </NativeSelect>
        </div>
        <Field label="Action starts with" name="action" defaultValue={filter.action} placeholder="e.g. config." />
        <Field label="Item contains" name="target" defaultValue={filter.target} placeholder="e.g. views/customer" />
        <Field label="From (UTC)" name="from" type="date" defaultValue={filter.from} />
        <Field label="To (UTC)" name="to" type="date" defaultValue={filter.to} />
        <div className="field">
          <Label htmlFor="audit-limit">Per page</Label>
          <NativeSelect id="audit-limit" name="limit" defaultValue={limit || String(DEFAULT_PAGE_SIZE)}>
            {(PAGE_SIZES as readonly number[]).includes(Number(limit || DEFAULT_PAGE_SIZE)) ? null : <option value={limit}>{limit}</option>}
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </NativeSelect>
        </div>
        <Button type="submit" variant="secondary">
          Filter
        </Button>
        {filtered || !isFirstPage ? (
          <Button asChild variant="ghost">
            <Link to={location.pathname}>Reset</Link>
          </Button>
        ) : null}
      </Form>
      {entries.length === 0 ? (
        <EmptyState title={filtered ? 'No matching entries' : 'No audit entries yet'}>
          <p>Changes to members, roles, API tokens and the configuration are recorded here as they happen.</p>
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="Audit log">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">What happened</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id} data-entry={e.id}>
                  <td>
                    <DateTime value={e.createdAt} />
                  </td>
                  <td>{e.actor}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td className="wrap">
                    <code>{e.target}</code>
                  </td>
                  <td className="wrap">
                    <Change summary={e.summary} before={e.before} after={e.after} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="pager">
        {newer === null ? null : (
          <Button asChild variant="ghost">
            <Link to={newer}>Newer entries</Link>
          </Button>
        )}
        {older ? (
          <Button asChild variant="secondary">
            <Link to={older}>Older entries</Link>
          </Button>
        ) : null}
      </div>
    </>
  )
}

type Side = { summary: string; json: string } | null

/** The entry in one sentence; what was stored (before/after) behind "Details". */
function Change({ summary, before, after }: { summary: string; before: Side; after: Side }) {
  return (
    <div className="change">
      <p className="change__line audit-summary">{summary}</p>
      {before || after ? (
        <details className="change__details">
          <summary>Details</summary>
          {before ? <p className="change__line">before: {before.summary}</p> : null}
          {after ? <p className="change__line">after: {after.summary}</p> : null}
          {before ? <pre>{`before: ${before.json}`}</pre> : null}
          {after ? <pre>{`after: ${after.json}`}</pre> : null}
        </details>
      ) : null}
    </div>
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
