// The browser's tRPC client over WebSocket (same origin, /api/trpc). The session cookie
// authenticates the upgrade; the server checks its origin (CSRF). Browser-only (`.client`): the
// server build gets an empty module, so call this only from effects.
import { createTRPCClient, createWSClient, wsLink } from '@trpc/client'
import superjson from 'superjson'
import type { AppRouter } from '../../server/app-router'

export type LiveConnection = {
  client: ReturnType<typeof createTRPCClient<AppRouter>>
  wsClient: ReturnType<typeof createWSClient>
  close(): void
}

/** Reconnect delays: quick at first (an instance restarting hands us to another), then up to 10 s, jittered. */
export function reconnectDelayMs(attempt: number): number {
  const base = Math.min(250 * 2 ** attempt, 10_000)
  return base / 2 + Math.random() * (base / 2)
}

/**
 * Opens one WebSocket for the page's live features. A new connection per active tenant: the
 * server reads the session's active tenant when the socket opens.
 */
export function openLiveConnection(callbacks: { onOpen?: () => void; onClose?: () => void } = {}): LiveConnection {
  const url = `${window.location.protocol === 'https:' ? 'wss:' : 'ws:'}//${window.location.host}/api/trpc`
  const wsClient = createWSClient({
    url,
    retryDelayMs: reconnectDelayMs,
    onOpen: callbacks.onOpen,
    onClose: callbacks.onClose,
    // Notices a dead connection (laptop asleep, proxy gone) even when nothing is being sent.
    keepAlive: { enabled: true, intervalMs: 15_000, pongTimeoutMs: 5_000 },
  })
  const client = createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient, transformer: superjson })] })
  return { client, wsClient, close: () => void wsClient.close() }
}

type Shared = { tenantId: string; connection: LiveConnection; users: number; openListeners: Set<() => void> }
const shared = new Map<string, Shared>()

/**
 * The page's one live connection for `tenantId`, shared by every live feature (the config sync,
 * the notification bell): opened by the first user, closed when the last one releases it. Keyed
 * by tenant, so a tenant switch never hands a feature the previous tenant's socket.
 */
export function acquireLiveConnection(tenantId: string, callbacks: { onOpen?: () => void } = {}): LiveConnection & { release(): void } {
  let entry = shared.get(tenantId)
  if (!entry) {
    const openListeners = new Set<() => void>()
    const connection = openLiveConnection({ onOpen: () => openListeners.forEach((l) => l()) })
    entry = { tenantId, connection, users: 0, openListeners }
    shared.set(tenantId, entry)
  }
  const mine = entry
  mine.users++
  const onOpen = callbacks.onOpen
  if (onOpen) mine.openListeners.add(onOpen)
  let released = false
  return {
    ...mine.connection,
    release() {
      if (released) return
      released = true
      if (onOpen) mine.openListeners.delete(onOpen)
      if (--mine.users === 0) {
        shared.delete(mine.tenantId)
        mine.connection.close()
      }
    },
  }
}
