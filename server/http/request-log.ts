import { randomUUID } from 'node:crypto'
import type { RequestHandler } from 'express'
import type { Logger } from '../logger'

/** One structured line per request, with an id that is also sent back as `x-request-id`. */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const start = performance.now()
    const id = randomUUID()
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
