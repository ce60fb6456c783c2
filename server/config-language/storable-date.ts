// The one bound on dates and instants the database can store: PostgreSQL's `date` and
// `timestamp` take years 1..9999 here (year 0 and six-digit years are refused, and a datetime
// such as 9999-12-31T23:59:59-14:00 is already year 10000 in UTC). Every date input — record
// values, view filters, list cursors, audit ranges — is checked against this one range after
// time-zone normalisation, so a date that passes validation is one the database stores.
// Upper bound 9999-12-31T00:00Z leaves a day of slack for any time zone's rendering.
import { z } from 'zod'

export const MIN_STORABLE_MS = Date.parse('0001-01-01T00:00:00.000Z')
export const MAX_STORABLE_MS = Date.parse('9999-12-31T00:00:00.000Z')
export const STORABLE_RANGE_MESSAGE = 'must be between 0001-01-01 and 9999-12-31 (UTC)'

/** Whether an instant (ms since the epoch, after any offset was applied) is one the database stores. */
export function isStorableInstant(ms: number): boolean {
  return Number.isFinite(ms) && ms >= MIN_STORABLE_MS && ms <= MAX_STORABLE_MS
}

/** Whether an ISO date or date-time text lies in the storable range (false when it does not parse). */
export function isStorableDateText(value: string): boolean {
  // Date-only ISO text parses as UTC midnight, which is what a `date` column stores.
  return isStorableInstant(Date.parse(value))
}

/** A date input (ISO text or a Date, as superjson sends it) bounded to what the database stores. */
export const storableDate = z.coerce.date().refine((d) => isStorableInstant(d.getTime()), { message: `date ${STORABLE_RANGE_MESSAGE}` })
