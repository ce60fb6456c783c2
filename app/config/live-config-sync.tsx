// Keeps the live-config store (app/config/live-config.tsx) live: one WebSocket per page and active
// tenant, subscribed to `config.onPublished` from the version the page was rendered with. On each
// published version it fetches the new live config (`runtime.config`, over the same socket) and
// swaps it into the store in place, so forms and tables re-render without a reload; then it says
// so in a toast. It asks with `minVersion` set to the announced version, which the server never
// answers older (even if its cache has not heard of the publish yet): one fetch per version, no
// polling. After a reconnect the subscription resumes from the last version it saw (the server
// replays what was missed) and the page also fetches once, in case it is behind.
//
// Also the connection indicator (connected / reconnecting / offline) the top bar shows.
import { useEffect, useSyncExternalStore } from 'react'
import { useToast } from '~/components/ui/toaster'
import { useConfigStore } from './live-config'
import { acquireLiveConnection } from './browser-trpc.client'

export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'offline'

/** After this long without a connection, "reconnecting" becomes "offline". */
const OFFLINE_AFTER_MS = 10_000

// One connection status for the page (there is one live connection), readable from anywhere.
const status = {
  value: 'idle' as ConnectionStatus,
  listeners: new Set<() => void>(),
  set(next: ConnectionStatus) {
    if (status.value === next) return
    status.value = next
    for (const l of status.listeners) l()
  },
  subscribe(listener: () => void) {
    status.listeners.add(listener)
    return () => void status.listeners.delete(listener)
  },
  get: () => status.value,
  getServer: (): ConnectionStatus => 'idle',
}

export function useConnectionStatus(): ConnectionStatus {
  return useSyncExternalStore(status.subscribe, status.get, status.getServer)
}

const LABELS: Record<Exclude<ConnectionStatus, 'idle'>, string> = {
  connecting: 'Connecting…',
  connected: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
}

/** A dot and a word in the top bar; nothing on pages without live data (the Studio, login). */
export function ConnectionIndicator() {
  const value = useConnectionStatus()
  if (value === 'idle') return null
  const title =
    value === 'connected'
      ? 'Connected: changes published by admins appear here at once'
      : value === 'offline'
        ? 'Offline: this page will catch up when the connection is back'
        : 'Connection lost: reconnecting'
  return (
    <span className={`live-status live-status--${value}`} data-testid="connection-status" data-status={value} title={title} role="status">
      <span className="live-status__dot" aria-hidden />
      {LABELS[value]}
    </span>
  )
}

/** Mount once inside the LiveConfigProvider, keyed or parameterised by the active tenant. */
export function LiveConfigSync({ tenantId }: { tenantId: string }) {
  const store = useConfigStore()
  const toast = useToast()

  useEffect(() => {
    let disposed = false
    let everOpen = false
    let offlineTimer: ReturnType<typeof setTimeout> | undefined

    const conn = acquireLiveConnection(tenantId, {
      onOpen: () => {
        // Back after a drop: whatever the replay brings, make sure we are not behind.
        if (everOpen) void refresh(0)
        everOpen = true
      },
    })

    /** Fetches the live config, at least `minVersion` (0: whatever is live), and swaps it in. */
    async function refresh(minVersion: number) {
      // A replayed announcement of a version the page already has costs nothing.
      if (minVersion > 0 && store.get().version >= minVersion) return
      try {
        const live = await conn.client.runtime.config.query(minVersion > 0 ? { minVersion } : undefined)
        if (disposed) return
        // The store keeps the newest: an answer overtaken by a later one changes nothing.
        if (store.set({ version: live.version, checksum: live.checksum, items: live.items })) {
          toast({
            title: `Configuration updated to v${live.version}`,
            description: 'Forms and views now follow the newly published configuration.',
            duration: 5_000,
          })
        }
      } catch {
        // The connection dropped mid-fetch: the reconnect's fetch catches up.
      }
    }

    const goingOffline = () => {
      clearTimeout(offlineTimer)
      offlineTimer = setTimeout(() => !disposed && status.set('offline'), OFFLINE_AFTER_MS)
    }
    const stateSub = conn.wsClient.connectionState.subscribe({
      next(state) {
        if (disposed) return
        if (state.state === 'pending') {
          clearTimeout(offlineTimer)
          status.set('connected')
        } else if (state.state === 'connecting') {
          if (status.get() !== 'offline') status.set(everOpen || state.error ? 'reconnecting' : 'connecting')
          goingOffline()
        }
      },
    })
    const onBrowserOffline = () => status.set('offline')
    window.addEventListener('offline', onBrowserOffline)

    const subscription = conn.client.config.onPublished.subscribe(
      { lastEventId: String(store.get().version) },
      {
        onData: ({ data }) => void refresh(data.version),
        // Refused (signed out, removed from the tenant): nothing live any more on this page.
        onError: () => !disposed && status.set('offline'),
      },
    )

    return () => {
      disposed = true
      clearTimeout(offlineTimer)
      window.removeEventListener('offline', onBrowserOffline)
      subscription.unsubscribe()
      stateSub.unsubscribe()
      conn.release()
      status.set('idle')
    }
  }, [store, tenantId, toast])

  return null
}
