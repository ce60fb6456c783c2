// The inbox's live feed in the browser: new messages (`inbox.onMessage`) and thread changes
// (`inbox.onThreadChanged`) over one WebSocket. The inbox page revalidates on each; the CRM shell
// refreshes the side nav's unread badge.
import { useEffect, useRef, useState } from 'react'
import { openLiveConnection } from '~/config/browser-trpc.client'

/** Calls `onEvent` (coalesced: at most once per 150 ms) whenever a message or thread change arrives. */
export function useInboxEvents(onEvent: () => void, enabled = true) {
  const latest = useRef(onEvent)
  latest.current = onEvent
  useEffect(() => {
    if (!enabled) return
    const conn = openLiveConnection()
    let timer: ReturnType<typeof setTimeout> | undefined
    const fire = () => {
      if (timer) return
      timer = setTimeout(() => {
        timer = undefined
        latest.current()
      }, 150)
    }
    const subs = [conn.client.inbox.onMessage.subscribe(undefined, { onData: fire }), conn.client.inbox.onThreadChanged.subscribe(undefined, { onData: fire })]
    return () => {
      clearTimeout(timer)
      for (const s of subs) s.unsubscribe()
      conn.close()
    }
  }, [enabled])
}

/** The caller's unread thread count, starting from the loader's and kept live. */
export function useLiveUnreadCount(initial: number | null): number | null {
  const [count, setCount] = useState(initial)
  useEffect(() => setCount(initial), [initial])
  const refresh = useRef<() => void>(() => undefined)
  refresh.current = () => {
    void fetch('/api/trpc/inbox.unreadCount', { headers: { accept: 'application/json' } })
      .then((r) => (r.ok ? (r.json() as Promise<{ result: { data: { json: { unread: number } } } }>) : null))
      .then((body) => body && setCount(body.result.data.json.unread))
      .catch(() => undefined)
  }
  useInboxEvents(() => refresh.current(), initial !== null)
  return count
}
