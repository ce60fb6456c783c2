// Plain HTTP endpoints that call procedures (runtime config, CSV export) answer their errors the
// same way: the tRPC code's HTTP status, the message, and never the internals of a 500.
import type { Response } from 'express'
import { TRPCError } from '@trpc/server'
import { getHTTPStatusCodeFromError } from '@trpc/server/http'
import type { Logger } from '../logger'

/** Normalises any thrown value to a TRPCError, logging unexpected ones once. */
export function asProcedureError(err: unknown, logger: Logger, what: string, fields?: Record<string, unknown>): TRPCError {
  const e = err instanceof TRPCError ? err : new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: err })
  if (e.code === 'INTERNAL_SERVER_ERROR') logger.error(what, { ...fields, error: String(e.cause ?? e) })
  return e
}

export function sendProcedureError(res: Response, e: TRPCError): void {
  res.status(getHTTPStatusCodeFromError(e)).json({ error: { code: e.code, message: e.code === 'INTERNAL_SERVER_ERROR' ? 'Internal error' : e.message } })
}
