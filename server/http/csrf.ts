// Same-origin check for browser requests that carry the session cookie. SameSite=Lax already stops
// most cross-site posts; this closes the rest (and cross-site WebSocket hijacking). A request with
// `Authorization: Bearer` is authenticated by that header alone, never the cookie
// (context.ts resolvePrincipal), so it has no ambient credentials to abuse and is not checked,
// unless it carries a cookie anyway: no legitimate client sends both cross-site.
import type { IncomingMessage } from 'node:http'
import { BEARER_SCHEME } from '../trpc/context'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

function requestOrigin(req: IncomingMessage): string | null {
  const origin = req.headers.origin
  if (origin && origin !== 'null') return origin
  const referer = req.headers.referer
  if (!referer) return null
  try {
    return new URL(referer).origin
  } catch {
    return null
  }
}

export function expectedOrigin(req: IncomingMessage, appOrigin?: string): string {
  if (appOrigin) return new URL(appOrigin).origin
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted
  return `${encrypted ? 'https' : 'http'}://${req.headers.host ?? ''}`
}

/** True when the request may proceed. `always` checks safe methods too (WebSocket upgrades). */
export function passesCsrfCheck(req: IncomingMessage, appOrigin?: string, always = false): boolean {
  if (!always && SAFE_METHODS.has(req.method ?? 'GET')) return true
  if (BEARER_SCHEME.test(req.headers.authorization ?? '') && !req.headers.cookie) return true
  const origin = requestOrigin(req)
  // Without a cookie there is nothing ambient to abuse; non-browser clients send no Origin.
  if (!origin) return !req.headers.cookie
  return origin === expectedOrigin(req, appOrigin)
}
