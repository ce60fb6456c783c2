// Plain HTTP endpoints that call procedures (runtime config, CSV export) answer their errors the
// same way as tRPC: the code's HTTP status, the message, a database refusal of the input as
// BAD_REQUEST (bad-request.ts), and never the internals of a 500: "Internal error" and the
// request id, which the log line with the detail carries too.
import type { Request, Response } from 'express'
import { TRPCError } from '@trpc/server'
import { getHTTPStatusCodeFromError } from '@trpc/server/http'
import type { Logger } from '../logger'
import { databaseInputError } from '../trpc/bad-request'
import { requestIdOf } from './request-log'

/** Normalises any thrown value to a TRPCError, logging unexpected ones once. */
export function asProcedureError(err: unknown, logger: Logger, what: string, fields?: Record<string, unknown> & { req?: Request }): TRPCError {
  const { req, ...rest } = fields ?? {}
  const e = err instanceof TRPCError ? err : (databaseInputError(err) ?? new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: err }))
  if (e.code === 'INTERNAL_SERVER_ERROR') {
    const cause = e.cause ?? e
    logger.error(what, {
      ...rest,
      requestId: req ? requestIdOf(req) : undefined,
      error: String(cause),
      stack: cause instanceof Error ? cause.stack : undefined,
    })
  }
  return e
}

export function sendProcedureError(res: Response, e: TRPCError): void {
  const internal = e.code === 'INTERNAL_SERVER_ERROR'
  const issues = e.code === 'BAD_REQUEST' && e.cause && 'issues' in e.cause ? (e.cause as { issues: unknown }).issues : undefined
  res.status(getHTTPStatusCodeFromError(e)).json({
    error: { code: e.code, message: internal ? 'Internal error' : e.message, requestId: requestIdOf(res.req), ...(issues ? { issues } : {}) },
  })
}
