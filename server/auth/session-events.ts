// Sessions that end (logout, a password change ending the other sessions) are announced on the
// event bus, so every instance can close the WebSockets opened with them at once
// (server/trpc/socket-registry.ts listens). Sessions are not a tenant's: a channel of no tenant.
import { randomUUID } from 'node:crypto'
import type { EventBus } from '../realtime/event-bus'

export const SESSIONS_CHANNEL = '-'
export const SESSION_ENDED = 'session.ended'

/** Tells every instance that these sessions ended. Never throws (bus.publish retries on its own). */
export async function announceSessionsEnded(bus: EventBus, sessionIds: readonly string[]): Promise<void> {
  for (const sessionId of sessionIds) await bus.publish({ topic: SESSION_ENDED, tenantId: SESSIONS_CHANNEL, id: randomUUID(), payload: { sessionId } })
}
