// All of the signed-in person's notifications, newest first, a page at a time (the bell shows the
// latest; notifications.list / markRead). `?unread=1` shows only unread ones.
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react'
import { callForForm, callForPage } from '~/utils/api-errors.server'
import { requireUser } from '~/utils/session.server'
import { text } from '~/utils/form-data'
import { EmptyState, PageHeader } from '~/components/page'
import { DateTime } from '~/components/date-time'
import { RouteErrorBoundary } from '~/components/error-page'
import { Button } from '~/components/ui/button'
import { cn } from '~/utils/cn'

export const meta: MetaFunction = () => [{ title: 'Notifications · Pulse-8' }]

const PAGE_SIZE = 25

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(context, request)
  const params = new URL(request.url).searchParams
  const cursor = params.get('cursor')?.slice(0, 100) || undefined
  const unreadOnly = params.get('unread') === '1'
  const page = await callForPage(request, context, (trpc) => trpc.notifications.list({ cursor, unreadOnly, limit: PAGE_SIZE }))
  return json({ ...page, unreadOnly, isFirstPage: !cursor })
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData()
  const intent = text(form, 'intent')
  const result = await callForForm(request, context, intent, (trpc) =>
    intent === 'read-all' ? trpc.notifications.markRead({ all: true }) : trpc.notifications.markRead({ ids: [text(form, 'id')] }),
  )
  if (!result.ok) return result.response
  return json({ ok: true as const })
}

export default function NotificationsPage() {
  const { items, unread, nextCursor, unreadOnly, isFirstPage } = useLoaderData<typeof loader>()
  const busy = useNavigation().state !== 'idle'
  const filter = unreadOnly ? '&unread=1' : ''
  return (
    <>
      <PageHeader
        title="Notifications"
        description={unread > 0 ? `${unread} unread` : 'All read'}
        actions={
          <Form method="post">
            <input type="hidden" name="intent" value="read-all" />
            <Button type="submit" variant="secondary" disabled={busy || unread === 0}>
              Mark all read
            </Button>
          </Form>
        }
      />
      <nav className="tabs" aria-label="Which notifications">
        <Link to="/notifications" className={cn('tabs__tab', !unreadOnly && 'is-active')}>
          All
        </Link>
        <Link to="/notifications?unread=1" className={cn('tabs__tab', unreadOnly && 'is-active')}>
          Unread
        </Link>
      </nav>
      {items.length === 0 ? (
        <EmptyState title={unreadOnly ? 'Nothing unread' : 'No notifications yet'}>
          <p>Automations, approvals and SLA alerts notify you here and in the bell at the top.</p>
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="Notifications">
            <thead>
              <tr>
                <th scope="col">Notification</th>
                <th scope="col">When</th>
                <th scope="col" className="actions">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((n) => (
                <tr key={n.id} className={cn(!n.readAt && 'is-unread')}>
                  <td>
                    <strong>{n.link ? <Link to={n.link}>{n.title}</Link> : n.title}</strong>
                    {!n.readAt ? <span className="badge">Unread</span> : null}
                    {n.body ? <div className="muted">{n.body}</div> : null}
                  </td>
                  <td>
                    <DateTime value={n.createdAt} />
                  </td>
                  <td className="actions">
                    {!n.readAt ? (
                      <Form method="post">
                        <input type="hidden" name="intent" value="read" />
                        <input type="hidden" name="id" value={n.id} />
                        <Button type="submit" variant="secondary" size="sm" disabled={busy} aria-label={`Mark "${n.title}" read`}>
                          Mark read
                        </Button>
                      </Form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="toolbar">
        {!isFirstPage ? <Link to={`/notifications?${filter.slice(1)}`}>Newest</Link> : null}
        {nextCursor ? <Link to={`/notifications?cursor=${encodeURIComponent(nextCursor)}${filter}`}>Older</Link> : null}
      </div>
    </>
  )
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />
}
