// The one shape of a BAD_REQUEST that points at input: zod issues with their paths (in
// `data.zodError` over the wire, `cause.issues` in process), whether zod found the problem or our
// own checks did (unstorable input, a view's filter, a reference to a missing record).
import { TRPCError } from '@trpc/server'
import { z } from 'zod'

export type InputIssue = { path: (string | number)[]; message: string }

export function badRequest(issues: readonly InputIssue[], summary = 'Invalid input'): TRPCError {
  // ZodRealError, not ZodError: zod 4's ZodError is not an Error, and tRPC would wrap it.
  const zodError = new z.ZodRealError(issues.map((i) => ({ code: 'custom' as const, path: i.path, message: i.message, input: undefined })))
  const first = issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ')
  return new TRPCError({ code: 'BAD_REQUEST', message: `${summary}: ${first}${issues.length > 3 ? '; …' : ''}`, cause: zodError })
}
