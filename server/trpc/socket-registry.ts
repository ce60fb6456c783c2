// What this process knows about its open WebSockets, for two limits a socket must not escape:
// - a socket holds at most MAX_SUBSCRIPTIONS_PER_SOCKET subscriptions (init.ts counts them on the
//   socket's context, which tRPC makes once per connection);
// - a session that ends (logout, a password change) ends its sockets at once, on every instance:
//   the auth domain announces `session.ended` on the event bus (server/auth/session-events.ts), and
//   each instance closes the sockets opened with that session.
//   Without this an open socket kept answering until its next credential re-check (context.ts).
import type { WebSocket } from 'ws'
import { SESSION_ENDED, SESSIONS_CHANNEL } from '../auth/session-events'
import type { EventBus } from '../realtime/event-bus'
import type { InnerContext } from './context'
import type { Logger } from '../logger'

export const MAX_SUBSCRIPTIONS_PER_SOCKET = 50

/** The close code a client sees: the session ended; reconnecting will not be signed in. */
export const SESSION_ENDED_CLOSE_CODE = 4401

export type SocketState = { subscriptions: number }
const socketStates = new WeakMap<InnerContext, SocketState>()

/** The per-socket state of a WebSocket connection's context; undefined for HTTP contexts. */
export function socketStateOf(ctx: InnerContext): SocketState | undefined {
  return socketStates.get(ctx)
}

export function createSocketRegistry(bus: EventBus, logger: Logger) {
  const bySession = new Map<string, Set<WebSocket>>()
  const unsubscribe = bus.subscribe(SESSIONS_CHANNEL, SESSION_ENDED, (event) => {
    const sessionId = (event.payload as { sessionId?: unknown } | null)?.sessionId
    if (typeof sessionId !== 'string') return
    const sockets = bySession.get(sessionId)
    if (!sockets) return
    bySession.delete(sessionId)
    logger.info('closing the sockets of an ended session', { sockets: sockets.size })
    for (const ws of sockets) ws.close(SESSION_ENDED_CLOSE_CODE, 'session ended')
  })
  return {
    /** Registers a connection's context (made once per socket) and, for a session, the socket. */
    track(ws: WebSocket, ctx: InnerContext): void {
      socketStates.set(ctx, { subscriptions: 0 })
      if (ctx.principal.kind !== 'session') return
      const sessionId = ctx.principal.session.id
      let sockets = bySession.get(sessionId)
      if (!sockets) bySession.set(sessionId, (sockets = new Set()))
      sockets.add(ws)
      ws.once('close', () => {
        sockets.delete(ws)
        if (sockets.size === 0 && bySession.get(sessionId) === sockets) bySession.delete(sessionId)
      })
    },
    close(): void {
      unsubscribe()
      bySession.clear()
    },
  }
}
