// The tenant's audit log, newest first (audit.list; admins only).
import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useLocation } from '@remix-run/react'
import { callForPage } from '~/utils/api-errors.server'
import { requirePermission } from '~/utils/session.server'
import { EmptyState, PageHeader } from '~/components/page'
import { DateTime } from '~/components/date-time'
import { RouteErrorBoundary } from '~/components/error-page'
import { Button } from '~/components/ui/button'
import { Field } from '~/components/ui/field'

export const meta: MetaFunction = () => [{ title: 'Audit log · Automation Studio · Pulse-8' }]

const PAGE_SIZE = 50

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

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(context, request, 'audit:read', 'read the audit log')
  const params = new URL(request.url).searchParams
  const action = params.get('action')?.trim() || undefined
  const cursor = params.get('cursor') || undefined
  const [page, members, tokens] = await Promise.all([
    callForPage(request, context, (trpc) => trpc.audit.list({ action, cursor, limit: PAGE_SIZE })),
    // Names for the actor column; ids of people who have since left stay as ids.
    callForPage(request, context, (trpc) => trpc.members.list()),
    callForPage(request, context, (trpc) => trpc.tokens.list()),
  ])
  const people = new Map(members.map((m) => [m.userId, `${m.name} (${m.email})`]))
  const tokenNames = new Map(tokens.map((t) => [t.id, t.name]))
  const entries = page.items.map((e) => ({
    id: e.id,
    createdAt: e.createdAt.toISOString(),
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
  return json({ entries, nextCursor: page.nextCursor, filter: { action: action ?? '' }, isFirstPage: !cursor })
}

export default function AuditLogPage() {
  const { entries, nextCursor, filter, isFirstPage } = useLoaderData<typeof loader>()
  const location = useLocation()
  const older = new URLSearchParams({ ...(filter.action ? { action: filter.action } : {}), cursor: nextCursor ?? '' })
  return (
    <>
      <PageHeader title="Audit log" description="Who changed what in this tenant, and when: members, roles, tokens and configuration." />
      <Form method="get" className="toolbar" role="search">
        <Field label="Action starts with" name="action" defaultValue={filter.action} placeholder="e.g. member." />
        <Button type="submit" variant="secondary">
          Filter
        </Button>
        {filter.action || !isFirstPage ? (
          <Button asChild variant="ghost">
            <Link to={location.pathname}>Show newest</Link>
          </Button>
        ) : null}
      </Form>
      {entries.length === 0 ? (
        <EmptyState title={filter.action ? 'No matching entries' : 'No audit entries yet'}>
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
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>
                    <DateTime value={e.createdAt} />
                  </td>
                  <td>{e.actor}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>
                    <code>{e.target}</code>
                  </td>
                  <td>
                    {e.before || e.after ? <Change before={e.before} after={e.after} /> : <span className="muted">—</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextCursor ? (
        <div className="pager">
          <Button asChild variant="secondary">
            <Link to={`?${older}`}>Older entries</Link>
          </Button>
        </div>
      ) : null}
    </>
  )
}

type Side = { summary: string; json: string } | null

function Change({ before, after }: { before: Side; after: Side }) {
  return (
    <div className="change">
      {before ? <p className="change__line">before: {before.summary}</p> : null}
      {after ? <p className="change__line">after: {after.summary}</p> : null}
      <details className="change__details">
        <summary>Details</summary>
        {before ? <pre>{`before: ${before.json}`}</pre> : null}
        {after ? <pre>{`after: ${after.json}`}</pre> : null}
      </details>
    </div>
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
