// tRPC over WebSocket for tests: a typed client authenticated by an API token (connection params)
// or a session cookie (on the upgrade, as a browser sends it), and a recorder for subscriptions.
import WebSocket from 'ws'
import superjson from 'superjson'
import { createTRPCClient, createWSClient, wsLink, TRPCClientError } from '@trpc/client'
import type { AppRouter } from '../../server/app-router'
import { waitFor } from './wait'

export type WsAuth = { token?: string; cookie?: string; origin?: string }

export function wsUrlOf(baseUrl: string): string {
  return baseUrl.replace(/^http/, 'ws') + '/api/trpc'
}

/**
 * A tRPC client over one WebSocket. `url` may be a function: it is asked again on every reconnect
 * (how a client lands on another instance).
 */
export function connectWs(url: string | (() => string), auth: WsAuth = {}, opts: { retryDelayMs?: (attempt: number) => number } = {}) {
  const headers: Record<string, string> = {}
  if (auth.cookie) headers.cookie = auth.cookie
  if (auth.origin) headers.origin = auth.origin
  class WithHeaders extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers })
    }
  }
  const wsClient = createWSClient({
    url,
    WebSocket: WithHeaders as unknown as typeof globalThis.WebSocket,
    connectionParams: auth.token ? { token: auth.token } : undefined,
    retryDelayMs: opts.retryDelayMs ?? (() => 100),
  })
  const client = createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient, transformer: superjson })] })
  return { client, wsClient, close: () => wsClient.close() }
}

export type Recorded<T> = { id: string; data: T }

/** Subscribes by dotted path and records what arrives: events, start, errors. */
export function record<T = any>(client: unknown, path: string, input?: unknown) {
  const events: Recorded<T>[] = []
  const state: { started: boolean; error: (TRPCClientError<AppRouter> & { code?: string }) | null } = { started: false, error: null }
  const proc = path.split('.').reduce<any>((node, key) => node[key], client)
  const sub = proc.subscribe(input, {
    onStarted: () => (state.started = true),
    onData: (value: Recorded<T>) => events.push(value),
    // The error's tRPC code (UNAUTHORIZED, FORBIDDEN, BAD_REQUEST…) as `error.code`.
    onError: (err: TRPCClientError<AppRouter>) => (state.error = Object.assign(err, { code: (err.data as { code?: string } | undefined)?.code })),
  }) as { unsubscribe(): void }
  return {
    events,
    state,
    unsubscribe: () => sub.unsubscribe(),
    /** Waits until `n` events have arrived (fails after `ms`). */
    async waitFor(n: number, ms = 5_000) {
      await until(
        () => events.length >= n,
        ms,
        () => `${path}: expected ${n} events, got ${events.length}: ${JSON.stringify(events.map((e) => e.id))}`,
      )
      return events
    },
    /**
     * Waits until the event with this id has arrived. Used as a marker sent after the events under
     * test: once it is here, anything that was going to arrive before it (a duplicate, a leak) has.
     */
    async waitForId(id: string, ms = 5_000) {
      await until(
        () => events.some((e) => e.id === id),
        ms,
        () => `${path}: expected event ${id}, got ${JSON.stringify(events.map((e) => e.id))}`,
      )
      return events
    },
    async waitStarted(ms = 5_000) {
      await until(
        () => state.started || state.error !== null,
        ms,
        () => `${path}: neither started nor refused`,
      )
      return state
    },
  }
}

/** `waitFor` (./wait.ts) in the argument order these suites use. */
export async function until(check: () => boolean | Promise<boolean>, ms: number, message: () => string): Promise<void> {
  await waitFor(check, { timeoutMs: ms, message })
}
