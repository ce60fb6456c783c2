// The one shape of a BAD_REQUEST that points at input: zod issues with their paths (in
// `data.zodError` over the wire, `cause.issues` in process), whether zod found the problem or our
// own checks did (unstorable input, a view's filter, a reference to a missing record).
import { TRPCError } from '@trpc/server'
import { invalidInput, type InputIssue } from '../kernel'
import { zodCause } from './domain-errors'

export type { InputIssue }

/** A BAD_REQUEST for checks the API layer itself makes (the message summarises the first issues). */
export function badRequest(issues: readonly InputIssue[], summary = 'Invalid input'): TRPCError {
  const invalid = invalidInput(issues, summary)
  return new TRPCError({ code: 'BAD_REQUEST', message: invalid.message, cause: zodCause(issues) })
}

// ---------------------------------------------------------------------------------------------
// The last line of defence: input the checks above let through but the database refused.

/** Prisma's own codes for a value the column cannot take (too long, out of range, wrong type). */
const PRISMA_INPUT_CODES = new Set(['P2000', 'P2005', 'P2006', 'P2007', 'P2019', 'P2020', 'P2033'])

/**
 * SQLSTATE classes that mean "this value cannot be stored": 22 (data exception: out-of-range
 * dates, NUL bytes, numeric overflow) and 54000 (program limit, e.g. an index row too large).
 */
const isInputSqlState = (code: unknown): boolean => typeof code === 'string' && /^(22[0-9A-Z]{3}|54000)$/.test(code)

/** The SQLSTATE inside a Prisma error (driver adapter) or a pg error, if any. */
function sqlStateOf(err: unknown): unknown {
  const e = err as {
    code?: unknown
    meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; code?: unknown } } }
    cause?: { kind?: unknown; originalCode?: unknown; code?: unknown }
  } | null
  if (!e || typeof e !== 'object') return undefined
  const adapter = e.meta?.driverAdapterError?.cause
  if (adapter) return adapter.originalCode ?? adapter.code
  if (e.cause && typeof e.cause === 'object' && e.cause.kind === 'postgres') return e.cause.originalCode ?? e.cause.code
  return e.code
}

/**
 * A database refusal caused by the input, as a BAD_REQUEST (with the column as path when Prisma
 * names it); null for anything else. Never carries the driver's text: it may quote SQL.
 */
export function databaseInputError(err: unknown): TRPCError | null {
  const e = err as { code?: unknown; meta?: { column_name?: unknown } } | null
  if (!e || typeof e !== 'object') return null
  const prismaInput = typeof e.code === 'string' && PRISMA_INPUT_CODES.has(e.code)
  if (!prismaInput && !isInputSqlState(sqlStateOf(err))) return null
  const column = typeof e.meta?.column_name === 'string' ? e.meta.column_name : undefined
  return badRequest([{ path: column ? [column] : [], message: 'a value is too long or out of the range the database stores' }])
}
