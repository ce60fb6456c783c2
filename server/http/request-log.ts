import { randomUUID } from 'node:crypto'
import type { RequestHandler } from 'express'
import type { Logger } from '../logger'

/** One structured line per request, with an id that is also sent back as `x-request-id`. */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const start = performance.now()
    const id = randomUUID()
    res.setHeader('x-request-id', id)
    res.on('finish', () => {
      if (req.path.startsWith('/build/') || req.path === '/favicon.ico') return
      const fields = { id, method: req.method, path: req.path, status: res.statusCode, ms: Math.round(performance.now() - start) }
      if (res.statusCode >= 500) logger.error('request', fields)
      else logger.info('request', fields)
    })
    next()
  }
}
