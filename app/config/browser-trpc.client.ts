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
