// SLA arithmetic on business hours: when is a case due that was opened at `start` with a target of
// N business minutes? Pure and Intl-only (decision 022), so the server's timers and the browser's
// preview ("a case opened now would be due at …") compute the same instant, DST included.
//
// Model: a business day is a local calendar date whose weekday is in `days`; it is open from
// `start` to `end` local wall time in `timeZone`. Business minutes are elapsed real minutes inside
// those windows (on the rare window that spans a DST change, the hour that does not exist on the
// wall clock is not counted, the repeated one is).
import type { BusinessHours } from './schemas'

const MS_PER_MINUTE = 60_000
/** Beyond this many calendar days a target is not a business promise but a misconfiguration. */
const MAX_CALENDAR_DAYS = 366 * 20

type LocalDate = { year: number; month: number; day: number }

const formatters = new Map<string, Intl.DateTimeFormat>()
function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    formatters.set(timeZone, f)
  }
  return f
}

/** The wall-clock reading of `instant` in `timeZone`. */
function wallClock(instant: number, timeZone: string): LocalDate & { hour: number; minute: number; second: number } {
  const parts: Record<string, number> = {}
  for (const p of formatterOf(timeZone).formatToParts(new Date(instant))) if (p.type !== 'literal') parts[p.type] = Number(p.value)
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour! % 24, minute: parts.minute!, second: parts.second! }
}

/** How far `timeZone` is ahead of UTC at `instant`, in ms (whole seconds; sub-second is dropped). */
function offsetAt(instant: number, timeZone: string): number {
  const w = wallClock(instant, timeZone)
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second)
  return asUtc - (instant - (((instant % 1000) + 1000) % 1000))
}

/**
 * The instant at which the wall clock in `timeZone` reads `date` `hh:mm`. A time skipped by a
 * spring-forward change is pushed forward by the gap (02:30 → 03:30, like Temporal's "compatible");
 * a time read twice on a fall-back night resolves to one of its two readings.
 */
export function zonedInstant(date: LocalDate, hhmm: string, timeZone: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number]
  const naive = Date.UTC(date.year, date.month - 1, date.day, h, m)
  // Two rounds settle every real zone: the offset before and after a change differ by one step.
  const first = naive - offsetAt(naive, timeZone)
  const second = naive - offsetAt(first, timeZone)
  if (second === first) return first
  // Inside a gap the two guesses disagree: take the one whose wall clock shows the asked hour, else the later.
  const earliest = Math.min(first, second)
  return wallClock(earliest, timeZone).hour === h ? earliest : Math.max(first, second)
}

function nextDay(d: LocalDate): LocalDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + 1))
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() }
}

const weekday = (d: LocalDate) => new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay()

/**
 * `start` plus `minutes` business minutes. `hours` null means around the clock (plain minutes).
 * Fractions of a minute are kept (a warning at 80% of 45 minutes is at 36 minutes).
 */
export function addBusinessMinutes(start: Date, minutes: number, hours: BusinessHours | null): Date {
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError('minutes must be a finite number ≥ 0')
  if (hours === null) return new Date(start.getTime() + minutes * MS_PER_MINUTE)
  let remaining = minutes * MS_PER_MINUTE
  const open = new Set(hours.days)
  let cursor = start.getTime()
  let date: LocalDate = wallClock(cursor, hours.timeZone)
  for (let i = 0; i < MAX_CALENDAR_DAYS; i++, date = nextDay(date)) {
    if (!open.has(weekday(date))) continue
    const windowEnd = zonedInstant(date, hours.end, hours.timeZone)
    const from = Math.max(cursor, zonedInstant(date, hours.start, hours.timeZone))
    if (from >= windowEnd) continue
    // A target met exactly at closing time is due at closing time, not the next morning.
    if (remaining <= windowEnd - from) return new Date(from + remaining)
    remaining -= windowEnd - from
    cursor = windowEnd
  }
  throw new RangeError(`a target of ${minutes} business minutes does not end within ${MAX_CALENDAR_DAYS} days`)
}

/** Whether `at` falls inside the business hours (always true around the clock). */
export function isWithinBusinessHours(at: Date, hours: BusinessHours | null): boolean {
  if (hours === null) return true
  const date = wallClock(at.getTime(), hours.timeZone)
  if (!hours.days.includes(weekday(date))) return false
  const t = at.getTime()
  return t >= zonedInstant(date, hours.start, hours.timeZone) && t < zonedInstant(date, hours.end, hours.timeZone)
}
