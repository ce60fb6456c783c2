// The notification centre in the top bar: a bell with the unread count, a popover with the latest
// notifications (click: mark read and open the record), "Mark all read", and live arrivals over
// `notifications.onNew` on the page's shared live connection, each announced with a toast.
// Browser-only data: the list is fetched over the socket once the live feed has started (and
// again after a reconnect, to catch up), so the server render shows the bell without a count.
import { Link, useNavigate } from '@remix-run/react'
import { Popover } from 'radix-ui'
import { useCallback, useEffect, useRef, useState } from 'react'
import type { RouterOutputs } from '../../../server/app-router'
import { acquireLiveConnection, type LiveConnection } from '~/config/browser-trpc.client'
import { useToast } from '~/components/ui/toaster'
import { formatDateTime, formatRelative } from '~/utils/dates'
import { cn } from '~/utils/cn'

type Item = RouterOutputs['notifications']['list']['items'][number]
/** How many the popover shows; the rest are on /notifications. */
const LATEST = 10

export function bellLabel(unread: number): string {
  return unread > 0 ? `Notifications, ${unread} unread` : 'Notifications, none unread'
}

export function NotificationBell({ tenantId }: { tenantId: string }) {
  const toast = useToast()
  const navigate = useNavigate()
  // The latest notifications and the unread count (null until loaded), updated together.
  const [{ items, unread }, setState] = useState<{ items: Item[]; unread: number | null }>({ items: [], unread: null })
  const [open, setOpen] = useState(false)
  const conn = useRef<LiveConnection | null>(null)

  useEffect(() => {
    let disposed = false
    const connection = acquireLiveConnection(tenantId)
    conn.current = connection
    async function load() {
      try {
        const page = await connection.client.notifications.list.query({ limit: LATEST })
        if (disposed) return
        setState({ items: page.items, unread: page.unread })
      } catch {
        // Offline or refused: the next (re)connect loads again.
      }
    }
    // Live from now on (no lastEventId); the list is loaded once the feed has started (and again
    // when it restarts after a reconnect), so nothing falls between the list and the feed.
    const subscription = connection.client.notifications.onNew.subscribe(undefined, {
      onStarted: () => void load(),
      onData: ({ data }) => {
        if (disposed) return
        // Too far behind for a replay: the list is the truth.
        if (data.type !== 'notification') return void load()
        const item: Item = {
          id: data.id,
          userId: '',
          title: data.title,
          body: data.body ?? null,
          link: data.link ?? null,
          source: null,
          readAt: null,
          createdAt: new Date(data.at),
        }
        // One update for list and count: a replayed event already listed changes neither.
        setState((s) => (s.items.some((n) => n.id === item.id) ? s : { items: [item, ...s.items].slice(0, LATEST), unread: (s.unread ?? 0) + 1 }))
        toast({ title: data.title, description: data.body, tone: 'info', duration: 8_000 })
      },
      onError: () => undefined,
    })
    return () => {
      disposed = true
      subscription.unsubscribe()
      connection.release()
      conn.current = null
    }
  }, [tenantId, toast])

  const markRead = useCallback(async (input: { ids: string[] } | { all: true }) => {
    const client = conn.current?.client
    if (!client) return
    const now = new Date()
    setState((s) => ({ ...s, items: s.items.map((n) => ('all' in input || input.ids.includes(n.id) ? { ...n, readAt: n.readAt ?? now } : n)) }))
    try {
      const result = await client.notifications.markRead.mutate(input)
      setState((s) => ({ ...s, unread: result.unread }))
    } catch {
      // The next load shows the truth.
    }
  }, [])

  const openItem = (n: Item) => {
    setOpen(false)
    if (!n.readAt) void markRead({ ids: [n.id] })
    if (n.link) navigate(n.link)
  }

  const count = unread ?? 0
  return (
    <Popover.Root open={open} onOpenChange={setOpen}>
      <Popover.Trigger className="bell" aria-label={bellLabel(count)} data-testid="notification-bell">
        <svg
          aria-hidden
          width="20"
          height="20"
          viewBox="0 0 24 24"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          strokeLinecap="round"
          strokeLinejoin="round"
        >
          <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
          <path d="M13.73 21a2 2 0 0 1-3.46 0" />
        </svg>
        {count > 0 ? (
          <span className="bell__badge" aria-hidden data-testid="notification-count">
            {count > 99 ? '99+' : count}
          </span>
        ) : null}
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content className="bell__popover" align="end" sideOffset={8} aria-label="Notifications">
          <div className="bell__header">
            <h2 className="bell__title">Notifications</h2>
            <button type="button" className="bell__action" disabled={count === 0} onClick={() => void markRead({ all: true })}>
              Mark all read
            </button>
          </div>
          {items.length === 0 ? (
            <p className="bell__empty">{unread === null ? 'Loading…' : 'Nothing yet. Automations and approvals notify you here.'}</p>
          ) : (
            <ul className="bell__list">
              {items.map((n) => (
                <li key={n.id}>
                  <button type="button" className={cn('bell__item', !n.readAt && 'is-unread')} onClick={() => openItem(n)}>
                    <span className="bell__item-title">
                      {!n.readAt ? <span className="visually-hidden">Unread: </span> : null}
                      {n.title}
                    </span>
                    {n.body ? <span className="bell__item-body">{n.body}</span> : null}
                    <time className="bell__item-time" dateTime={n.createdAt.toISOString()} title={formatDateTime(n.createdAt, true)}>
                      {formatRelative(n.createdAt)}
                    </time>
                  </button>
                </li>
              ))}
            </ul>
          )}
          <div className="bell__footer">
            <Link to="/notifications" onClick={() => setOpen(false)}>
              All notifications
            </Link>
          </div>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  )
}
