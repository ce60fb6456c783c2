// POST /api/inbox/messages (and the seed's spelling /api/crm/inbox/messages): message ingestion
// for outside systems. Thin: an API token only (`Authorization: Bearer`), a 1 MB JSON body, then
// `inbox.ingest` through a caller of the request's context, so authentication, the permission
// (`inbox:ingest`), input checks, the rate limit and error mapping are the procedure's own.
// 201 for a new message, 200 for a duplicate; errors as the other plain endpoints answer them.
import express, { type Request, type Response, type Router } from 'express'
import { TRPCError } from '@trpc/server'
import { createCallerFactory } from '../trpc/init'
import { BEARER_SCHEME, createRequestContext, type InnerContext, type Services } from '../trpc/context'
import { appRouter } from '../app-router'
import { asProcedureError, sendProcedureError } from './procedure-error'

const createCaller = createCallerFactory(appRouter)

export const INGEST_PATHS = ['/api/inbox/messages', '/api/crm/inbox/messages']
export const INGEST_MAX_BYTES = 1024 * 1024

export function inboxIngestRoutes(services: Services): Router {
  const routes = express.Router()
  const json = express.json({ limit: INGEST_MAX_BYTES, strict: false })

  // Authenticate before reading the body: a stranger's megabyte is not read.
  const authenticate = async (req: Request, res: Response, next: express.NextFunction) => {
    try {
      if (!BEARER_SCHEME.test(req.headers.authorization ?? ''))
        throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Send an API token: Authorization: Bearer <token>' })
      const ctx = await createRequestContext(services, req)
      if (ctx.principal.kind !== 'token') throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Invalid API token' })
      res.locals.ingestContext = ctx
      next()
    } catch (err) {
      sendProcedureError(res, asProcedureError(err, services.logger, 'inbox ingest failed', { req }))
    }
  }

  routes.post(INGEST_PATHS, authenticate, json, async (req: Request, res: Response) => {
    const ctx = res.locals.ingestContext as InnerContext
    try {
      if (!req.is('application/json')) throw new TRPCError({ code: 'BAD_REQUEST', message: 'Send the message as JSON (Content-Type: application/json)' })
      const result = await createCaller(ctx).inbox.ingest(req.body as never)
      res.status(result.created ? 201 : 200).json(result)
    } catch (err) {
      ctx.resHeaders.forEach((value, name) => res.setHeader(name, value))
      sendProcedureError(res, asProcedureError(err, services.logger, 'inbox ingest failed', { req }))
    }
  })

  // The body parser's refusals: over the limit (413) and malformed JSON (400), in our shape.
  routes.use(INGEST_PATHS, (err: unknown, req: Request, res: Response, next: express.NextFunction) => {
    const status = (err as { status?: number; type?: string } | null)?.status
    if (status === 413) {
      res.setHeader('Connection', 'close')
      return void res.status(413).json({ error: { code: 'PAYLOAD_TOO_LARGE', message: `The message is larger than the limit of ${INGEST_MAX_BYTES} bytes` } })
    }
    if (status === 400) return void sendProcedureError(res, new TRPCError({ code: 'BAD_REQUEST', message: 'The body is not valid JSON' }))
    next(err)
  })
  return routes
}
