// The one place domain errors (server/kernel/domain-errors.ts) become tRPC errors. Every procedure
// builder runs `mapDomainErrors` (init.ts), so a service throws NotFoundError and the caller sees
// NOT_FOUND with the service's message, whoever called it; workers and scripts see the class.
import { TRPCError } from '@trpc/server'
import { z } from 'zod'
import { ConflictError, DomainError, ForbiddenError, InvalidError, NotFoundError, TooManyRequestsError, UnauthorizedError } from '../kernel'

/** Carries config validation errors to the client in `data.configErrors`. */
export class ConfigErrorsCause extends Error {
  constructor(public readonly errors: readonly unknown[]) {
    super('Configuration has errors')
  }
}

/** Zod issues built from our own checks, as tRPC's BAD_REQUEST cause (`data.zodError` on the wire). */
export function zodCause(issues: InvalidError['issues']): z.ZodError {
  // ZodRealError, not ZodError: zod 4's ZodError is not an Error, and tRPC would wrap it.
  return new z.ZodRealError(issues.map((i) => ({ code: 'custom' as const, path: i.path, message: i.message, input: undefined })))
}

/** The tRPC error for a domain error; null for anything else (a bug: it stays a 500). */
export function trpcErrorOf(err: unknown, resHeaders?: Headers): TRPCError | null {
  if (!(err instanceof DomainError)) return null
  if (err instanceof InvalidError) {
    const cause = err.configErrors ? new ConfigErrorsCause(err.configErrors) : err.issues.length ? zodCause(err.issues) : err
    return new TRPCError({ code: 'BAD_REQUEST', message: err.message, cause })
  }
  if (err instanceof TooManyRequestsError) resHeaders?.set('Retry-After', String(Math.max(1, Math.ceil(err.retryAfterMs / 1000))))
  const code = (
    {
      invalid: 'BAD_REQUEST',
      not_found: 'NOT_FOUND',
      conflict: 'CONFLICT',
      forbidden: 'FORBIDDEN',
      unauthorized: 'UNAUTHORIZED',
      too_many_requests: 'TOO_MANY_REQUESTS',
    } as const
  )[err.kind]
  return new TRPCError({ code, message: err.message, cause: err })
}

/** What a CONFLICT carries to the client (`data.conflict`): what conflicted, from the service. */
export function conflictData(cause: unknown): Record<string, unknown> | undefined {
  return cause instanceof ConflictError ? cause.details : undefined
}

export { ConflictError, ForbiddenError, InvalidError, NotFoundError, TooManyRequestsError, UnauthorizedError }
