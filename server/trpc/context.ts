// Context, split the create-t3-app way: the inner context is plain values (tests build it
// directly and call procedures through createCaller); the outer functions read those values off
// an HTTP request or a WebSocket upgrade.
import type { IncomingMessage } from 'node:http'
import type { Session, User } from 'lucia'
import type { Services } from '../services'
import { bearerToken, hashTokenSecret, resolveApiToken, type TokenPrincipal } from '../auth/api-tokens'
import { PRINCIPAL_CACHE_TTL_MS, type SessionAndUser } from '../auth/principal-cache'
import { clientAddress } from '../auth/client-address'
import { requestIdOf } from '../http/request-log'

export type { Services }

export type Principal =
  /** `invalidToken`: the request named a bearer token that is not valid; every procedure answers 401. */
  { kind: 'anonymous'; invalidToken?: true } | { kind: 'session'; user: User; session: Session } | { kind: 'token'; token: TokenPrincipal }

/** How a principal is named in history, activity and events. */
export function principalLabel(p: Principal): string {
  if (p.kind === 'session') return p.user.name || p.user.email
  if (p.kind === 'token') return `token: ${p.token.name}`
  return 'anonymous'
}

export interface InnerContext {
  services: Services
  principal: Principal
  clientIp: string
  /** Headers the procedure wants on the response (Set-Cookie). Remix actions forward them too. */
  resHeaders: Headers
  /**
   * For contexts made from a request (HTTP or a WebSocket connection): resolves the principal
   * again once it is a few seconds old, so a revoked token or an ended session stops working for
   * new calls on an open socket and for running subscriptions.
   */
  refreshPrincipal?: () => Promise<Principal>
  /** The HTTP request's (or WebSocket connection's) id: in logs and in the data of its errors. */
  requestId?: string
}

export function createInnerContext(opts: { services: Services; principal?: Principal; clientIp?: string; resHeaders?: Headers }): InnerContext {
  return {
    services: opts.services,
    principal: opts.principal ?? { kind: 'anonymous' },
    clientIp: opts.clientIp ?? '127.0.0.1',
    resHeaders: opts.resHeaders ?? new Headers(),
  }
}

/** Works out who is calling from the Authorization header (or WebSocket param) and the cookie. */
export async function resolvePrincipal(
  services: Services,
  input: { authorization?: string | null; cookieHeader?: string | null; resHeaders?: Headers },
): Promise<Principal> {
  // A request that says `Authorization: Bearer …` is authenticated by that header alone: a valid
  // token or nothing, never the cookie it may also carry (the CSRF check trusts this). Other
  // schemes (a proxy's Basic auth) are not ours and leave the cookie in charge.
  if (input.authorization && BEARER_SCHEME.test(input.authorization)) {
    const bearer = bearerToken(input.authorization)
    const token = bearer ? await services.principals.token(hashTokenSecret(bearer), () => resolveApiToken(services.db, bearer)) : null
    return token ? { kind: 'token', token } : { kind: 'anonymous', invalidToken: true }
  }
  const sessionId = services.auth.readSessionCookie(input.cookieHeader ?? '')
  if (!sessionId) return { kind: 'anonymous' }
  const { session, user } = await cachedSession(services, sessionId)
  if (session?.fresh) input.resHeaders?.append('Set-Cookie', services.auth.createSessionCookie(session.id).serialize())
  if (!session) {
    input.resHeaders?.append('Set-Cookie', services.auth.createBlankSessionCookie().serialize())
    return { kind: 'anonymous' }
  }
  return { kind: 'session', session, user }
}

/**
 * lucia's validation through the principal cache. Only the read that extended the session says
 * `fresh` (one Set-Cookie); a session that expired while cached is validated again (and ended).
 */
async function cachedSession(services: Services, sessionId: string): Promise<SessionAndUser> {
  const load = async (): Promise<SessionAndUser> => {
    const result = await services.auth.validateSession(sessionId)
    return result.session ? result : { session: null, user: null }
  }
  let loaded = false
  const tracked = () => ((loaded = true), load())
  let result = await services.principals.session(sessionId, tracked)
  if (result.session && result.session.expiresAt.getTime() <= Date.now()) {
    services.principals.forget({ sessionIds: [sessionId] })
    result = await services.principals.session(sessionId, tracked)
  }
  if (!loaded && result.session?.fresh) return { session: { ...result.session, fresh: false }, user: result.user }
  return result
}

/** `Authorization: Bearer` with anything or nothing after it. */
export const BEARER_SCHEME = /^\s*bearer(\s|$)/i

export function clientIpOf(req: IncomingMessage, trustProxy = 0): string {
  return clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], trustProxy)
}

export async function createRequestContext(
  services: Services,
  req: IncomingMessage,
  extra: { connectionParams?: Record<string, string | undefined> | null; resHeaders?: Headers } = {},
): Promise<InnerContext> {
  const resHeaders = extra.resHeaders ?? new Headers()
  const tokenParam = extra.connectionParams?.token
  const credentials = {
    authorization: req.headers.authorization ?? (tokenParam ? `Bearer ${tokenParam}` : null),
    cookieHeader: req.headers.cookie,
  }
  const principal = await resolvePrincipal(services, { ...credentials, resHeaders })
  const ctx = createInnerContext({ services, principal, clientIp: clientIpOf(req, services.env.TRUST_PROXY), resHeaders })
  ctx.requestId = requestIdOf(req)
  // A WebSocket context lives as long as the socket, and an HTTP subscription (server-sent events)
  // as long as its response: re-check the credentials, at most every few seconds. An ordinary
  // request finishes long before the first re-check, so for it this costs nothing.
  let checked = { at: Date.now(), principal }
  ctx.refreshPrincipal = async () => {
    if (Date.now() - checked.at >= PRINCIPAL_RECHECK_MS) checked = { at: Date.now(), principal: await resolvePrincipal(services, credentials) }
    return checked.principal
  }
  return ctx
}

/**
 * How often a long-lived context re-resolves its principal. With the principal cache's TTL, the
 * bound on a revocation reaching a running subscription when the bus is down: 2.5 + 2.5 = 5 s.
 */
export const PRINCIPAL_RECHECK_MS = 5_000 - PRINCIPAL_CACHE_TTL_MS
