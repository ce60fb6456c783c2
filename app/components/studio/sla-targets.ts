// The SLA policy builder's arithmetic, kept pure so it is unit-tested and runs the same in the
// browser: targets typed as hours + minutes and stored as (business) minutes, business hours as
// weekdays and "HH:MM" times, and the "a case opened now would be due …" preview, which asks the
// config language's addBusinessMinutes exactly as the server's SLA clock does (decision 022).
import { addBusinessMinutes, isValidTimeZone, type BusinessHours, type SlaContent } from '../../../server/config-language'

/** The schema's bounds of a target (slaContentSchema): at least a minute, at most a year of minutes. */
export const MIN_TARGET_MINUTES = 1
export const MAX_TARGET_MINUTES = 525_600

export type HoursMinutes = { hours: number; minutes: number }

/** A stored target as the two inputs show it: 90 → 1 h 30 min. */
export function splitMinutes(total: number): HoursMinutes {
  const whole = Math.max(0, Math.round(total))
  return { hours: Math.floor(whole / 60), minutes: whole % 60 }
}

/**
 * The two inputs back to the stored minutes, or why not. Empty inputs count as 0, so "2" hours with
 * the minutes left blank is 120; the result must lie within the schema's bounds.
 */
export function joinMinutes(hours: string, minutes: string): { ok: true; minutes: number } | { ok: false; problem: string } {
  const h = hours.trim() === '' ? 0 : Number(hours)
  const m = minutes.trim() === '' ? 0 : Number(minutes)
  if (!Number.isInteger(h) || h < 0) return { ok: false, problem: 'Hours are a whole number, 0 or more' }
  if (!Number.isInteger(m) || m < 0 || m > 59) return { ok: false, problem: 'Minutes are a whole number from 0 to 59' }
  const total = h * 60 + m
  if (total < MIN_TARGET_MINUTES) return { ok: false, problem: 'A target is at least 1 minute' }
  if (total > MAX_TARGET_MINUTES) return { ok: false, problem: `A target is at most ${MAX_TARGET_MINUTES / 60} hours` }
  return { ok: true, minutes: total }
}

/** A target in words: 30 → "30 min", 60 → "1 h", 90 → "1 h 30 min". */
export function formatMinutes(total: number): string {
  const { hours, minutes } = splitMinutes(total)
  if (hours === 0) return `${minutes} min`
  return minutes === 0 ? `${hours} h` : `${hours} h ${minutes} min`
}

/** Weekdays in the order a week is read (Monday first), numbered like Date#getDay (0 = Sunday). */
export const WEEKDAYS = [
  { day: 1, short: 'Mon', long: 'Monday' },
  { day: 2, short: 'Tue', long: 'Tuesday' },
  { day: 3, short: 'Wed', long: 'Wednesday' },
  { day: 4, short: 'Thu', long: 'Thursday' },
  { day: 5, short: 'Fri', long: 'Friday' },
  { day: 6, short: 'Sat', long: 'Saturday' },
  { day: 0, short: 'Sun', long: 'Sunday' },
] as const

/** Ticks or unticks a day; the list stays free of repeats and in week order (Monday first). */
export function toggleDay(days: readonly number[], day: number, on: boolean): number[] {
  const set = new Set(days.filter((d) => d !== day))
  if (on) set.add(day)
  return WEEKDAYS.map((w) => w.day).filter((d) => set.has(d))
}

/** The days in words, runs collapsed: [1,2,3,4,5] → "Mon–Fri", [1,3,6] → "Mon, Wed, Sat". */
export function describeDays(days: readonly number[]): string {
  const order = WEEKDAYS.map((w) => w.day)
  const picked = order.map((d) => days.includes(d))
  const runs: string[] = []
  for (let i = 0; i < order.length; i++) {
    if (!picked[i]) continue
    let j = i
    while (j + 1 < order.length && picked[j + 1]) j++
    const from = WEEKDAYS[i]!.short
    const to = WEEKDAYS[j]!.short
    runs.push(j === i ? from : j === i + 1 ? `${from}, ${to}` : `${from}–${to}`)
    i = j
  }
  return runs.join(', ')
}

/**
 * A time input's value as the schema stores it ("HH:MM"), or null while it is not a time yet.
 * Browsers send "09:00", or "09:00:00" when seconds are shown; a typed "9:00" is accepted too.
 */
export function parseTimeInput(value: string): string | null {
  const m = /^(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/.exec(value.trim())
  if (!m) return null
  const h = Number(m[1])
  const min = Number(m[2])
  if (h > 23 || min > 59) return null
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`
}

/** Office hours to start from when someone turns business hours on: weekdays 09:00–17:00 in their zone. */
export function defaultBusinessHours(timeZone: string): BusinessHours {
  return { timeZone: isValidTimeZone(timeZone) ? timeZone : 'UTC', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }
}

export type DuePreview =
  | {
      ok: true
      firstResponseDue: Date
      firstResponseWarn: Date
      resolutionDue: Date
      resolutionWarn: Date
    }
  | { ok: false; problem: string }

/**
 * When a case opened at `start` under this policy would be due and warned about. Targets and warn
 * points go through addBusinessMinutes, like the server's clock; an unfinished policy (bad zone,
 * no days, end before start) says why there is no preview rather than guessing.
 */
export function previewDueTimes(
  policy: Pick<SlaContent, 'firstResponseMinutes' | 'resolutionMinutes' | 'businessHours' | 'warnAtPercent'>,
  start: Date,
): DuePreview {
  const hours = policy.businessHours
  if (hours) {
    if (!isValidTimeZone(hours.timeZone)) return { ok: false, problem: `unknown time zone "${hours.timeZone}"` }
    if (hours.days.length === 0) return { ok: false, problem: 'no business days are ticked' }
    if (!parseTimeInput(hours.start) || !parseTimeInput(hours.end)) return { ok: false, problem: 'the opening times are not complete' }
    if (hours.start >= hours.end) return { ok: false, problem: 'business hours end before they start' }
  }
  for (const target of [policy.firstResponseMinutes, policy.resolutionMinutes]) {
    if (!Number.isInteger(target) || target < MIN_TARGET_MINUTES || target > MAX_TARGET_MINUTES) return { ok: false, problem: 'a target is not set' }
  }
  const share = policy.warnAtPercent / 100
  try {
    return {
      ok: true,
      firstResponseDue: addBusinessMinutes(start, policy.firstResponseMinutes, hours),
      firstResponseWarn: addBusinessMinutes(start, policy.firstResponseMinutes * share, hours),
      resolutionDue: addBusinessMinutes(start, policy.resolutionMinutes, hours),
      resolutionWarn: addBusinessMinutes(start, policy.resolutionMinutes * share, hours),
    }
  } catch (err) {
    return { ok: false, problem: (err as Error).message }
  }
}
