// The period every metric group reads: an instant range [from, to) and the caller's time zone, in
// which days and weeks are bucketed. Record timestamps are `timestamp(3)` columns holding UTC, so a
// local day of a row is `date_trunc('day', (ts AT TIME ZONE 'UTC') AT TIME ZONE tz)` (a bare
// `ts AT TIME ZONE tz` would read the UTC value as local time). Range predicates compare the column
// itself with the bounds converted to UTC, so they can use the (tenantId, ts) indexes.
import { Prisma } from '../../db/client'

const { sql } = Prisma

export type MetricsQuery = {
  /** Inclusive start, ISO 8601 with offset. */
  from: string
  /** Exclusive end, ISO 8601 with offset. */
  to: string
  /** Only records this member owns (deals) or is assigned (cases). */
  ownerId?: string
  /** IANA time zone, e.g. Europe/Berlin. */
  timeZone: string
}

/** `fromUtc` / `toUtc`: the bounds as UTC `timestamp` values, comparable with the record columns. */
export function periodSql(q: MetricsQuery) {
  return {
    fromUtc: sql`(${q.from}::timestamptz AT TIME ZONE 'UTC')`,
    toUtc: sql`(${q.to}::timestamptz AT TIME ZONE 'UTC')`,
    /** A UTC `timestamp` column's local wall-clock time in the caller's zone. */
    local: (column: Prisma.Sql) => sql`((${column}) AT TIME ZONE 'UTC') AT TIME ZONE ${q.timeZone}::text`,
    /** The first and last local day the period touches (as local midnight `timestamp`s). */
    firstDay: sql`date_trunc('day', ${q.from}::timestamptz AT TIME ZONE ${q.timeZone}::text)`,
    lastDay: sql`date_trunc('day', (${q.to}::timestamptz - interval '1 millisecond') AT TIME ZONE ${q.timeZone}::text)`,
    /** A local `timestamp` back to the instant it names, as ISO text with Z (for links and the UI). */
    instant: (local: Prisma.Sql) => sql`to_char((${local}) AT TIME ZONE ${q.timeZone}::text AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
  }
}

/** A UTC `timestamp` column's local day in the caller's zone, as a local midnight `timestamp`. */
export function localDaySql(q: MetricsQuery, column: Prisma.Sql): Prisma.Sql {
  return sql`date_trunc('day', ${periodSql(q).local(column)})`
}

/** An instant (ISO text) as a UTC `timestamp`, comparable with the record columns. */
export function utcSql(instant: Date): Prisma.Sql {
  return sql`(${instant.toISOString()}::timestamptz AT TIME ZONE 'UTC')`
}

/**
 * The period's local days as one JSON list of `DayBucket`s (a scalar subquery for a group's final
 * SELECT). The groups' per-day counts meet these days in TypeScript, not in a SQL join:
 * see cases.ts on the JIT.
 */
export function daysJsonSql(q: MetricsQuery): Prisma.Sql {
  const p = periodSql(q)
  return sql`(SELECT json_agg(json_build_object(
            'day', to_char(d, 'YYYY-MM-DD'),
            'start', ${p.instant(sql`d`)},
            'end', ${p.instant(sql`d + interval '1 day'`)}
          ) ORDER BY d) FROM generate_series(${p.firstDay}, ${p.lastDay}, interval '1 day') AS d)`
}

/** A local day: its date and the instants it starts and ends at (23 or 25 hours apart on DST days). */
export type DayBucket = { day: string; start: string; end: string }

/** What a group answers when the caller may not see it (automations without automations:read). */
export type Unavailable = { available: false; reason: string }
export type Available<T> = { available: true } & T
export type GroupResult<T> = Available<T> | Unavailable

/** Built-in option values first, in the product's order; values admins added after, by name. */
export function inOrder<T>(items: readonly T[], valueOf: (item: T) => string, order: readonly string[]): T[] {
  const rank = (v: string) => (order.includes(v) ? order.indexOf(v) : order.length)
  return [...items].sort((a, b) => rank(valueOf(a)) - rank(valueOf(b)) || valueOf(a).localeCompare(valueOf(b)))
}
