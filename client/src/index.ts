// @pulse8/client: a typed client for Pulse-8 (README.md). Calls go over HTTP with batching,
// subscriptions over one WebSocket that reconnects and resumes after the last event it saw; both
// carry the API token. The types are the server's own `AppRouter` (docs/decisions/023-platform.md).
import { createTRPCClient, createWSClient, httpBatchLink, splitLink, wsLink, TRPCClientError, type TRPCClient } from '@trpc/client'
import type { inferRouterInputs } from '@trpc/server'
import superjson from 'superjson'
import { WebSocketImpl } from '#websocket'
import type { AppRouter, RouterOutputs } from '../../server/app-router'
import { httpEndpoints } from './http-endpoints.js'

export type { AppRouter, RouterOutputs }
export type RouterInputs = inferRouterInputs<AppRouter>
export { TRPCClientError }
export { PulseHttpError, type IngestMessageInput, type IngestMessageResult, type RuntimeConfig } from './http-endpoints.js'

export interface PulseClientOptions {
  /** The app's origin, e.g. `https://crm.example.com` (no path). */
  url: string
  /** An API token (`p8_…`) from Settings → API tokens. */
  token: string
  /** Another WebSocket implementation (default: `ws` in Node, the native one in browsers). */
  WebSocket?: typeof globalThis.WebSocket
  /** Another fetch (default: the global one). */
  fetch?: typeof globalThis.fetch
  /** Delay before the n-th reconnect attempt (default: 0.5 s doubling up to 10 s). */
  retryDelayMs?: (attempt: number) => number
}

export type PulseClient = {
  /** The typed tRPC client: `api.customers.list.query({...})`, `api.cases.onChanged.subscribe(...)`. */
  api: TRPCClient<AppRouter>
  /** GET /api/runtime/config with ETag caching. */
  runtimeConfig: ReturnType<typeof httpEndpoints>['runtimeConfig']
  /** POST /api/inbox/messages. */
  ingestMessage: ReturnType<typeof httpEndpoints>['ingestMessage']
  /** Closes the WebSocket (subscriptions end); pending HTTP calls finish. */
  close(): void
}

export function createPulseClient(opts: PulseClientOptions): PulseClient {
  const baseUrl = opts.url.replace(/\/+$/, '')
  const trpcUrl = `${baseUrl}/api/trpc`
  // Lazy: the socket opens with the first subscription and closes when the last one ends.
  const wsClient = createWSClient({
    url: trpcUrl.replace(/^http/, 'ws'),
    WebSocket: opts.WebSocket ?? WebSocketImpl,
    connectionParams: { token: opts.token },
    retryDelayMs: opts.retryDelayMs ?? ((attempt) => Math.min(500 * 2 ** attempt, 10_000)),
    lazy: { enabled: true, closeMs: 1_000 },
  })
  const api = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: wsLink({ client: wsClient, transformer: superjson }),
        false: httpBatchLink({
          url: trpcUrl,
          transformer: superjson,
          headers: { Authorization: `Bearer ${opts.token}` },
          // The server takes at most 20 calls per batch.
          maxItems: 20,
          fetch: opts.fetch,
        }),
      }),
    ],
  })
  return { api, ...httpEndpoints(baseUrl, opts.token, opts.fetch), close: () => void wsClient.close() }
}

/** The tRPC error code of a failed call (`NOT_FOUND`, `CONFLICT`, `FORBIDDEN`…), or null for other errors. */
export function errorCodeOf(error: unknown): string | null {
  if (!(error instanceof TRPCClientError)) return null
  const data = error.data as { code?: string } | undefined
  return data?.code ?? null
}
