// helmet's headers on every response. Pages get a Content Security Policy that lets only our own
// scripts run: Remix's inline scripts carry the per-request nonce (entry.server.tsx / root.tsx get
// it through the load context); WebSockets go to this same origin (connect-src). Machine answers
// (JSON under /api/, the API reference page aside) run no script, so they get a fixed policy that
// allows nothing, with the same other headers, computed once: the per-request policy, nonce and
// helmet's dozen middleware calls were a third of the cheapest API request's CPU (issue #16).
import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { RequestHandler, Response } from 'express'
import helmet, { type HelmetOptions } from 'helmet'

/** Paths that answer machines (JSON, files): everything under /api/ but the reference page. */
const isMachinePath = (path: string) => path.startsWith('/api/') && !path.startsWith('/api/docs')

export function securityHeaders(appOrigin: string | undefined): RequestHandler {
  const https = appOrigin?.startsWith('https:') ?? false
  const common: HelmetOptions = {
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    // Only where the site is served over HTTPS: on http://localhost it would pin nothing useful.
    strictTransportSecurity: https ? { maxAge: 15_552_000 } : false,
  }
  const page = helmet({
    ...common,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as Response).locals.cspNonce}'`],
        // React's style={...} props are style attributes.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        // 'self' covers ws(s): to this origin in current browsers; the explicit origin covers the rest.
        connectSrc: ["'self'", (req) => sameOriginWebSocket(appOrigin, req.headers.host)],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
  })
  const machine = headersOf(
    helmet({ ...common, contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } } }),
  )
  const nonce = noncePool()
  return (req, res, next) => {
    if (isMachinePath(req.path)) {
      for (const [name, value] of machine) res.setHeader(name, value)
      return next()
    }
    res.locals.cspNonce = nonce()
    page(req, res, next)
  }
}

/** The headers a request-independent helmet middleware sets, read once. */
function headersOf(middleware: ReturnType<typeof helmet>): Array<[string, string]> {
  const headers: Array<[string, string]> = []
  const res = { setHeader: (name: string, value: string) => void headers.push([name, value]), removeHeader: () => {} }
  middleware({} as IncomingMessage, res as unknown as ServerResponse, () => {})
  return headers
}

/** 16 random bytes per nonce, drawn from a 4 KB buffer refilled from the CSPRNG: one call per 256 pages. */
function noncePool(): () => string {
  let pool = Buffer.alloc(0)
  let at = 0
  return () => {
    if (at + 16 > pool.length) {
      pool = randomBytes(4_096)
      at = 0
    }
    const value = pool.toString('base64', at, at + 16)
    at += 16
    return value
  }
}

function sameOriginWebSocket(appOrigin: string | undefined, host: string | undefined): string {
  const origin = appOrigin ? new URL(appOrigin) : null
  const wsHost = origin?.host ?? (host && /^[A-Za-z0-9.:[\]-]+$/.test(host) ? host : 'localhost')
  return `${origin?.protocol === 'https:' ? 'wss' : 'ws'}://${wsHost}`
}
