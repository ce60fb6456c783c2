import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { RequestHandler } from 'express'
import type { Logger } from '../logger'

// One id per request (a WebSocket connection is one request: its upgrade). It is sent back as
// `X-Request-Id`, put on every log line about the request and into the data of its errors, so a
// 500 that says only "Internal error" can be found in the log.
const ids = new WeakMap<IncomingMessage, string>()

/** The request's id, made on first use. */
export function requestIdOf(req: IncomingMessage): string {
  let id = ids.get(req)
  if (!id) {
    id = randomUUID()
    ids.set(req, id)
  }
  return id
}

/** One structured line per request, with an id that is also sent back as `x-request-id`. */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const start = performance.now()
    const id = requestIdOf(req)
    res.setHeader('x-request-id', id)
    // originalUrl: routers mounted on a prefix (tRPC at /api/trpc) see only the rest in req.path.
    const path = req.originalUrl.split('?')[0] ?? '/'
    res.on('finish', () => {
      if (path.startsWith('/build/') || path.startsWith('/favicon')) return
      const fields = { id, method: req.method, path, status: res.statusCode, ms: Math.round(performance.now() - start) }
      if (res.statusCode >= 500) logger.error('request', fields)
      else logger.info('request', fields)
    })
    next()
  }
}
