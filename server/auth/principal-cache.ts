// Who a credential is, remembered for a moment per process: the session behind a cookie, the
// principal behind a bearer token and a person's role in a tenant. Without it every request and
// every subscription re-check paid one to three database round trips before doing any work
// (docs/decisions/025-performance.md).
//
// Security bound: an entry is used for at most PRINCIPAL_CACHE_TTL_MS after its read began, and
// every change that takes access away forgets it at once on this instance and, over the event bus,
// on every other one: a revoked token, an ended session, a switched tenant, a changed or removed
// membership. So a change takes effect at once while the bus works and within the TTL when it does
// not; a running subscription notices within PRINCIPAL_RECHECK_MS more (server/trpc/context.ts).
import type { Session, User } from 'lucia'
import type { Role } from '../db/client'
import type { EventBus } from '../realtime/event-bus'
import type { TokenPrincipal } from './api-tokens'
import { announceSessionsEnded, SESSION_ENDED, SESSIONS_CHANNEL } from './session-events'

export const PRINCIPAL_CACHE_TTL_MS = 2_500
/** Published on the sessions channel (no tenant's): `AccessChange` as the payload. */
export const ACCESS_CHANGED = 'access.changed'
const DEFAULT_MAX_ENTRIES = 20_000
const SWEEP_MS = 30_000

/**
 * What changed, so caches forget it: sessions (their tenant switched), a tenant's tokens and
 * memberships (a token revoked, a role changed, a member added or removed), a person's memberships
 * and tokens in every tenant.
 */
export type AccessChange = { sessionIds?: readonly string[]; tenantId?: string; userId?: string }

/** What domain services that change access call, after their transaction committed. */
export interface AccessChanges {
  changed(change: AccessChange): Promise<void>
  sessionsEnded(sessionIds: readonly string[]): Promise<void>
}

export type SessionAndUser = { session: Session; user: User } | { session: null; user: null }

type Entry<T> = { at: number; value: Promise<T> }

export interface PrincipalCache extends AccessChanges {
  session(sessionId: string, load: () => Promise<SessionAndUser>): Promise<SessionAndUser>
  token(tokenHash: string, load: () => Promise<TokenPrincipal | null>): Promise<TokenPrincipal | null>
  membership(tenantId: string, userId: string, load: () => Promise<Role | null>): Promise<Role | null>
  /** Forgets on this instance only (what a bus message does). */
  forget(change: AccessChange): void
  close(): void
}

export function createPrincipalCache(bus: EventBus, opts: { ttlMs?: number; maxEntries?: number } = {}): PrincipalCache {
  const ttlMs = opts.ttlMs ?? PRINCIPAL_CACHE_TTL_MS
  const maxEntries = opts.maxEntries ?? DEFAULT_MAX_ENTRIES
  const sessions = new Map<string, Entry<SessionAndUser>>()
  const tokens = new Map<string, Entry<TokenPrincipal | null>>()
  const memberships = new Map<string, Entry<Role | null>>()

  // The TTL counts from when the read began, so a read that raced a change is never kept longer
  // than one that followed it. Concurrent misses share the one read.
  function cached<T>(map: Map<string, Entry<T>>, key: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now()
    const hit = map.get(key)
    if (hit && now - hit.at < ttlMs) return hit.value
    const entry: Entry<T> = { at: now, value: load() }
    map.delete(key) // re-inserted last: Map order is age, so the first key is the one to evict
    map.set(key, entry)
    entry.value.catch(() => map.get(key) === entry && map.delete(key))
    if (map.size > maxEntries) map.delete(map.keys().next().value as string)
    return entry.value
  }

  function forget(change: AccessChange) {
    for (const id of change.sessionIds ?? []) sessions.delete(id)
    // Access changes are rare (an admin's action): forgetting every token and membership is one
    // re-read per active principal, and leaves no derived entry (a token's effective role comes
    // from its creator's membership) to be missed.
    if (change.tenantId || change.userId) {
      tokens.clear()
      memberships.clear()
    }
  }

  const sweep = setInterval(() => {
    const stale = Date.now() - ttlMs
    for (const map of [sessions, tokens, memberships] as Map<string, Entry<unknown>>[]) {
      for (const [key, entry] of map) if (entry.at < stale) map.delete(key)
    }
  }, SWEEP_MS)
  sweep.unref()

  const unsubscribe = [
    bus.subscribe(SESSIONS_CHANNEL, SESSION_ENDED, (event) => {
      const sessionId = (event.payload as { sessionId?: unknown } | null)?.sessionId
      if (typeof sessionId === 'string') forget({ sessionIds: [sessionId] })
    }),
    bus.subscribe(SESSIONS_CHANNEL, ACCESS_CHANGED, (event) => forget(accessChangeOf(event.payload))),
  ]

  return {
    session: (sessionId, load) => cached(sessions, sessionId, load),
    token: (tokenHash, load) => cached(tokens, tokenHash, load),
    membership: (tenantId, userId, load) => cached(memberships, `${tenantId}\n${userId}`, load),
    forget,
    async changed(change) {
      forget(change) // this instance at once; the others when the bus delivers
      await bus.publish({ topic: ACCESS_CHANGED, tenantId: SESSIONS_CHANNEL, id: crypto.randomUUID(), payload: change })
    },
    async sessionsEnded(sessionIds) {
      forget({ sessionIds })
      await announceSessionsEnded(bus, sessionIds)
    },
    close() {
      clearInterval(sweep)
      for (const off of unsubscribe) off()
      sessions.clear()
      tokens.clear()
      memberships.clear()
    },
  }
}

/** A bus payload read defensively: whatever it names is forgotten; anything else is ignored. */
function accessChangeOf(payload: unknown): AccessChange {
  const p = (payload ?? {}) as Record<string, unknown>
  return {
    sessionIds: Array.isArray(p.sessionIds) ? p.sessionIds.filter((s): s is string => typeof s === 'string') : undefined,
    tenantId: typeof p.tenantId === 'string' ? p.tenantId : undefined,
    userId: typeof p.userId === 'string' ? p.userId : undefined,
  }
}
