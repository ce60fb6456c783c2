// The one place dates become text, so every page shows them alike ("14 Sept 2026", "14 Sept 2026,
// 09:30"): Intl.DateTimeFormat's medium date style in the reader's locale and time zone.
//
// Hydration: the server knows neither the reader's locale nor their zone, so the first render
// (server and hydration alike) uses a fixed locale in UTC and says so; once mounted, the browser's
// own locale and zone take over. Calendar dates (YYYY-MM-DD) have no zone: always shown as written.
const SERVER_LOCALE = 'en-GB'

const cache = new Map<string, Intl.DateTimeFormat>()
function formatter(kind: 'date' | 'dateTime', mounted: boolean, calendar: boolean): Intl.DateTimeFormat {
  const id = `${kind}:${mounted}:${calendar}`
  let f = cache.get(id)
  if (!f) {
    const zone = !mounted || calendar ? { timeZone: 'UTC' } : {}
    f = new Intl.DateTimeFormat(
      mounted ? undefined : SERVER_LOCALE,
      kind === 'date' ? { dateStyle: 'medium', ...zone } : { dateStyle: 'medium', timeStyle: 'short', ...zone },
    )
    cache.set(id, f)
  }
  return f
}

/** An instant with its time; before mount in UTC, marked as such. */
export function formatDateTime(date: Date, mounted: boolean): string {
  return mounted ? formatter('dateTime', true, false).format(date) : `${formatter('dateTime', false, false).format(date)} UTC`
}

/** A date: a calendar date (YYYY-MM-DD) as written, an instant's day in the reader's zone once mounted. */
export function formatDate(date: Date, mounted: boolean, calendar: boolean): string {
  return formatter('date', mounted, calendar).format(date)
}

const relative = new Map<string, Intl.RelativeTimeFormat>()
const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
  ['week', 4.35],
  ['month', 12],
  ['year', Number.POSITIVE_INFINITY],
]

/** "just now", "5 minutes ago", "yesterday": for recent events (notifications), in the reader's locale. */
export function formatRelative(date: Date, now = Date.now(), locale?: string): string {
  let f = relative.get(locale ?? '')
  if (!f) relative.set(locale ?? '', (f = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })))
  let value = (date.getTime() - now) / 1000
  if (Math.abs(value) < 45) return f.format(0, 'second')
  for (const [unit, size] of STEPS) {
    if (Math.abs(value) < size) return f.format(Math.round(value), unit)
    value /= size
  }
  return f.format(Math.round(value), 'year')
}
