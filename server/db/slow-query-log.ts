// Slow queries, aggregated: under load a threshold fires on most queries, and one warning per query
// (issue #16's soak: 160,000 in 11 minutes, each with its SQL) is noise that costs CPU and disk.
// The first slow run of a statement in a window is logged at once (so a slow page still shows up in
// the console); the rest are counted, and each window ends with one line per statement: how often,
// the slowest and the mean.
import type { Logger } from '../logger'

/** Longest SQL a slow-query warning prints: enough to recognise the statement, not a wall of text. */
export const LOGGED_SQL_CHARS = 200
export const SLOW_QUERY_WINDOW_MS = 60_000
/** Distinct statements tracked per window; beyond it, only counted in the window's total. */
const MAX_STATEMENTS = 200
/** Statements listed at the end of a window, the costliest first. */
const MAX_SUMMARY_LINES = 10

export const shortSql = (sql: string) => {
  const flat = sql.replace(/\s+/g, ' ').trim()
  return flat.length > LOGGED_SQL_CHARS ? `${flat.slice(0, LOGGED_SQL_CHARS)}…` : flat
}

type Tally = { count: number; totalMs: number; maxMs: number }

export function createSlowQueryLog(logger: Logger, windowMs = SLOW_QUERY_WINDOW_MS) {
  let window = new Map<string, Tally>()
  let untracked = 0
  let timer: NodeJS.Timeout | undefined

  function flush() {
    timer = undefined
    const repeated = [...window.entries()].filter(([, t]) => t.count > 1)
    repeated.sort((a, b) => b[1].totalMs - a[1].totalMs)
    for (const [query, t] of repeated.slice(0, MAX_SUMMARY_LINES)) {
      logger.warn('slow queries', { windowMs, query, count: t.count, maxMs: t.maxMs, meanMs: Math.round(t.totalMs / t.count) })
    }
    const rest = repeated.slice(MAX_SUMMARY_LINES).reduce((n, [, t]) => n + t.count, 0) + untracked
    if (rest > 0) logger.warn('slow queries', { windowMs, otherStatements: rest })
    window = new Map()
    untracked = 0
  }

  return {
    record(sql: string, ms: number) {
      const query = shortSql(sql)
      const tally = window.get(query)
      if (tally) {
        tally.count++
        tally.totalMs += ms
        tally.maxMs = Math.max(tally.maxMs, ms)
      } else if (window.size < MAX_STATEMENTS) {
        window.set(query, { count: 1, totalMs: ms, maxMs: ms })
        logger.warn('slow query', { ms, query })
      } else untracked++
      if (!timer) {
        timer = setTimeout(flush, windowMs)
        timer.unref()
      }
    },
  }
}
